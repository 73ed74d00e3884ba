package org.scxm.launcher;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.scxm.ScxmException;
import org.scxm.plot.PlotlyHtml;

/**
 * The folder a local Zeppelin 0.10.0 server runs from, with %scxm installed, built only from Maven Central jars.
 *
 * <p>Layout (default {@code .scxm/zeppelin} under the project root): {@code interpreter/zeppelin-interpreter-shaded-0.10.1.jar},
 * {@code interpreter/scxm/} (links to the packaged interpreter folder, with a JAVA_HOME property so the interpreter
 * process runs on the given JDK), {@code interpreter/md/}, {@code bin/interpreter.sh} (our launcher), {@code notebook/},
 * {@code conf/}, {@code webapp/} (the web UI when one is given, else a page saying how to get one; always
 * {@code scxm/plotly-4.1.2.min.js}, where figures load plotly.js from), {@code logs/}, {@code run/server.pid}.
 */
public final class ZeppelinHome {
    /** Where imported notes live inside Zeppelin's note tree. */
    public static final String NOTE_FOLDER = "/scxm/";
    /** The web UI folder to serve when --ui is not given (documented in docs/zeppelin.md). */
    public static final String UI_ENV = "SCXM_ZEPPELIN_UI";

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

    Path serverBuild() {
        return projectRoot.resolve("zeppelin/target");
    }

    /** The folder Zeppelin serves as its web root (ZEPPELIN_WAR). */
    public Path webapp() {
        return home.resolve("webapp");
    }

    /** True when the web root holds a Zeppelin UI rather than the placeholder page. */
    public boolean hasUi() {
        return Files.isSymbolicLink(webapp().resolve("index.html"));
    }

    /**
     * Lays out the home: server jars resolved (building zeppelin/pom.xml with Maven if needed), %scxm installed with
     * the given JDK as its interpreter JAVA_HOME, our launcher, and the web root (the UI in ui, or none when null).
     */
    public void prepare(Path interpreterJavaHome, Path ui) {
        Path markdown = projectRoot.resolve("zeppelin/markdown/target/md");
        if (!Files.isDirectory(serverBuild().resolve("server-lib"))
                || !Files.isDirectory(serverBuild().resolve("interpreter-runtime"))
                || !Files.isDirectory(markdown)) {
            resolveServerJars();
        }
        Path packaged = packagedInterpreter();
        if (ui != null) checkUi(ui);
        try {
            for (String dir : List.of("conf", "notebook", "logs", "run", "bin", "interpreter", "local-repo")) {
                Files.createDirectories(home.resolve(dir));
            }
            Path runtime = onlyJar(serverBuild().resolve("interpreter-runtime"));
            deleteMatching(home.resolve("interpreter"), "zeppelin-interpreter-shaded-");
            Files.copy(
                    runtime,
                    home.resolve("interpreter").resolve(runtime.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
            installInterpreter(packaged, home.resolve("interpreter/scxm"), interpreterJavaHome, Map.of(), true);
            linkJars(markdown, home.resolve("interpreter/md")); // Zeppelin's %md, for the notes' prose paragraphs
            writeNotebooks(projectRoot.resolve("notebooks"), home.resolve("notebook"));
            Path launcher = home.resolve("bin/interpreter.sh");
            try (InputStream in = ZeppelinHome.class.getResourceAsStream("interpreter.sh")) {
                Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            writeWebRoot(webapp(), ui);
        } catch (IOException e) {
            throw new ScxmException(
                    "Could not prepare the Zeppelin home " + home + " (" + e.getMessage()
                            + "); check that it is writable.",
                    e);
        }
    }

    /** A folder is a Zeppelin web UI when it has index.html and Zeppelin's app bundle; anything else is refused in a sentence. */
    static void checkUi(Path ui) {
        if (!Files.isRegularFile(ui.resolve("index.html"))) {
            throw new ScxmException("--ui " + ui.toAbsolutePath()
                    + " is not a Zeppelin web UI (no index.html there); give the folder of a built"
                    + " zeppelin-web (e.g. ../shared/zeppelin-web/classic) or leave --ui out.");
        }
        try (Stream<Path> files = Files.list(ui)) {
            if (files.noneMatch(f -> f.getFileName().toString().matches("app\\..*\\.js"))) {
                throw new ScxmException("--ui " + ui.toAbsolutePath()
                        + " has an index.html but no app.*.js bundle; is it a built zeppelin-web folder"
                        + " (npm run build:dist writes one)?");
            }
        } catch (IOException e) {
            throw new ScxmException(
                    "Cannot read the web UI folder " + ui.toAbsolutePath() + " (" + e.getMessage() + ").", e);
        }
    }

    /**
     * The web root: links to every entry of the UI folder (it is not copied; 44 MB) or a page saying how to get a UI,
     * and beside them the bundled plotly.js under scxm/, which every %scxm figure loads (one copy per server, never in a note).
     */
    static void writeWebRoot(Path webapp, Path ui) throws IOException {
        deleteTree(webapp);
        Files.createDirectories(webapp);
        if (ui != null) {
            try (Stream<Path> entries = Files.list(ui.toAbsolutePath().normalize())) {
                for (Path e : entries.filter(e -> !e.getFileName().toString().equals("scxm"))
                        .toList()) {
                    Files.createSymbolicLink(webapp.resolve(e.getFileName().toString()), e);
                }
            }
        } else {
            Files.writeString(webapp.resolve("index.html"), """
          <!doctype html><meta charset="utf-8"><title>Zeppelin with %scxm (no web UI)</title>
          <p>This Zeppelin server runs without its web UI: Zeppelin's UI is published neither on Maven Central nor on npm.
          <p>To work in the notes in a browser, restart with a built UI folder: <code>./scxm zeppelin stop; ./scxm zeppelin --ui DIR</code>
          (or set SCXM_ZEPPELIN_UI=DIR); docs/zeppelin.md says how to build one with npm. Or use the Docker recipe in docker/,
          whose official image has the UI. Meanwhile the REST API answers, e.g. <a href="api/notebook">api/notebook</a>.
          """);
        }
        addPlotly(webapp);
    }

    /** Puts the bundled plotly.js where %scxm figures look first: scxm/plotly-4.1.2.min.js under a Zeppelin web root. */
    public static void addPlotly(Path webRoot) {
        try {
            PlotlyHtml.writeLibrary(webRoot.resolve("scxm"));
        } catch (IOException e) {
            throw new ScxmException(
                    "Cannot write plotly.js into the web root " + webRoot.toAbsolutePath() + " (" + e.getMessage()
                            + ").",
                    e);
        }
    }

    /**
     * Installs %scxm into an existing Zeppelin installation (the docker image does this): a copy of the packaged
     * interpreter folder with the given JDK and property defaults, and the notes under notebook/scxm/.
     */
    public void installInto(Path interpreterJavaHome, Map<String, String> propertyDefaults) {
        Path packaged = packagedInterpreter();
        try {
            installInterpreter(
                    packaged, home.resolve("interpreter/scxm"), interpreterJavaHome, propertyDefaults, false);
            writeNotebooks(projectRoot.resolve("notebooks"), home.resolve("notebook"));
        } catch (IOException e) {
            throw new ScxmException(
                    "Could not install %scxm into " + home + " (" + e.getMessage() + "); check that it is writable.",
                    e);
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

    /** The interpreter folder (links to the packaged jars, which are hundreds of MB, or copies) plus its edited setting. */
    static void installInterpreter(
            Path packaged, Path target, Path javaHome, Map<String, String> propertyDefaults, boolean link)
            throws IOException {
        deleteTree(target);
        Files.createDirectories(target);
        if (link) {
            linkJars(packaged, target);
        } else {
            try (Stream<Path> files = Files.list(packaged)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".jar")).toList())
                    Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        String setting = InterpreterSettings.withJavaHome(
                Files.readString(packaged.resolve("interpreter-setting.json")), javaHome.toString());
        Files.writeString(
                target.resolve("interpreter-setting.json"),
                InterpreterSettings.withDefaults(setting, propertyDefaults));
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

    /**
     * Writes each notes/*.zpln as notebook/scxm/NAME_ID.zpln, the layout Zeppelin 0.10+ reads at start: the id in
     * the file name and the JSON agree, and paragraphs without an id get a stable one.
     */
    static void writeNotebooks(Path notebooks, Path notebookDir) throws IOException {
        if (!Files.isDirectory(notebooks)) return;
        Path folder = notebookDir.resolve(NOTE_FOLDER.substring(1));
        Files.createDirectories(folder);
        try (Stream<Path> notes = Files.list(notebooks)) {
            for (Path note :
                    notes.filter(p -> p.toString().endsWith(".zpln")).sorted().toList()) {
                String name = note.getFileName().toString().replaceFirst("\\.zpln$", "");
                String id = noteId(name);
                JsonObject json = JsonParser.parseString(Files.readString(note, StandardCharsets.UTF_8))
                        .getAsJsonObject();
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
                    for (Path o : old.filter(o -> o.getFileName().toString().startsWith(name + "_"))
                            .toList()) Files.delete(o);
                }
                Files.writeString(
                        folder.resolve(name + "_" + id + ".zpln"),
                        InterpreterSettings.GSON.toJson(json),
                        StandardCharsets.UTF_8);
            }
        }
    }

    /** A stable Zeppelin-style note id (9 upper-case letters and digits) derived from the note's name. */
    static String noteId(String name) {
        String h = Long.toString(Integer.toUnsignedLong(name.hashCode()), 36).toUpperCase(java.util.Locale.ROOT);
        return ("2SCXM" + h + "0000000000").substring(0, 9);
    }

    List<String> noteNames() {
        try (Stream<Path> notes = Files.walk(home.resolve("notebook" + NOTE_FOLDER))) {
            return notes.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".zpln"))
                    .map(n -> n.replaceFirst("_[^_]+\\.zpln$", ""))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private void resolveServerJars() {
        System.out.println("scxm: resolving the Zeppelin 0.10.0 server jars with Maven (first use; about 70 MB)...");
        Path log = projectRoot.resolve("zeppelin/target/resolve.log");
        try {
            Files.createDirectories(log.getParent());
            Process mvn = new ProcessBuilder(
                            "mvn",
                            "-B",
                            "-q",
                            "-f",
                            projectRoot.resolve("zeppelin/pom.xml").toString(),
                            "package")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (mvn.waitFor() != 0) {
                throw new ScxmException(
                        "Resolving the Zeppelin server jars failed (mvn -f zeppelin/pom.xml package); see " + log
                                + ".");
            }
        } catch (IOException e) {
            throw new ScxmException(
                    "Could not run Maven to resolve the Zeppelin server jars (" + e.getMessage()
                            + "); install Maven (mvn).",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScxmException(
                    "Interrupted while resolving the Zeppelin server jars; run ./scxm zeppelin again.", e);
        }
    }

    private static Path onlyJar(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new ScxmException("No Zeppelin interpreter runtime jar in " + dir
                            + "; run mvn -f zeppelin/pom.xml package."));
        }
    }

    private static void deleteMatching(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .toList()) Files.delete(f);
        }
    }

    /** Deletes a folder tree without following links (a linked UI or jar stays where it is). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
