package org.scxm.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.scxm.ScxmException;

/** The Zeppelin 0.10.0 server process of one home: start (detached), find by its pid file, stop. */
public final class ZeppelinServer {
    public static final int DEFAULT_PORT = 18080;
    static final String HOST = "127.0.0.1";

    private final ZeppelinHome home;

    public ZeppelinServer(ZeppelinHome home) {
        this.home = home;
    }

    /**
     * Starts the server on 127.0.0.1:port as a detached process (it outlives this JVM) and waits until its REST
     * API answers. The environment carries the settings Zeppelin needs here: an ident string (else main() waits
     * on stdin), the loopback callback address, and the home's web folder (the UI, or a page saying how to get one).
     */
    public ZeppelinRest start(int port, Duration timeout) {
        Path dir = home.home();
        Path serverLib = home.serverBuild().resolve("server-lib");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                dir.resolve("conf") + ":" + serverLib + "/*",
                "org.apache.zeppelin.server.ZeppelinServer");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("logs/server.log").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = pb.environment();
        env.put("ZEPPELIN_HOME", dir.toString());
        env.put("ZEPPELIN_CONF_DIR", dir.resolve("conf").toString());
        env.put("ZEPPELIN_LOG_DIR", dir.resolve("logs").toString());
        env.put("ZEPPELIN_PID_DIR", dir.resolve("run").toString());
        env.put("ZEPPELIN_NOTEBOOK_DIR", dir.resolve("notebook").toString());
        env.put("ZEPPELIN_INTERPRETER_DIR", dir.resolve("interpreter").toString());
        env.put("ZEPPELIN_INTERPRETER_LOCALREPO", dir.resolve("local-repo").toString());
        env.put(
                "ZEPPELIN_INTERPRETER_REMOTE_RUNNER",
                dir.resolve("bin/interpreter.sh").toString());
        env.put("ZEPPELIN_WAR", home.webapp().toString());
        env.put("ZEPPELIN_ANGULAR_WAR", home.webapp().toString());
        env.put("ZEPPELIN_IDENT_STRING", "scxm");
        env.put("ZEPPELIN_LOCAL_IP", HOST);
        env.put("ZEPPELIN_ADDR", HOST);
        env.put("ZEPPELIN_PORT", String.valueOf(port));
        env.put("ZEPPELIN_SEARCH_ENABLE", "false");
        Process server;
        try {
            if (portInUse(port)) {
                throw new ScxmException(
                        "Port " + port + " on " + HOST + " is in use; stop what uses it or pass --port N.");
            }
            server = pb.start();
            Files.writeString(pidFile(), String.valueOf(server.pid()));
        } catch (IOException e) {
            throw new ScxmException(
                    "Could not start the Zeppelin server (" + e.getMessage() + "); see "
                            + dir.resolve("logs/server.log") + ".",
                    e);
        }
        ZeppelinRest rest = new ZeppelinRest(URI.create("http://" + HOST + ":" + port + "/"));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new ScxmException("The Zeppelin server exited with code " + server.exitValue()
                        + " while starting; see " + dir.resolve("logs/server.log") + ".");
            }
            if (rest.answers()) return rest;
            sleep(500);
        }
        server.destroy();
        throw new ScxmException("The Zeppelin server did not answer on " + rest.baseUri() + " within "
                + timeout.toSeconds() + " s; see " + dir.resolve("logs/server.log") + ".");
    }

    private Path pidFile() {
        return home.home().resolve("run/server.pid");
    }

    /** The pid of the server started from this home, if it is still running. */
    public Optional<Long> runningPid() {
        try {
            if (!Files.exists(pidFile())) return Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info()
                            .commandLine()
                            .map(c -> c.contains("ZeppelinServer"))
                            .orElse(true))
                    .map(h -> pid);
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
            server.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.get().destroyForcibly();
        }
        interpreters.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException ignored) {
            // a stale pid file is ignored by runningPid()
        }
        return true;
    }

    private static boolean portInUse(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return false;
        } catch (IOException e) {
            return true;
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
}
