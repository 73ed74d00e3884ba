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
    ZeppelinHome zeppelin = new ZeppelinHome(root, root.resolve("home"));
    ScxmException e = assertThrows(ScxmException.class, () -> zeppelin.prepare(Path.of(System.getProperty("java.home"))));
    assertTrue(e.getMessage().contains("interpreter/target/interpreter/scxm") && e.getMessage().contains("./scxm build"), e.getMessage());
    assertTrue(zeppelin.runningPid().isEmpty());
    assertTrue(!zeppelin.stop(), "stop without a server reports that none was running");
  }
}
