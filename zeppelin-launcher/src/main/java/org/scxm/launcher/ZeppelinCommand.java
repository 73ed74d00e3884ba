package org.scxm.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scxm.ScxmException;

/**
 * {@code ./scxm zeppelin [start|stop|status] [--port N] [--home DIR] [--ui DIR] [--java-home JDK]}, and
 * {@code zeppelin install --home ZEPPELIN_HOME --java-home JDK [--web WEB_ROOT] [--set key=value ...]} for an existing
 * Zeppelin (--web: its unpacked web UI folder, which then serves scxm/plotly-4.1.2.min.js to the figures).
 */
public final class ZeppelinCommand {
    static final String USAGE = "zeppelin [start|stop|status] [--port N] [--home DIR] [--ui DIR] [--java-home JDK],"
            + " or zeppelin install --home ZEPPELIN_HOME --java-home JDK [--web WEB_ROOT] [--set key=value ...]";

    private ZeppelinCommand() {}

    /** Parsed arguments. */
    record Args(String command, int port, Path home, Path ui, Path javaHome, Path web, Map<String, String> defaults) {}

    static Args parse(String[] args, Path root, Map<String, String> env) {
        String command = "start";
        int port = ZeppelinServer.DEFAULT_PORT;
        Path home = root.resolve(".scxm/zeppelin");
        String uiEnv = env.get(ZeppelinHome.UI_ENV);
        Path ui = uiEnv == null || uiEnv.isBlank() ? null : Path.of(uiEnv);
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path web = null;
        Map<String, String> defaults = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "start", "stop", "status", "install" -> command = args[i];
                case "--port" -> {
                    String v = value(args, ++i, "--port");
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new ScxmException("--port needs a number, e.g. --port " + ZeppelinServer.DEFAULT_PORT
                                + "; got '" + v + "'.");
                    }
                }
                case "--home" -> home = Path.of(value(args, ++i, "--home"));
                case "--ui" -> ui = Path.of(value(args, ++i, "--ui"));
                case "--java-home" -> javaHome = Path.of(value(args, ++i, "--java-home"));
                case "--web" -> web = Path.of(value(args, ++i, "--web"));
                case "--set" -> {
                    String kv = value(args, ++i, "--set");
                    int eq = kv.indexOf('=');
                    if (eq <= 0)
                        throw new ScxmException(
                                "--set needs key=value, e.g. --set scxm.workdir=/workspace; got '" + kv + "'.");
                    defaults.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default ->
                    throw new ScxmException("Unknown argument '" + args[i] + "' for zeppelin; use: " + USAGE + ".");
            }
        }
        return new Args(command, port, home, ui, javaHome, web, defaults);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new ScxmException("Option " + option + " needs a value.");
        return args[i];
    }

    public static void main(String[] argv) {
        try {
            Args a = parse(argv, ZeppelinHome.projectRoot(), System.getenv());
            ZeppelinHome zeppelin = new ZeppelinHome(ZeppelinHome.projectRoot(), a.home());
            ZeppelinServer server = new ZeppelinServer(zeppelin);
            switch (a.command()) {
                case "install" -> {
                    zeppelin.installInto(a.javaHome(), a.defaults());
                    if (a.web() != null) ZeppelinHome.addPlotly(a.web());
                    System.out.println("%scxm installed in " + zeppelin.home().resolve("interpreter/scxm")
                            + " (interpreter JDK " + a.javaHome() + "), notes in "
                            + zeppelin.home().resolve("notebook" + ZeppelinHome.NOTE_FOLDER) + ".");
                }
                case "stop" ->
                    System.out.println(
                            server.stop()
                                    ? "Zeppelin stopped."
                                    : "No Zeppelin server was running from " + a.home() + ".");
                case "status" ->
                    System.out.println(server.runningPid()
                            .map(p -> "Zeppelin is running (pid " + p + ") from " + zeppelin.home()
                                    + (zeppelin.hasUi() ? " with its web UI." : " without a web UI."))
                            .orElse("No Zeppelin server is running from " + a.home() + "."));
                default -> start(zeppelin, server, a);
            }
        } catch (ScxmException e) {
            System.err.println("scxm zeppelin: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void start(ZeppelinHome zeppelin, ZeppelinServer server, Args a) {
        if (server.runningPid().isPresent()) {
            System.out.println("Zeppelin is already running (pid "
                    + server.runningPid().get() + "); stop it with ./scxm zeppelin stop.");
            return;
        }
        zeppelin.prepare(a.javaHome(), a.ui());
        ZeppelinRest rest = server.start(a.port(), Duration.ofSeconds(120));
        System.out.println("Zeppelin " + rest.version() + " with %scxm is running at " + rest.baseUri() + " (pid "
                + server.runningPid().orElse(-1L) + ", home " + zeppelin.home() + ").");
        System.out.println(
                "Notes under " + ZeppelinHome.NOTE_FOLDER + ": " + String.join(", ", zeppelin.noteNames()) + ".");
        if (a.ui() != null) {
            System.out.println("Open " + rest.baseUri() + " in a browser (web UI from "
                    + a.ui().toAbsolutePath().normalize() + ").");
        } else {
            System.out.println(
                    "This server has no web UI (Zeppelin's UI is on neither Maven Central nor npm): start it with --ui DIR"
                            + " (or " + ZeppelinHome.UI_ENV
                            + "=DIR), DIR being a built zeppelin-web folder (docs/zeppelin.md), or use the Docker"
                            + " recipe in docker/; meanwhile use its REST API. Logs: "
                            + zeppelin.home().resolve("logs") + ".");
        }
        System.out.println("Stop it with: ./scxm zeppelin stop");
    }
}
