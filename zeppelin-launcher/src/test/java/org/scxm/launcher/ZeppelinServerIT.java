package org.scxm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real Zeppelin 0.10.0 server (jars from Maven Central, no UI war) started the way `./scxm zeppelin` starts
 * it: %scxm installed, notebooks imported; then quickstart.zpln is imported through the REST API, run
 * paragraph by paragraph through Zeppelin's launcher and Thrift, and every paragraph must be FINISHED.
 * Slower (a server and an interpreter process): runs when -Dscxm.zeppelin.server=true (CI passes it).
 */
class ZeppelinServerIT {
    static final Path PROJECT_ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Used while notebooks/quickstart.zpln does not exist yet. */
    static final String FALLBACK_NOTE = """
      {"name": "server-it", "paragraphs": [
        {"title": "prose", "text": "%md\\n## Zeppelin's own markdown interpreter"},
        {"title": "reference", "text": "%scxm\\nhelp"},
        {"title": "one command", "text": "%scxm\\nhelp help"}]}
      """;

    /**
     * A server over a fresh home (as on a newcomer's machine) prepared for this JDK; the test is skipped unless
     * -Dscxm.zeppelin.server=true.
     */
    private static ZeppelinServer freshServer(Path home) throws Exception {
        assumeTrue(
                Boolean.getBoolean("scxm.zeppelin.server"),
                "the real-server test runs with -Dscxm.zeppelin.server=true");
        ZeppelinHome zeppelin = new ZeppelinHome(PROJECT_ROOT, home);
        ZeppelinServer server = new ZeppelinServer(zeppelin);
        server.stop();
        ZeppelinHome.deleteTree(home);
        zeppelin.prepare(Path.of(System.getProperty("java.home")), null);
        return server;
    }

    @Test
    void quickstartRunsInARealZeppelinServer() throws Exception {
        Path home = Path.of("target", "zeppelin-it-home").toAbsolutePath();
        ZeppelinServer server = freshServer(home);
        ZeppelinRest rest = server.start(freePort(), Duration.ofSeconds(120));
        try {
            assertEquals("0.10.0", rest.version());
            JsonObject setting = scxmSetting(rest);
            assertEquals(
                    System.getProperty("java.home"),
                    setting.getAsJsonObject("properties")
                            .getAsJsonObject("JAVA_HOME")
                            .get("value")
                            .getAsString(),
                    "the interpreter process runs on the JDK given to prepare()");

            // prepare() wrote the project's notes into the home; the server lists them once each.
            for (String name : notebookNames()) {
                long copies = rest.notePaths().stream()
                        .filter(p -> p.equals(ZeppelinHome.NOTE_FOLDER + name))
                        .count();
                assertEquals(1, copies, name + " should be listed once: " + rest.notePaths());
            }

            Path quickstart = PROJECT_ROOT.resolve("notebooks/quickstart.zpln");
            boolean real = Files.exists(quickstart);
            String noteId = rest.importNote(
                    "/it/quickstart",
                    real ? org.scxm.zeppelin.DemoForms.withSmallForms(Files.readString(quickstart)) : FALLBACK_NOTE);
            rest.runNote(noteId, Duration.ofMinutes(5));

            JsonObject note = awaitNoteResults(rest, noteId, Duration.ofSeconds(60));
            Set<String> typesSeen = new LinkedHashSet<>();
            List<String> report = new ArrayList<>();
            for (JsonElement pe : note.getAsJsonArray("paragraphs")) {
                JsonObject p = pe.getAsJsonObject();
                String text = p.has("text") ? p.get("text").getAsString() : "";
                if (text.isBlank()) continue;
                String status = p.has("status") ? p.get("status").getAsString() : "NO-STATUS";
                List<String> types = new ArrayList<>();
                String firstData = "";
                if (p.has("results")) {
                    for (JsonElement m : p.getAsJsonObject("results").getAsJsonArray("msg")) {
                        types.add(m.getAsJsonObject().get("type").getAsString());
                        if (firstData.isEmpty())
                            firstData = m.getAsJsonObject().get("data").getAsString();
                    }
                }
                typesSeen.addAll(types);
                report.add(status + " " + types + " " + text.replace('\n', ' ')
                        + (status.equals("FINISHED")
                                ? ""
                                : " -> " + firstData.substring(0, Math.min(400, firstData.length()))));
            }
            String all = String.join("\n", report);
            assertFalse(report.isEmpty(), "the note has no paragraphs");
            assertTrue(
                    report.stream().allMatch(r -> r.startsWith("FINISHED [")),
                    "every paragraph should be FINISHED:\n" + all + "\ninterpreter log: " + home.resolve("logs"));
            assertTrue(
                    report.stream().noneMatch(r -> r.startsWith("FINISHED [] ")),
                    "every paragraph should show a result:\n" + all);
            if (real) {
                assertTrue(
                        typesSeen.contains("TABLE") && typesSeen.contains("HTML"),
                        "the quickstart should give Zeppelin tables and Plotly HTML: " + typesSeen + "\n" + all);
            } else {
                assertEquals(Set.of("HTML", "TEXT"), typesSeen, all);
            }

            // A relative path resolves against the same workspace here as in the headless runner (default: the user's
            // home).
            String missing = "load sc x path=nowhere/x.h5ad";
            String pid = rest.call(
                            "POST",
                            "api/notebook/" + noteId + "/paragraph",
                            "{\"title\":\"workspace\",\"text\":\"%scxm\\n" + missing + "\"}")
                    .get("body")
                    .getAsString();
            rest.call("POST", "api/notebook/job/" + noteId + "/" + pid, "");
            JsonObject para = awaitResults(rest, noteId, pid, Duration.ofSeconds(60));
            assertEquals("ERROR", para.get("status").getAsString(), para.toString());
            JsonArray msgs = para.getAsJsonObject("results").getAsJsonArray("msg");
            String serverSays = msgs.get(msgs.size() - 1)
                    .getAsJsonObject()
                    .get("data")
                    .getAsString()
                    .strip();
            String runnerSays = new org.scxm.zeppelin.lang.Engine(org.scxm.zeppelin.lang.Settings.defaults())
                    .run(missing, org.scxm.Progress.NONE)
                    .error();
            assertEquals(
                    runnerSays, serverSays, "Zeppelin and the runner resolve path=nowhere/x.h5ad to the same file");
            assertTrue(
                    serverSays.contains(Path.of(System.getProperty("user.home"), "nowhere/x.h5ad")
                            .toString()),
                    serverSays);
        } finally {
            assertTrue(server.stop(), "the server started by the test should be stoppable");
        }
        assertTrue(server.runningPid().isEmpty());
    }

    /** A note whose figures are re-made after each of three interpreter restarts keeps its size: no figure carries plotly.js. */
    static final String PLOTS = """
      {"name": "plots", "paragraphs": [
        {"title": "data", "text": "%scxm\\nload demo cells=300 seed=0\\nharmonise"},
        {"title": "types", "text": "%scxm\\nplot spatial val show=celltype"},
        {"title": "gene", "text": "%scxm\\nplot spatial val gene=SFTPC show=input"}]}
      """;
    /** The bound on that note's size: its figures' data (300 cells) and Zeppelin's bookkeeping, far below plotly.js's 4.8 MB. */
    static final int PLOTS_NOTE_BOUND = 200_000;

    @Test
    void aNoteStaysTheSameSizeAcrossInterpreterRestarts() throws Exception {
        ZeppelinServer server =
                freshServer(Path.of("target", "zeppelin-it-restarts").toAbsolutePath());
        ZeppelinRest rest = server.start(freePort(), Duration.ofSeconds(120));
        try {
            String noteId = rest.importNote("/it/plots", PLOTS);
            List<Integer> sizes = new ArrayList<>();
            for (int run = 0; run <= 3; run++) {
                if (run > 0) rest.restartInterpreter("scxm");
                rest.runNote(noteId, Duration.ofMinutes(3));
                JsonObject note = awaitNoteResults(rest, noteId, Duration.ofSeconds(60));
                for (JsonElement pe : note.getAsJsonArray("paragraphs")) {
                    JsonObject p = pe.getAsJsonObject();
                    if (!p.has("text") || p.get("text").getAsString().isBlank()) continue;
                    assertTrue(ended(p), "a paragraph without a result: " + brief(p));
                    assertEquals("FINISHED", p.get("status").getAsString(), brief(p));
                }
                sizes.add(rest.export(noteId).length());
            }
            System.out.println("note size after 0..3 interpreter restarts (bytes): " + sizes);
            for (int size : sizes)
                assertTrue(size < PLOTS_NOTE_BOUND, "the note stays under " + PLOTS_NOTE_BOUND + " bytes: " + sizes);
            assertTrue(sizes.get(3) <= sizes.get(0) * 1.02, "three restarts do not grow the note: " + sizes);
        } finally {
            assertTrue(server.stop());
        }
    }

    static final Set<String> ENDED = Set.of("FINISHED", "ERROR", "ABORT");

    /** A paragraph has ended once its status is final and its results are stored (Zeppelin sets the status first). */
    static boolean ended(JsonObject p) {
        return p.has("status")
                && ENDED.contains(p.get("status").getAsString())
                && p.has("results")
                && p.getAsJsonObject("results").has("msg")
                && !p.getAsJsonObject("results").getAsJsonArray("msg").isEmpty();
    }

    static String brief(JsonObject p) {
        String s = p.toString();
        return s.substring(0, Math.min(600, s.length()));
    }

    /** Waits until the paragraph has a final status and its results; fails naming what it last saw. */
    static JsonObject awaitResults(ZeppelinRest rest, String noteId, String paragraphId, Duration timeout)
            throws InterruptedException {
        JsonObject p = null;
        for (long deadline = System.nanoTime() + timeout.toNanos(); System.nanoTime() < deadline; Thread.sleep(300)) {
            p = rest.call("GET", "api/notebook/" + noteId + "/paragraph/" + paragraphId, null)
                    .getAsJsonObject("body");
            if (ended(p)) return p;
        }
        throw new AssertionError("paragraph " + paragraphId + " did not end with a result within " + timeout
                + "; it last showed: " + (p == null ? "nothing" : brief(p)));
    }

    /**
     * The note once every paragraph with text has a final status and its results (or after the timeout, as it then
     * stands, so the caller's assertions name the paragraphs that lack them).
     */
    static JsonObject awaitNoteResults(ZeppelinRest rest, String noteId, Duration timeout) throws InterruptedException {
        JsonObject note = rest.note(noteId);
        for (long deadline = System.nanoTime() + timeout.toNanos(); System.nanoTime() < deadline; Thread.sleep(300)) {
            boolean all = true;
            for (JsonElement pe : note.getAsJsonArray("paragraphs")) {
                JsonObject p = pe.getAsJsonObject();
                boolean blank = !p.has("text") || p.get("text").getAsString().isBlank();
                if (!blank && !ended(p)) all = false;
            }
            if (all) return note;
            note = rest.note(noteId);
        }
        return note;
    }

    static JsonObject scxmSetting(ZeppelinRest rest) {
        for (JsonElement s : rest.call("GET", "api/interpreter/setting", null).getAsJsonArray("body")) {
            if (s.getAsJsonObject().get("name").getAsString().equals("scxm")) return s.getAsJsonObject();
        }
        throw new AssertionError("Zeppelin does not list the scxm interpreter setting");
    }

    static List<String> notebookNames() throws Exception {
        Path dir = PROJECT_ROOT.resolve("notebooks");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".zpln"))
                    .map(n -> n.substring(0, n.length() - ".zpln".length()))
                    .sorted()
                    .toList();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
