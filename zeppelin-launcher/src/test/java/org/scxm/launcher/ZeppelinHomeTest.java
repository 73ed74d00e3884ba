package org.scxm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.ScxmException;

class ZeppelinHomeTest {
    @Test
    void javaHomePropertyIsAddedBesideTheInterpretersOwnProperties() throws Exception {
        String shipped = Files.readString(Path.of("../interpreter/src/main/resources/interpreter-setting.json"));
        JsonObject setting = JsonParser.parseString(InterpreterSettings.withJavaHome(shipped, "/opt/jdk-21"))
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject();
        JsonObject properties = setting.getAsJsonObject("properties");
        // Zeppelin exports upper-case property names to the launcher's environment; that is what moves the JDK.
        assertEquals(
                "/opt/jdk-21",
                properties.getAsJsonObject("JAVA_HOME").get("defaultValue").getAsString());
        assertEquals(
                "JAVA_HOME",
                properties.getAsJsonObject("JAVA_HOME").get("envName").getAsString());
        JsonObject original =
                JsonParser.parseString(shipped).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals(original.getAsJsonObject("properties").size() + 1, properties.size());
        assertEquals(original.get("className"), setting.get("className"));
    }

    @Test
    void preparingWithoutABuiltInterpreterFolderSaysHowToBuildIt(@TempDir Path root) throws Exception {
        // Server jars present (empty stand-ins) so that only the interpreter folder is missing.
        Files.createDirectories(root.resolve("zeppelin/target/server-lib"));
        Files.createDirectories(root.resolve("zeppelin/target/interpreter-runtime"));
        Files.createDirectories(root.resolve("zeppelin/markdown/target/md"));
        ZeppelinHome zeppelin = new ZeppelinHome(root, root.resolve("home"));
        ScxmException e = assertThrows(
                ScxmException.class, () -> zeppelin.prepare(Path.of(System.getProperty("java.home")), null));
        assertTrue(
                e.getMessage().contains("interpreter/target/interpreter/scxm")
                        && e.getMessage().contains("./scxm build"),
                e.getMessage());
        ZeppelinServer server = new ZeppelinServer(zeppelin);
        assertTrue(server.runningPid().isEmpty());
        assertTrue(!server.stop(), "stop without a server reports that none was running");
    }

    @Test
    void notesAreWrittenInTheLayoutZeppelinReadsAtStart(@TempDir Path dir) throws Exception {
        Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
        Files.writeString(
                notebooks.resolve("my_note.zpln"),
                "{\"name\":\"x\",\"paragraphs\":[{\"text\":\"%scxm\\nhelp\"},{\"id\":\"keep\",\"text\":\"%scxm\\nhelp help\"}]}");
        ZeppelinHome.writeNotebooks(notebooks, dir.resolve("notebook"));
        ZeppelinHome.writeNotebooks(notebooks, dir.resolve("notebook")); // again: still one file
        try (var files = Files.list(dir.resolve("notebook/scxm"))) {
            var written = files.toList();
            assertEquals(1, written.size(), written.toString());
            String file = written.get(0).getFileName().toString();
            JsonObject note =
                    JsonParser.parseString(Files.readString(written.get(0))).getAsJsonObject();
            assertEquals(
                    "my_note_" + note.get("id").getAsString() + ".zpln",
                    file,
                    "Zeppelin takes the id from after the last _");
            assertTrue(
                    note.get("id").getAsString().matches("[A-Z0-9]{9}"),
                    note.get("id").getAsString());
            assertEquals("my_note", note.get("name").getAsString());
            var paragraphs = note.getAsJsonArray("paragraphs");
            assertEquals("keep", paragraphs.get(1).getAsJsonObject().get("id").getAsString());
            assertTrue(paragraphs.get(0).getAsJsonObject().has("id"), "Zeppelin cannot run a paragraph without an id");
        }
    }

    @Test
    void installTimeDefaultsOverrideOrAddProperties() {
        String json =
                "[{\"group\":\"scxm\",\"properties\":{\"scxm.data.root\":{\"envName\":null,\"propertyName\":\"scxm.data.root\",\"defaultValue\":\".\",\"type\":\"string\"}}}]";
        JsonObject props = JsonParser.parseString(InterpreterSettings.withDefaults(
                        json, java.util.Map.of("scxm.data.root", "/data", "ZEPPELIN_INTP_MEM", "-Xmx8g")))
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject()
                .getAsJsonObject("properties");
        assertEquals(
                "/data",
                props.getAsJsonObject("scxm.data.root").get("defaultValue").getAsString());
        assertEquals(
                "ZEPPELIN_INTP_MEM",
                props.getAsJsonObject("ZEPPELIN_INTP_MEM").get("envName").getAsString());
        var envName =
                props.getAsJsonObject("scxm.data.root").get("envName"); // absent or null: not an environment variable
        assertTrue(envName == null || envName.isJsonNull());
    }

    @Test
    void aUiFolderIsLinkedIntoTheWebRootBesidePlotly(@TempDir Path dir) throws Exception {
        Path ui = Files.createDirectories(dir.resolve("ui"));
        Files.writeString(ui.resolve("index.html"), "<html>zeppelin</html>");
        Files.writeString(ui.resolve("app.123.js"), "//");
        ZeppelinHome.checkUi(ui);
        Path web = dir.resolve("webapp");
        ZeppelinHome.writeWebRoot(web, ui);
        assertTrue(Files.isSymbolicLink(web.resolve("index.html")) && Files.isSymbolicLink(web.resolve("app.123.js")));
        assertTrue(Files.readString(web.resolve("scxm/" + org.scxm.plot.PlotlyHtml.FILE))
                .contains("plotly.js v4"));
        ZeppelinHome.writeWebRoot(web, null); // without a UI: a page saying how to get one, and still plotly.js
        assertTrue(!Files.isSymbolicLink(web.resolve("index.html"))
                && Files.readString(web.resolve("index.html")).contains("--ui DIR"));
        assertTrue(Files.exists(ui.resolve("index.html")), "replacing the web root leaves the UI folder alone");
        assertTrue(Files.isRegularFile(web.resolve("scxm/" + org.scxm.plot.PlotlyHtml.FILE)));
    }

    @Test
    void aFolderThatIsNoUiIsRefusedInASentence(@TempDir Path dir) {
        ScxmException e = assertThrows(ScxmException.class, () -> ZeppelinHome.checkUi(dir));
        assertTrue(e.getMessage().contains("is not a Zeppelin web UI (no index.html there)"), e.getMessage());
    }

    @Test
    void uiComesFromTheOptionOrTheEnvironment() {
        Path root = Path.of("/p");
        assertEquals(
                null,
                ZeppelinCommand.parse(new String[] {}, root, java.util.Map.of()).ui());
        assertEquals(
                Path.of("/ui"),
                ZeppelinCommand.parse(new String[] {}, root, java.util.Map.of(ZeppelinHome.UI_ENV, "/ui"))
                        .ui());
        assertEquals(
                Path.of("/x"),
                ZeppelinCommand.parse(new String[] {"--ui", "/x"}, root, java.util.Map.of(ZeppelinHome.UI_ENV, "/ui"))
                        .ui());
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> ZeppelinCommand.parse(new String[] {"--port", "x"}, root, java.util.Map.of()));
        assertTrue(e.getMessage().startsWith("--port needs a number"), e.getMessage());
    }
}
