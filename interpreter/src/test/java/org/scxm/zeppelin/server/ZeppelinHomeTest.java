package org.scxm.zeppelin.server;

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
    String shipped = Files.readString(Path.of("src/main/resources/interpreter-setting.json"));
    JsonObject setting = JsonParser.parseString(ZeppelinHome.withJavaHome(shipped, "/opt/jdk-21")).getAsJsonArray().get(0).getAsJsonObject();
    JsonObject properties = setting.getAsJsonObject("properties");
    // Zeppelin exports upper-case property names to the launcher's environment; that is what moves the JDK.
    assertEquals("/opt/jdk-21", properties.getAsJsonObject("JAVA_HOME").get("defaultValue").getAsString());
    assertEquals("JAVA_HOME", properties.getAsJsonObject("JAVA_HOME").get("envName").getAsString());
    JsonObject original = JsonParser.parseString(shipped).getAsJsonArray().get(0).getAsJsonObject();
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
    ScxmException e = assertThrows(ScxmException.class, () -> zeppelin.prepare(Path.of(System.getProperty("java.home"))));
    assertTrue(e.getMessage().contains("interpreter/target/interpreter/scxm") && e.getMessage().contains("./scxm build"), e.getMessage());
    assertTrue(zeppelin.runningPid().isEmpty());
    assertTrue(!zeppelin.stop(), "stop without a server reports that none was running");
  }

  @Test
  void notesAreWrittenInTheLayoutZeppelinReadsAtStart(@TempDir Path dir) throws Exception {
    Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
    Files.writeString(notebooks.resolve("my_note.zpln"), "{\"name\":\"x\",\"paragraphs\":[{\"text\":\"%scxm\\nhelp\"},{\"id\":\"keep\",\"text\":\"%scxm\\nhelp help\"}]}");
    ZeppelinHome.writeNotebooks(notebooks, dir.resolve("notebook"));
    ZeppelinHome.writeNotebooks(notebooks, dir.resolve("notebook")); // again: still one file
    try (var files = Files.list(dir.resolve("notebook/scxm"))) {
      var written = files.toList();
      assertEquals(1, written.size(), written.toString());
      String file = written.get(0).getFileName().toString();
      JsonObject note = JsonParser.parseString(Files.readString(written.get(0))).getAsJsonObject();
      assertEquals("my_note_" + note.get("id").getAsString() + ".zpln", file, "Zeppelin takes the id from after the last _");
      assertTrue(note.get("id").getAsString().matches("[A-Z0-9]{9}"), note.get("id").getAsString());
      assertEquals("my_note", note.get("name").getAsString());
      var paragraphs = note.getAsJsonArray("paragraphs");
      assertEquals("keep", paragraphs.get(1).getAsJsonObject().get("id").getAsString());
      assertTrue(paragraphs.get(0).getAsJsonObject().has("id"), "Zeppelin cannot run a paragraph without an id");
    }
  }

  @Test
  void installTimeDefaultsOverrideOrAddProperties() {
    String json = "[{\"group\":\"scxm\",\"properties\":{\"scxm.data.root\":{\"envName\":null,\"propertyName\":\"scxm.data.root\",\"defaultValue\":\".\",\"type\":\"string\"}}}]";
    JsonObject props = JsonParser.parseString(ZeppelinHome.withDefaults(json,
        java.util.Map.of("scxm.data.root", "/data", "ZEPPELIN_INTP_MEM", "-Xmx8g"))).getAsJsonArray().get(0).getAsJsonObject().getAsJsonObject("properties");
    assertEquals("/data", props.getAsJsonObject("scxm.data.root").get("defaultValue").getAsString());
    assertEquals("ZEPPELIN_INTP_MEM", props.getAsJsonObject("ZEPPELIN_INTP_MEM").get("envName").getAsString());
    var envName = props.getAsJsonObject("scxm.data.root").get("envName"); // absent or null: not an environment variable
    assertTrue(envName == null || envName.isJsonNull());
  }
}
