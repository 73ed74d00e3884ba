package org.scxm.zeppelin.server;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.scxm.ScxmException;

/**
 * A local Zeppelin 0.10.0 server with %scxm installed, built only from Maven Central jars (there is no web UI
 * jar there, so the server answers REST and serves a placeholder page; the docker recipe has the full UI).
 *
 * <p>Layout of the home (default {@code .scxm/zeppelin} under the project root):
 * {@code interpreter/zeppelin-interpreter-shaded-0.10.1.jar}, {@code interpreter/scxm/} (links to the packaged
 * interpreter folder, with a JAVA_HOME property so the interpreter process runs on the JDK running this),
 * {@code bin/interpreter.sh} (our launcher), {@code notebook/}, {@code conf/}, {@code webapp/}, {@code logs/},
 * {@code run/server.pid}. Entry point for {@code ./scxm zeppelin [start|stop|status] [--port N] [--home DIR]}.
 */
public final class ZeppelinHome {
  public static final int DEFAULT_PORT = 18080;
  static final String HOST = "127.0.0.1";
  /** Where imported notes live inside Zeppelin's note tree. */
  public static final String NOTE_FOLDER = "/scxm/";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private final Path projectRoot;
  private final Path home;

  public ZeppelinHome(Path projectRoot, Path home) {
    this.projectRoot = projectRoot.toAbsolutePath().normalize();
    this.home = home.toAbsolutePath().normalize();
  }

  /** The project root from -Dscxm.root (set by ./scxm), else the working directory. */
  public static Path projectRoot() {
    return Path.of(System.getProperty("scxm.root", ".")).toAbsolutePath().normalize();
  }

  public Path home() {
    return home;
  }

  public static void main(String[] args) {
    String command = "start";
    int port = DEFAULT_PORT;
    Path root = projectRoot();
    Path home = root.resolve(".scxm/zeppelin");
    Path javaHome = Path.of(System.getProperty("java.home"));
    Map<String, String> defaults = new java.util.LinkedHashMap<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "start", "stop", "status", "install" -> command = args[i];
          case "--port" -> port = Integer.parseInt(requireValue(args, ++i, "--port"));
          case "--home" -> home = Path.of(requireValue(args, ++i, "--home"));
          case "--java-home" -> javaHome = Path.of(requireValue(args, ++i, "--java-home"));
          case "--set" -> {
            String kv = requireValue(args, ++i, "--set");
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new ScxmException("--set needs key=value, e.g. --set scxm.data.root=/data; got '" + kv + "'.");
            defaults.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          default -> throw new ScxmException("Unknown argument '" + args[i] + "' for zeppelin; use: zeppelin [start|stop|status]"
              + " [--port N] [--home DIR], or zeppelin install --home ZEPPELIN_HOME --java-home JDK [--set key=value ...].");
        }
      }
      ZeppelinHome zeppelin = new ZeppelinHome(root, home);
      switch (command) {
        case "install" -> {
          zeppelin.installInto(javaHome, defaults);
          System.out.println("%scxm installed in " + zeppelin.home.resolve("interpreter/scxm") + " (interpreter JDK " + javaHome
              + "), notes in " + zeppelin.home.resolve("notebook" + NOTE_FOLDER) + ".");
        }
        case "stop" -> System.out.println(zeppelin.stop() ? "Zeppelin stopped." : "No Zeppelin server was running from " + home + ".");
        case "status" -> System.out.println(zeppelin.runningPid().map(p -> "Zeppelin is running (pid " + p + ") from " + zeppelin.home)
            .orElse("No Zeppelin server is running from " + home + "."));
        default -> {
          if (zeppelin.runningPid().isPresent()) {
            System.out.println("Zeppelin is already running (pid " + zeppelin.runningPid().get() + "); stop it with ./scxm zeppelin stop.");
            return;
          }
          zeppelin.prepare(javaHome);
          ZeppelinRest rest = zeppelin.start(port, Duration.ofSeconds(120));
          System.out.println("Zeppelin " + rest.version() + " with %scxm is running at " + rest.baseUri()
              + " (pid " + zeppelin.runningPid().orElse(-1L) + ", home " + zeppelin.home + ").");
          System.out.println("Notes under " + NOTE_FOLDER + ": " + String.join(", ", zeppelin.noteNames()) + ".");
          System.out.println("This server has no web UI (it is not on Maven Central); use its REST API, or the"
              + " docker recipe in docker/ for the full UI. Logs: " + zeppelin.home.resolve("logs") + ".");
          System.out.println("Stop it with: ./scxm zeppelin stop");
        }
      }
    } catch (ScxmException e) {
      System.err.println("scxm zeppelin: " + e.getMessage());
      System.exit(1);
    } catch (NumberFormatException e) {
      System.err.println("scxm zeppelin: --port needs a number, e.g. --port " + DEFAULT_PORT + ".");
      System.exit(2);
    }
  }

  private static String requireValue(String[] args, int i, String option) {
    if (i >= args.length) throw new ScxmException("Option " + option + " needs a value.");
    return args[i];
  }

  /**
   * Lays out the Zeppelin home: server jars resolved (building zeppelin/pom.xml with Maven if needed),
   * %scxm installed with the given JDK as its interpreter JAVA_HOME, our launcher, placeholder web UI.
   */
  public void prepare(Path interpreterJavaHome) {
    Path serverBuild = projectRoot.resolve("zeppelin/target");
    Path markdown = projectRoot.resolve("zeppelin/markdown/target/md");
    if (!Files.isDirectory(serverBuild.resolve("server-lib")) || !Files.isDirectory(serverBuild.resolve("interpreter-runtime"))
        || !Files.isDirectory(markdown)) {
      resolveServerJars();
    }
    Path packaged = packagedInterpreter();
    try {
      for (String dir : List.of("conf", "notebook", "logs", "run", "bin", "webapp", "interpreter", "local-repo")) {
        Files.createDirectories(home.resolve(dir));
      }
      Path runtime = onlyJar(serverBuild.resolve("interpreter-runtime"));
      deleteMatching(home.resolve("interpreter"), "zeppelin-interpreter-shaded-");
      Files.copy(runtime, home.resolve("interpreter").resolve(runtime.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      installInterpreter(packaged, home.resolve("interpreter/scxm"), interpreterJavaHome, Map.of(), true);
      linkJars(markdown, home.resolve("interpreter/md")); // Zeppelin's %md, for the notes' prose paragraphs
      writeNotebooks(projectRoot.resolve("notebooks"), home.resolve("notebook"));
      Path launcher = home.resolve("bin/interpreter.sh");
      try (var in = ZeppelinHome.class.getResourceAsStream("interpreter.sh")) {
        Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(home.resolve("webapp/index.html"), """
          <!doctype html><title>Zeppelin (REST only)</title>
          <p>This Zeppelin server runs without its web UI, which is not published on Maven Central.
          Use its REST API (e.g. <a href="api/notebook">api/notebook</a>) or the SCXM docker recipe for the full UI.
          """);
    } catch (IOException e) {
      throw new ScxmException("Could not prepare the Zeppelin home " + home + " (" + e.getMessage() + "); check that it is writable.", e);
    }
  }

  /**
   * Installs %scxm into an existing Zeppelin installation (the docker image does this): a copy of the packaged
   * interpreter folder with the given JDK and property defaults, and the notes under notebook/scxm/.
   */
  public void installInto(Path interpreterJavaHome, Map<String, String> propertyDefaults) {
    Path packaged = packagedInterpreter();
    try {
      installInterpreter(packaged, home.resolve("interpreter/scxm"), interpreterJavaHome, propertyDefaults, false);
      writeNotebooks(projectRoot.resolve("notebooks"), home.resolve("notebook"));
    } catch (IOException e) {
      throw new ScxmException("Could not install %scxm into " + home + " (" + e.getMessage() + "); check that it is writable.", e);
    }
  }

  private Path packagedInterpreter() {
    Path packaged = projectRoot.resolve("interpreter/target/interpreter/scxm");
    if (!Files.isRegularFile(packaged.resolve("interpreter-setting.json"))) {
      throw new ScxmException("The packaged interpreter folder " + packaged
          + " is missing or has no interpreter-setting.json; build it with ./scxm build (mvn package).");
    }
    return packaged;
  }

  /**
   * Installs the interpreter folder (links to the packaged jars, which are hundreds of MB, or copies) plus an
   * interpreter-setting.json with a JAVA_HOME property: Zeppelin exports upper-case properties to the launcher's
   * environment, so the interpreter process runs on that JDK whatever JDK the server runs on.
   */
  static void installInterpreter(Path packaged, Path target, Path javaHome, Map<String, String> propertyDefaults, boolean link)
      throws IOException {
    deleteTree(target);
    Files.createDirectories(target);
    if (link) {
      linkJars(packaged, target);
    } else {
      try (Stream<Path> files = Files.list(packaged)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".jar")).toList()) Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    String setting = withJavaHome(Files.readString(packaged.resolve("interpreter-setting.json")), javaHome.toString());
    Files.writeString(target.resolve("interpreter-setting.json"), withDefaults(setting, propertyDefaults));
  }

  /** Replaces target with a folder of links to the jars in source. */
  static void linkJars(Path source, Path target) throws IOException {
    deleteTree(target);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
        Files.createSymbolicLink(target.resolve(f.getFileName()), f.toAbsolutePath());
      }
    }
  }

  /** interpreter-setting.json text with new default values; a key it does not know is added as a property. */
  public static String withDefaults(String settingJson, Map<String, String> defaults) {
    JsonArray settings = JsonParser.parseString(settingJson).getAsJsonArray();
    for (JsonElement s : settings) {
      JsonObject properties = s.getAsJsonObject().getAsJsonObject("properties");
      defaults.forEach((key, value) -> {
        JsonObject property = properties.has(key) ? properties.getAsJsonObject(key) : newProperty(key, "set at install time");
        property.addProperty("defaultValue", value);
        properties.add(key, property);
      });
    }
    return GSON.toJson(settings);
  }

  private static JsonObject newProperty(String key, String description) {
    JsonObject p = new JsonObject();
    // Upper-case names reach the launcher as environment variables (Zeppelin's RemoteInterpreterUtils.isEnvString).
    if (key.equals(key.toUpperCase(java.util.Locale.ROOT))) p.addProperty("envName", key);
    else p.add("envName", com.google.gson.JsonNull.INSTANCE);
    p.addProperty("propertyName", key);
    p.addProperty("description", description);
    p.addProperty("type", "string");
    return p;
  }

  /**
   * Writes each notes/*.zpln as notebook/scxm/NAME_ID.zpln, the layout Zeppelin 0.10+ reads at start: the id in
   * the file name and the JSON agree, and paragraphs without an id get a stable one.
   */
  static void writeNotebooks(Path notebooks, Path notebookDir) throws IOException {
    if (!Files.isDirectory(notebooks)) return;
    Path folder = notebookDir.resolve(NOTE_FOLDER.substring(1));
    Files.createDirectories(folder);
    try (Stream<Path> notes = Files.list(notebooks)) {
      for (Path note : notes.filter(p -> p.toString().endsWith(".zpln")).sorted().toList()) {
        String name = note.getFileName().toString().replaceFirst("\\.zpln$", "");
        String id = noteId(name);
        JsonObject json = JsonParser.parseString(Files.readString(note, StandardCharsets.UTF_8)).getAsJsonObject();
        json.addProperty("id", id);
        json.addProperty("name", name);
        int n = 0;
        for (JsonElement pe : json.getAsJsonArray("paragraphs")) {
          JsonObject p = pe.getAsJsonObject();
          n++;
          if (!p.has("id")) p.addProperty("id", "paragraph_" + id + "_" + n);
          if (!p.has("config")) p.add("config", new JsonObject());
          if (!p.has("settings")) p.add("settings", JsonParser.parseString("{\"params\":{},\"forms\":{}}"));
        }
        if (!json.has("config")) json.add("config", new JsonObject());
        if (!json.has("info")) json.add("info", new JsonObject());
        try (Stream<Path> old = Files.list(folder)) { // a renamed id must not leave a second copy behind
          for (Path o : old.filter(o -> o.getFileName().toString().startsWith(name + "_")).toList()) Files.delete(o);
        }
        Files.writeString(folder.resolve(name + "_" + id + ".zpln"), GSON.toJson(json), StandardCharsets.UTF_8);
      }
    }
  }

  /** A stable Zeppelin-style note id (9 upper-case letters and digits) derived from the note's name. */
  static String noteId(String name) {
    String h = Long.toString(Integer.toUnsignedLong(name.hashCode()), 36).toUpperCase(java.util.Locale.ROOT);
    return ("2SCXM" + h + "0000000000").substring(0, 9);
  }

  /** interpreter-setting.json text with a JAVA_HOME property (default value javaHome) on every setting. */
  public static String withJavaHome(String settingJson, String javaHome) {
    JsonArray settings = JsonParser.parseString(settingJson).getAsJsonArray();
    for (JsonElement s : settings) {
      JsonObject properties = s.getAsJsonObject().getAsJsonObject("properties");
      JsonObject javaHomeProperty = new JsonObject();
      javaHomeProperty.addProperty("envName", "JAVA_HOME");
      javaHomeProperty.addProperty("propertyName", "JAVA_HOME");
      javaHomeProperty.addProperty("defaultValue", javaHome);
      javaHomeProperty.addProperty("description", "JDK (21 or newer) that runs the %scxm interpreter process");
      javaHomeProperty.addProperty("type", "string");
      properties.add("JAVA_HOME", javaHomeProperty);
    }
    return GSON.toJson(settings);
  }

  private void resolveServerJars() {
    System.out.println("scxm: resolving the Zeppelin 0.10.0 server jars with Maven (first use; about 70 MB)...");
    Path log = projectRoot.resolve("zeppelin/target/resolve.log");
    try {
      Files.createDirectories(log.getParent());
      Process mvn = new ProcessBuilder("mvn", "-B", "-q", "-f", projectRoot.resolve("zeppelin/pom.xml").toString(), "package")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (mvn.waitFor() != 0) {
        throw new ScxmException("Resolving the Zeppelin server jars failed (mvn -f zeppelin/pom.xml package); see " + log + ".");
      }
    } catch (IOException e) {
      throw new ScxmException("Could not run Maven to resolve the Zeppelin server jars (" + e.getMessage() + "); install Maven (mvn).", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScxmException("Interrupted while resolving the Zeppelin server jars; run ./scxm zeppelin again.", e);
    }
  }

  /**
   * Starts the server on 127.0.0.1:port as a detached process (it outlives this JVM) and waits until its REST
   * API answers. The environment carries the three settings Zeppelin needs here: an ident string (else main()
   * waits on stdin), the loopback callback address and directories standing in for the UI wars.
   */
  public ZeppelinRest start(int port, Duration timeout) {
    Path serverLib = projectRoot.resolve("zeppelin/target/server-lib");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", home.resolve("conf") + ":" + serverLib + "/*", "org.apache.zeppelin.server.ZeppelinServer");
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("logs/server.log").toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = pb.environment();
    env.put("ZEPPELIN_HOME", home.toString());
    env.put("ZEPPELIN_CONF_DIR", home.resolve("conf").toString());
    env.put("ZEPPELIN_LOG_DIR", home.resolve("logs").toString());
    env.put("ZEPPELIN_PID_DIR", home.resolve("run").toString());
    env.put("ZEPPELIN_NOTEBOOK_DIR", home.resolve("notebook").toString());
    env.put("ZEPPELIN_INTERPRETER_DIR", home.resolve("interpreter").toString());
    env.put("ZEPPELIN_INTERPRETER_LOCALREPO", home.resolve("local-repo").toString());
    env.put("ZEPPELIN_INTERPRETER_REMOTE_RUNNER", home.resolve("bin/interpreter.sh").toString());
    env.put("ZEPPELIN_WAR", home.resolve("webapp").toString());
    env.put("ZEPPELIN_ANGULAR_WAR", home.resolve("webapp").toString());
    env.put("ZEPPELIN_IDENT_STRING", "scxm");
    env.put("ZEPPELIN_LOCAL_IP", HOST);
    env.put("ZEPPELIN_ADDR", HOST);
    env.put("ZEPPELIN_PORT", String.valueOf(port));
    env.put("ZEPPELIN_SEARCH_ENABLE", "false");
    Process server;
    try {
      if (portInUse(port)) {
        throw new ScxmException("Port " + port + " on " + HOST + " is in use; stop what uses it or pass --port N.");
      }
      server = pb.start();
      Files.writeString(home.resolve("run/server.pid"), String.valueOf(server.pid()));
    } catch (IOException e) {
      throw new ScxmException("Could not start the Zeppelin server (" + e.getMessage() + "); see " + home.resolve("logs/server.log") + ".", e);
    }
    ZeppelinRest rest = new ZeppelinRest(URI.create("http://" + HOST + ":" + port + "/"));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new ScxmException("The Zeppelin server exited with code " + server.exitValue() + " while starting; see "
            + home.resolve("logs/server.log") + ".");
      }
      if (rest.answers()) return rest;
      sleep(500);
    }
    server.destroy();
    throw new ScxmException("The Zeppelin server did not answer on " + rest.baseUri() + " within " + timeout.toSeconds()
        + " s; see " + home.resolve("logs/server.log") + ".");
  }

  List<String> noteNames() {
    try (Stream<Path> notes = Files.walk(home.resolve("notebook" + NOTE_FOLDER))) {
      return notes.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zpln"))
          .map(n -> n.replaceFirst("_[^_]+\\.zpln$", "")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The pid of the server started from this home, if it is still running. */
  public Optional<Long> runningPid() {
    Path pidFile = home.resolve("run/server.pid");
    try {
      if (!Files.exists(pidFile)) return Optional.empty();
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(c -> c.contains("ZeppelinServer")).orElse(true)).map(h -> pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Stops the server (its interpreter processes stop with it); false if none was running. */
  public boolean stop() {
    Optional<ProcessHandle> server = runningPid().flatMap(ProcessHandle::of);
    if (server.isEmpty()) return false;
    List<ProcessHandle> interpreters = server.get().descendants().toList();
    server.get().destroy();
    try {
      server.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      server.get().destroyForcibly();
    }
    interpreters.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    try {
      Files.deleteIfExists(home.resolve("run/server.pid"));
    } catch (IOException ignored) {
      // a stale pid file is ignored by runningPid()
    }
    return true;
  }

  private static boolean portInUse(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getByName(HOST))) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static Path onlyJar(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".jar")).findFirst()
          .orElseThrow(() -> new ScxmException("No Zeppelin interpreter runtime jar in " + dir + "; run mvn -f zeppelin/pom.xml package."));
    }
  }

  private static void deleteMatching(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) Files.delete(f);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScxmException("Interrupted while waiting for the Zeppelin server.", e);
    }
  }

  /** The few REST calls of Zeppelin 0.10 that the launcher and tests use. */
  public static final class ZeppelinRest {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ZeppelinRest(URI base) {
      this.base = base;
    }

    public URI baseUri() {
      return base;
    }

    boolean answers() {
      try {
        return http.send(HttpRequest.newBuilder(base.resolve("api/version")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    public String version() {
      return body(call("GET", "api/version", null)).get("version").getAsString();
    }

    /** Note paths such as /scxm/quickstart. */
    public List<String> notePaths() {
      List<String> paths = new ArrayList<>();
      for (JsonElement n : call("GET", "api/notebook", null).getAsJsonArray("body")) {
        JsonObject note = n.getAsJsonObject();
        paths.add((note.has("path") ? note.get("path") : note.get("name")).getAsString());
      }
      return paths;
    }

    /** Imports a .zpln text at the given note path; returns the new note id. */
    public String importNote(String notePath, String zpln) {
      return call("POST", "api/notebook/import?notePath=" + java.net.URLEncoder.encode(notePath, StandardCharsets.UTF_8), zpln)
          .get("body").getAsString();
    }

    /** Runs every paragraph of a note in order and waits for the run to end. */
    public JsonObject runNote(String noteId, Duration timeout) {
      return call("POST", "api/notebook/job/" + noteId + "?blocking=true", "", timeout);
    }

    public JsonObject note(String noteId) {
      return body(call("GET", "api/notebook/" + noteId, null));
    }

    public JsonObject call(String method, String path, String body) {
      return call(method, path, body, Duration.ofSeconds(60));
    }

    public JsonObject call(String method, String path, String body, Duration timeout) {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
          throw new ScxmException("Zeppelin answered " + response.statusCode() + " to " + method + " " + path + ": "
              + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return JsonParser.parseString(response.body()).getAsJsonObject();
      } catch (IOException e) {
        throw new ScxmException("Zeppelin at " + base + " did not answer " + method + " " + path + " (" + e.getMessage() + ").", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ScxmException("Interrupted while calling Zeppelin at " + base + ".", e);
      }
    }

    private static JsonObject body(JsonObject response) {
      return response.getAsJsonObject("body");
    }
  }
}
