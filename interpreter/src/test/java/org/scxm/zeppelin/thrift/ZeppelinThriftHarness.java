package org.scxm.zeppelin.thrift;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.zeppelin.interpreter.thrift.RegisterInfo;
import org.apache.zeppelin.interpreter.thrift.RemoteInterpreterEventService;
import org.apache.zeppelin.interpreter.thrift.RemoteInterpreterService;

/**
 * Plays the Zeppelin server's side of the interpreter protocol: it serves a stub
 * RemoteInterpreterEventService, launches Zeppelin's RemoteInterpreterServer in a child JVM the way
 * Zeppelin's launcher does (runtime classpath + interpreter folder/*), waits for the child to register and
 * hands out Thrift clients for it. Every event-service call is recorded by method name.
 */
final class ZeppelinThriftHarness implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    private final TServer eventServer;
    private final Process child;
    private RegisterInfo registered;
    final List<String> eventCalls = new CopyOnWriteArrayList<>();
    private final List<TSocket> sockets = new ArrayList<>();
    private final Path log;

    /**
     * @param runtimeClasspath Zeppelin's interpreter runtime (the shaded jar, or the unshaded jar with its deps)
     * @param interpreterDir   the packaged interpreter folder (target/interpreter/scxm)
     * @param javaHome         the JDK that runs the interpreter process
     */
    ZeppelinThriftHarness(String runtimeClasspath, Path interpreterDir, Path javaHome, String groupId, Path log)
            throws Exception {
        this.log = log;
        CompletableFuture<RegisterInfo> registration = new CompletableFuture<>();
        RemoteInterpreterEventService.Iface events = (RemoteInterpreterEventService.Iface) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {RemoteInterpreterEventService.Iface.class},
                (proxy, method, args) -> {
                    eventCalls.add(method.getName());
                    if (method.getName().equals("registerInterpreterProcess"))
                        registration.complete((RegisterInfo) args[0]);
                    if (List.class.isAssignableFrom(method.getReturnType())) return Collections.emptyList();
                    return null;
                });
        TServerSocket socket = new TServerSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        int eventPort = socket.getServerSocket().getLocalPort();
        eventServer = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(new RemoteInterpreterEventService.Processor<>(events))
                .minWorkerThreads(2));
        Thread serving = new Thread(eventServer::serve, "stub-zeppelin-event-server");
        serving.setDaemon(true);
        serving.start();

        String classpath =
                runtimeClasspath + File.pathSeparator + interpreterDir.toAbsolutePath() + File.separator + "*";
        ProcessBuilder pb = new ProcessBuilder(
                        javaHome.resolve("bin/java").toString(),
                        "-Xmx1g",
                        "-Dai.djl.offline=true",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        classpath,
                        "org.apache.zeppelin.interpreter.remote.RemoteInterpreterServer",
                        HOST,
                        String.valueOf(eventPort),
                        groupId,
                        ":")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        child = pb.start();
        registered = awaitRegistration(registration);
    }

    private RegisterInfo awaitRegistration(CompletableFuture<RegisterInfo> registration) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive()) {
            try {
                return registration.get(200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // keep waiting while the child lives
            }
        }
        close();
        throw new IllegalStateException("RemoteInterpreterServer did not register within 60 s ("
                + (child.isAlive() ? "still running" : "exited with " + child.exitValue()) + "); its log:\n"
                + logTail());
    }

    /** A fresh connection; Thrift clients are not thread-safe, so use one per thread. */
    RemoteInterpreterService.Client client() throws Exception {
        TSocket socket = new TSocket(registered.getHost(), registered.getPort());
        socket.setTimeout((int) Duration.ofMinutes(2).toMillis());
        socket.open();
        synchronized (sockets) {
            sockets.add(socket);
        }
        return new RemoteInterpreterService.Client(new TBinaryProtocol(socket));
    }

    RegisterInfo registered() {
        return registered;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        if (registered != null && child.isAlive()) {
            try {
                client().shutdown();
            } catch (Exception ignored) {
                // The child may already be gone; it is destroyed below either way.
            }
        }
        synchronized (sockets) {
            sockets.forEach(TSocket::close);
        }
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        eventServer.stop();
    }
}
