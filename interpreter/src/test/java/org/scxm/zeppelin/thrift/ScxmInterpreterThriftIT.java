package org.scxm.zeppelin.thrift;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.zeppelin.interpreter.thrift.RemoteInterpreterContext;
import org.apache.zeppelin.interpreter.thrift.RemoteInterpreterResult;
import org.apache.zeppelin.interpreter.thrift.RemoteInterpreterResultMessage;
import org.apache.zeppelin.interpreter.thrift.RemoteInterpreterService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged interpreter folder (target/interpreter/scxm, built by `mvn package`) driven through Zeppelin's
 * own RemoteInterpreterServer over Thrift, exactly as a Zeppelin server drives it: register, init,
 * createInterpreter, open, interpret, getProgress, cancel. Runs on the shaded runtime that Zeppelin 0.10.x
 * ships, the newest on Maven Central (the Thrift IDL is the same through 0.12); it has no logging jars, so
 * this also proves the folder brings its own.
 */
class ScxmInterpreterThriftIT {
    static final String GROUP = "scxm-thrift-it";
    static final String SESSION = "shared_session";

    static Path interpreterDir() {
        // harness.intp.dir lets the harness drive another interpreter folder when debugging it.
        return Path.of(System.getProperty(
                "harness.intp.dir", System.getProperty("scxm.interpreter.dir", "target/interpreter/scxm")));
    }

    static Path runtimeDir() {
        return Path.of(System.getProperty("scxm.zeppelin.runtime", "target/zeppelin-runtime"));
    }

    static Stream<String> runtimes() throws Exception {
        try (Stream<Path> jars = Files.list(runtimeDir())) {
            List<String> found = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .toList();
            assertFalse(
                    found.isEmpty(), "no Zeppelin interpreter runtime jar in " + runtimeDir() + "; run mvn package");
            return found.stream();
        }
    }

    static String runtimeClasspath(String runtimeJar) {
        return runtimeDir().resolve(runtimeJar).toAbsolutePath().toString();
    }

    /** The interpreter's entry in the folder's interpreter-setting.json, as Zeppelin reads it. */
    static JsonObject setting() throws Exception {
        Path file = interpreterDir().resolve("interpreter-setting.json");
        assertTrue(Files.exists(file), "the interpreter folder must contain interpreter-setting.json: " + file);
        JsonArray settings = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        JsonObject scxm = settings.get(0).getAsJsonObject();
        assertEquals("scxm", scxm.get("group").getAsString(), "interpreter group name users type after %");
        return scxm;
    }

    static Map<String, String> defaultProperties(JsonObject setting) {
        Map<String, String> props = new HashMap<>();
        for (Map.Entry<String, JsonElement> e :
                setting.getAsJsonObject("properties").entrySet()) {
            JsonElement value = e.getValue().getAsJsonObject().get("defaultValue");
            props.put(e.getKey(), value == null || value.isJsonNull() ? "" : value.getAsString());
        }
        return props;
    }

    static RemoteInterpreterContext context(String paragraphId, String text) {
        RemoteInterpreterContext c = new RemoteInterpreterContext();
        c.setNoteId("note-thrift-it");
        c.setNoteName("thrift it");
        c.setParagraphId(paragraphId);
        c.setReplName("scxm");
        c.setParagraphTitle(paragraphId);
        c.setParagraphText("%scxm\n" + text);
        c.setAuthenticationInfo("{\"user\":\"alice\",\"roles\":[]}");
        c.setConfig("{}");
        c.setGui("{\"params\":{},\"forms\":{}}");
        c.setNoteGui("{\"params\":{},\"forms\":{}}");
        c.setLocalProperties(new HashMap<>());
        return c;
    }

    static String types(RemoteInterpreterResult r) {
        return r.getMsg().stream().map(RemoteInterpreterResultMessage::getType).collect(Collectors.joining(","));
    }

    static String describe(RemoteInterpreterResult r) {
        return r.getCode() + " "
                + r.getMsg().stream()
                        .map(m -> m.getType() + ": " + abbreviate(m.getData()))
                        .collect(Collectors.joining(" | "));
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    static ZeppelinThriftHarness zeppelin;
    static RemoteInterpreterService.Client client;
    static String className;
    static String help;

    @BeforeAll
    static void startInterpreterProcess() throws Exception {
        JsonObject setting = setting();
        className = setting.get("className").getAsString();
        String runtime = runtimes().findFirst().orElseThrow();
        Path javaHome = Path.of(System.getProperty("harness.intp.java.home", System.getProperty("java.home")));
        zeppelin = new ZeppelinThriftHarness(
                runtimeClasspath(runtime),
                interpreterDir(),
                javaHome,
                GROUP,
                Path.of("target", "thrift-it-" + runtime + ".log"));
        client = zeppelin.client();
        client.init(Map.of("zeppelin.interpreter.output.limit", "102400"));
        Map<String, String> properties = defaultProperties(setting);
        // Zeppelin adds these to every interpreter's properties; RemoteInterpreterServer requires the repo path.
        properties.put(
                "zeppelin.interpreter.localRepo",
                Path.of("target", "thrift-it-local-repo").toAbsolutePath().toString());
        properties.put("zeppelin.interpreter.output.limit", "102400");
        client.createInterpreter(GROUP, SESSION, className, properties, "alice");
        client.open(SESSION, className);
        help = run("help", "help").getMsg().stream()
                .map(RemoteInterpreterResultMessage::getData)
                .collect(Collectors.joining());
    }

    @AfterAll
    static void stopInterpreterProcess() throws Exception {
        if (zeppelin != null) zeppelin.close();
    }

    static RemoteInterpreterResult run(String paragraphId, String text) throws Exception {
        try {
            return client.interpret(SESSION, className, text, context(paragraphId, text));
        } catch (Exception e) {
            throw new AssertionError(
                    "interpret '" + text + "' failed over Thrift: " + e + "\nchild log:\n" + zeppelin.logTail(), e);
        }
    }

    /** Runs the paragraph and checks its code and that a message of the given type mentions the text. */
    static void expect(Paragraph p) throws Exception {
        RemoteInterpreterResult r = run(p.id(), p.text());
        String got = describe(r);
        assertEquals(p.code(), r.getCode(), p.text() + " -> " + got + "\nchild log:\n" + zeppelin.logTail());
        assertTrue(types(r).contains(p.type()), p.text() + " should give a " + p.type() + " message: " + got);
        String data = r.getMsg().stream()
                .filter(m -> m.getType().equals(p.type()))
                .map(RemoteInterpreterResultMessage::getData)
                .collect(Collectors.joining("\n"));
        assertTrue(data.contains(p.contains()), p.text() + " should mention '" + p.contains() + "': " + got);
    }

    /** Skips (visibly) a check whose commands the engine does not have yet. */
    static void assumeCommands(List<Paragraph> paragraphs) {
        for (Paragraph p : paragraphs) {
            String command = p.text().trim().split("\\s+")[0];
            assumeTrue(help.contains("\n  " + command), "the engine has no '" + command + "' command yet");
        }
    }

    @Test
    void formsHelpAndErrorsGoThroughZeppelin() throws Exception {
        assertEquals("SIMPLE", client.getFormType(SESSION, className), "dynamic forms (${gene=...}) need SIMPLE");
        for (Paragraph p : ThriftParagraphs.BASICS) expect(p);
        assertTrue(zeppelin.eventCalls.contains("registerInterpreterProcess"));
    }

    @Test
    void tablesAndPlotsComeBackAsZeppelinTableAndHtml() throws Exception {
        assumeCommands(ThriftParagraphs.RESULTS);
        for (Paragraph p : ThriftParagraphs.RESULTS) expect(p);
    }

    /**
     * What another interpreter's z.get("scxm...") does: Zeppelin asks the %scxm process for the pool's names
     * (resourcePoolGetAll) and then for one value (resourceGet), over Thrift, from another process.
     */
    @Test
    void tablesReachOtherInterpretersThroughTheResourcePool() throws Exception {
        assumeCommands(ThriftParagraphs.RESULTS);
        RemoteInterpreterResult r = run("pool-load", "load demo cells=300 seed=0\nlist");
        assertEquals("SUCCESS", r.getCode(), describe(r));
        String table = r.getMsg().stream()
                .filter(m -> m.getType().equals("TABLE"))
                .toList()
                .get(1)
                .getData(); // list's table
        List<String> names = client.resourcePoolGetAll().stream()
                .map(json -> JsonParser.parseString(json)
                        .getAsJsonObject()
                        .getAsJsonObject("resourceId")
                        .get("name")
                        .getAsString())
                .toList();
        assertTrue(
                names.contains("scxm.pool-load.2") && names.contains("scxm.datasets"),
                "the pool lists the paragraph's tables: " + names);
        Object value = org.apache.zeppelin.resource.Resource.deserializeObject(
                client.resourceGet(null, null, "scxm.pool-load.2"));
        assertEquals(table, value, "another process reads the table Zeppelin showed, as tab-separated text");
    }

    @Test
    void progressIsPolledAndCancelStopsAParagraph() throws Exception {
        assumeCommands(ThriftParagraphs.BEFORE_LONG_RUNNING);
        assumeCommands(List.of(new Paragraph("long", ThriftParagraphs.LONG_RUNNING, "", "", "")));
        for (Paragraph p : ThriftParagraphs.BEFORE_LONG_RUNNING) expect(p);
        assertProgressAndCancel(zeppelin, className);
        // The session survives a cancelled paragraph.
        expect(ThriftParagraphs.BASICS.get(0));
    }

    /** A long paragraph on one connection; getProgress and cancel on another, as Zeppelin's poller does. */
    static void assertProgressAndCancel(ZeppelinThriftHarness zeppelin, String className) throws Exception {
        String text = ThriftParagraphs.LONG_RUNNING;
        RemoteInterpreterService.Client runner = zeppelin.client();
        RemoteInterpreterService.Client poller = zeppelin.client();
        CompletableFuture<RemoteInterpreterResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.interpret(SESSION, className, text, context("long", text));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        int progress = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (progress <= 0 && !run.isDone() && System.nanoTime() < deadline) {
            progress = poller.getProgress(SESSION, className, context("long", text));
            Thread.sleep(50);
        }
        assertFalse(
                run.isDone(),
                "'" + text + "' finished before it could be cancelled: " + (run.isDone() ? describe(run.get()) : ""));
        assertTrue(
                progress > 0 && progress < 100,
                "getProgress while '" + text + "' runs should be in (0,100): " + progress);
        poller.cancel(SESSION, className, context("long", text));
        RemoteInterpreterResult r = run.get(30, TimeUnit.SECONDS);
        assertTrue(!r.getCode().equals("SUCCESS"), "a cancelled paragraph must not report SUCCESS: " + describe(r));
        assertTrue(
                describe(r).toLowerCase().contains("cancel"), "the result should say it was cancelled: " + describe(r));
    }

    record Paragraph(String id, String text, String code, String type, String contains) {}

    /** The paragraphs played through Zeppelin, with the result a user would see. */
    static final class ThriftParagraphs {
        static final List<Paragraph> BASICS = List.of(
                new Paragraph("help", "help", "SUCCESS", "TEXT", "Commands:"),
                new Paragraph("help-help", "help help", "SUCCESS", "TEXT", "help [COMMAND]"),
                new Paragraph("typo", "hlep", "ERROR", "TEXT", "help"));
        static final List<Paragraph> RESULTS = List.of(
                new Paragraph("load", "load demo cells=300 seed=0", "SUCCESS", "TABLE", "\t"),
                new Paragraph("harmonise", "harmonise", "SUCCESS", "TABLE", "\t"),
                new Paragraph("bulk", "bulk radius=25 kernel=gaussian", "SUCCESS", "TABLE", "mean_target"),
                new Paragraph("plot", "plot spatial val show=celltype", "SUCCESS", "HTML", "Plotly"),
                new Paragraph("list", "list", "SUCCESS", "TABLE", "val"));
        static final List<Paragraph> BEFORE_LONG_RUNNING = List.of(new Paragraph(
                "setup",
                "load demo cells=300 seed=0\nharmonise\nbulk\ntokenize max_length=64\nmodel m layers=1 hidden=32 width=32",
                "SUCCESS",
                "TEXT",
                ""));
        static final String LONG_RUNNING = "train steps=500 batch=4 critic=1";
    }
}
