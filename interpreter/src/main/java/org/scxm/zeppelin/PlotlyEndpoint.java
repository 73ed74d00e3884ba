package org.scxm.zeppelin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.scxm.plot.PlotlyHtml;

/**
 * A fallback source of plotly.js for figures in Zeppelin: the interpreter process serves the bundled file
 * on the loopback address, for browsers on the same machine when the Zeppelin server's own web root has no
 * copy (an existing installation). One per process; when the port is taken (another %scxm process, which
 * serves the same file), this process relies on that one.
 */
final class PlotlyEndpoint {
    private static HttpServer server;

    private PlotlyEndpoint() {}

    /** The address figures may load plotly.js from; starts serving it on first use. */
    static synchronized String url(int port) {
        if (server == null) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
                s.createContext("/" + PlotlyHtml.FILE, ex -> {
                    try (ex) {
                        byte[] body = PlotlyHtml.libraryBytes();
                        ex.getResponseHeaders().set("Content-Type", "text/javascript; charset=utf-8");
                        ex.getResponseHeaders()
                                .set("Cache-Control", "public, max-age=31536000, immutable"); // versioned name
                        ex.sendResponseHeaders(200, body.length);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(body);
                        }
                    }
                });
                s.setExecutor(null);
                // Started from a daemon thread, so its dispatcher thread is a daemon too and never keeps the
                // interpreter process alive after Zeppelin shuts it down.
                Thread starter = new Thread(s::start, "scxm-plotly-endpoint");
                starter.setDaemon(true);
                starter.start();
                starter.join();
                server = s;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the port is in use: most likely another %scxm process already serves the same file there
            }
        }
        return "http://127.0.0.1:" + port + "/" + PlotlyHtml.FILE;
    }
}
