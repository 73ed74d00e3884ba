package org.scxm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Zeppelin as its users use it: a real Zeppelin server started as `./scxm zeppelin --ui DIR` starts it, serving
 * Zeppelin's own web UI (the classic UI built from source, ../shared/zeppelin-web/classic), and a real headless
 * Chromium. The quickstart note (small form values, plus one paragraph with a mistake) is opened, paragraphs
 * are run with the paragraph's own run button, and the test checks what a user sees: a table drawn by Zeppelin
 * with its chart buttons, a plot with one point per cell, the one-sentence error. Then the first plot's paragraph
 * is deleted and the interpreter restarted: the other plot must still draw after a reload. Screenshots go to
 * target/browser-it/. Runs with -Dscxm.zeppelin.server=true when Chromium and a UI folder are there (CI installs
 * Chromium); otherwise it is skipped and says which is missing.
 */
class BrowserIT {
    static final Path SHOTS = Path.of("target", "browser-it");
    static final String ERROR_TEXT = "%scxm\nplot spatial val gene=NOTAGENE";

    static Path ui() {
        return Path.of(System.getProperty(
                        "scxm.zeppelin.ui",
                        System.getProperty("scxm.shared", "../../shared") + "/zeppelin-web/classic"))
                .toAbsolutePath()
                .normalize();
    }

    @Test
    void aUserRunsTheQuickstartInZeppelinsOwnPages() throws Exception {
        assumeTrue(
                Boolean.getBoolean("scxm.zeppelin.server"), "the browser test runs with -Dscxm.zeppelin.server=true");
        assumeTrue(
                Files.isRegularFile(ui().resolve("index.html")),
                "no Zeppelin web UI at " + ui()
                        + "; build one (docs/zeppelin.md) and pass -Dscxm.zeppelin.ui=DIR to run the browser test");
        assumeTrue(
                Files.isExecutable(Chromium.binary()),
                "no Chromium at " + Chromium.binary()
                        + "; apt-get install chromium (.ci/run does) or pass -Dscxm.chromium=PATH to run the browser test");

        Path home = Path.of("target", "zeppelin-browser-home").toAbsolutePath();
        ZeppelinHome zeppelin = new ZeppelinHome(ZeppelinServerIT.PROJECT_ROOT, home);
        ZeppelinServer server = new ZeppelinServer(zeppelin);
        server.stop();
        ZeppelinHome.deleteTree(home);
        zeppelin.prepare(Path.of(System.getProperty("java.home")), ui());
        ZeppelinRest rest = server.start(ZeppelinServerIT.freePort(), Duration.ofSeconds(120));
        try (Chromium browser = new Chromium(1280, 1000)) {
            String noteId = rest.importNote("/it/quickstart-browser", quickstartWithAMistake());
            Map<String, String> ids = paragraphIds(rest.note(noteId));
            String load = ids.get("1. Load the demo tissue"),
                    harmonise = ids.get("2. Harmonise gene panels"),
                    bulk = ids.get("3. Bulk the spatial panel (paper 3.1)"),
                    gene = ids.get("4. Look at one gene in tissue"),
                    types = ids.get("11. Cell types"),
                    mistake = ids.get("a mistake");

            browser.open(rest.baseUri() + "#/notebook/" + noteId);
            Chromium.waitFor(
                    () -> ok(
                            () -> browser.isTrue("document.querySelector('#" + load + "_control .icon-control-play')")),
                    Duration.ofSeconds(60),
                    "the note page to show its paragraphs");

            assertEquals("FINISHED", runByButton(browser, load));
            String table = "#" + load + "_container";
            Chromium.waitFor(
                    () -> ok(
                            () -> browser.isTrue("document.querySelectorAll('" + table + " .ui-grid-row').length > 0")),
                    Duration.ofSeconds(30),
                    "Zeppelin's table to draw the rows of `load demo`");
            int chartButtons = browser.eval(
                            "document.querySelectorAll('" + table + " .result-chart-selector button').length")
                    .getAsInt();
            assertTrue(
                    chartButtons >= 5,
                    "a %table result shows Zeppelin's table and chart buttons; found " + chartButtons);
            browser.screenshot(SHOTS.resolve("zeppelin-table.png"), table);
            String header = browser.eval("Array.from(document.querySelectorAll('" + table + " .ui-grid-header-cell'))"
                            + ".map(function(e){return e.textContent.trim();}).join('|')")
                    .getAsString();
            assertTrue(
                    header.contains("cells") && header.contains("genes"),
                    "the table's header as a user reads it: " + header);

            for (String p : new String[] {harmonise, bulk, gene, types}) {
                assertEquals(
                        "FINISHED",
                        runByButton(browser, p),
                        () -> "paragraph " + p + " shows: " + text(browser, "#" + p + "_container"));
            }
            int genePoints = expectedPoints(rest, noteId, gene), typePoints = expectedPoints(rest, noteId, types);
            assertTrue(
                    genePoints > 100 && typePoints > 100,
                    "the figures hold the demo's cells: " + genePoints + ", " + typePoints);
            assertEquals(genePoints, drawnPoints(browser, gene), "every cell of every panel is drawn as a point");
            assertEquals(typePoints, drawnPoints(browser, types));
            browser.screenshot(SHOTS.resolve("zeppelin-plot.png"), "#" + gene + "_container");
            // The figure takes its paragraph's width and follows it when the window narrows.
            String svg = "#" + gene + "_container .scxm-plot .main-svg", box = "#" + gene + "_container .scxm-plot";
            int wide = width(browser, svg);
            assertTrue(
                    Math.abs(wide - width(browser, box)) <= 2 && wide > 900,
                    "the figure fills its paragraph: " + wide + " px");
            browser.width(760, 1000);
            Chromium.waitFor(
                    () -> ok(() -> width(browser, svg) < 760),
                    Duration.ofSeconds(20),
                    "the figure to follow a narrower window");
            assertTrue(
                    Math.abs(width(browser, svg) - width(browser, box)) <= 2,
                    "still as wide as its paragraph after narrowing");
            browser.width(1280, 1000);

            assertEquals("ERROR", runByButton(browser, mistake));
            // The status shows before the result is drawn: wait for the error's text itself.
            String errorText = "#" + mistake + "_container .plainTextContent";
            Chromium.waitFor(
                    () -> ok(() -> browser.isTrue("(function(){var e=document.querySelector('" + errorText + "');"
                            + "return !!e && e.innerText.trim().length > 0;})()")),
                    Duration.ofSeconds(30),
                    "the error paragraph to show its sentence");
            String error = browser.eval("document.querySelector('" + errorText + "').innerText")
                    .getAsString()
                    .strip();
            assertTrue(
                    error.contains("NOTAGENE") && !error.contains("\n") && !error.contains("Exception"),
                    "an error is one sentence a user can act on: " + error);
            browser.screenshot(SHOTS.resolve("zeppelin-error.png"), "#" + mistake + "_container");

            // The first plot's paragraph goes away and the interpreter restarts: the other figure still draws on its
            // own.
            rest.call("DELETE", "api/notebook/" + noteId + "/paragraph/" + gene, null);
            rest.restartInterpreter("scxm");
            browser.open("about:blank");
            browser.open(rest.baseUri() + "#/notebook/" + noteId);
            Chromium.waitFor(
                    () -> ok(() -> browser.isTrue("document.querySelector('#" + types + "_control')")),
                    Duration.ofSeconds(60),
                    "the note to reload");
            assertFalse(
                    browser.isTrue("document.querySelector('#" + gene + "_container')"),
                    "the deleted paragraph is gone");
            assertEquals(
                    typePoints,
                    drawnPoints(browser, types),
                    "a figure draws after the first plot was deleted and the interpreter restarted");
            browser.screenshot(SHOTS.resolve("zeppelin-after-restart.png"), "#" + types + "_container");
        } finally {
            assertTrue(server.stop(), "the server started by the test should be stoppable");
        }
    }

    /** Clicks the paragraph's run button and waits for it to end; returns the status the paragraph shows. */
    static String runByButton(Chromium browser, String paragraphId) throws Exception {
        String control = "#" + paragraphId + "_control";
        browser.click(control + " .icon-control-play");
        String[] status = {""};
        Chromium.waitFor(
                () -> ok(() -> {
                    JsonElement shown = browser.eval("(function(){var c=document.querySelector('" + control + "');"
                            + "return c ? c.textContent.replace(/\\s+/g,' ') : 'no control on ' + location.href;})()");
                    status[0] = shown.getAsString();
                    return status[0].contains("FINISHED") || status[0].contains("ERROR") || status[0].contains("ABORT");
                }),
                Duration.ofSeconds(120),
                "paragraph " + paragraphId + " to finish (shows '" + status[0] + "')");
        return status[0].contains("FINISHED") ? "FINISHED" : status[0].contains("ERROR") ? "ERROR" : "ABORT";
    }

    static int width(Chromium browser, String selector) throws Exception {
        return (int) Math.round(browser.eval("document.querySelector('" + selector + "').getBoundingClientRect().width")
                .getAsDouble());
    }

    /** The number of markers plotly.js drew in the paragraph's figure (SVG points, once it has drawn). */
    static int drawnPoints(Chromium browser, String paragraphId) throws Exception {
        String sel = "#" + paragraphId + "_container .scxm-plot";
        Chromium.waitFor(
                () -> ok(() -> browser.isTrue("document.querySelector('" + sel + " .main-svg')")),
                Duration.ofSeconds(60),
                "the figure of paragraph " + paragraphId + " to draw (its text: " + text(browser, sel) + ")");
        return browser.eval("document.querySelectorAll('" + sel + " .scatterlayer .point').length")
                .getAsInt();
    }

    private static String text(Chromium browser, String sel) {
        try {
            JsonElement t = browser.eval("(document.querySelector('" + sel + "')||{}).innerText");
            return t == null ? "none" : t.getAsString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Points the figure should have: the x values of every trace in the figure JSON Zeppelin stored for the paragraph. */
    static int expectedPoints(ZeppelinRest rest, String noteId, String paragraphId) throws InterruptedException {
        // The UI shows FINISHED before the server has stored the paragraph's results: wait for them.
        JsonObject p = ZeppelinServerIT.awaitResults(rest, noteId, paragraphId, Duration.ofSeconds(60));
        for (JsonElement m : p.getAsJsonObject("results").getAsJsonArray("msg")) {
            String html = m.getAsJsonObject().get("data").getAsString();
            int from = html.indexOf("var fig="), to = html.indexOf(",src=[");
            if (from < 0 || to < 0) continue;
            int n = 0;
            for (JsonElement trace : JsonParser.parseString(html.substring(from + "var fig=".length(), to))
                    .getAsJsonObject()
                    .getAsJsonArray("data")) {
                n += trace.getAsJsonObject().getAsJsonArray("x").size();
            }
            return n;
        }
        throw new AssertionError("paragraph " + paragraphId + " has no figure result");
    }

    /** The quickstart with small form values and, at the end, a paragraph with a mistake in it. */
    static String quickstartWithAMistake() throws Exception {
        String small = org.scxm.zeppelin.DemoForms.withSmallForms(
                Files.readString(ZeppelinServerIT.PROJECT_ROOT.resolve("notebooks/quickstart.zpln")));
        JsonObject note = JsonParser.parseString(small).getAsJsonObject();
        JsonObject mistake = new JsonObject();
        mistake.addProperty("title", "a mistake");
        mistake.addProperty("text", ERROR_TEXT);
        note.getAsJsonArray("paragraphs").add(mistake);
        return note.toString();
    }

    static Map<String, String> paragraphIds(JsonObject note) {
        Map<String, String> ids = new LinkedHashMap<>();
        JsonArray ps = note.getAsJsonArray("paragraphs");
        for (JsonElement p : ps) {
            JsonObject o = p.getAsJsonObject();
            if (o.has("title"))
                ids.put(o.get("title").getAsString(), o.get("id").getAsString());
        }
        return ids;
    }

    interface Check {
        boolean get() throws Exception;
    }

    /** A check that counts a passing exception (the page still loading) as not yet. */
    static boolean ok(Check c) {
        try {
            return c.get();
        } catch (Exception e) {
            return false;
        }
    }
}
