package org.scxm.launcher;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real headless Chromium (Debian's package), driven over the DevTools protocol with the JDK's own HTTP and
 * WebSocket client: no driver download, no extra library. Only what the browser tests need: open a page, run
 * JavaScript in it, click at an element like a mouse does, take a screenshot.
 */
final class Chromium implements AutoCloseable {
    /** Where Debian puts it; -Dscxm.chromium overrides. */
    static Path binary() {
        return Path.of(System.getProperty("scxm.chromium", "/usr/bin/chromium"));
    }

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    Chromium(int width, int height) throws Exception {
        profile = Files.createTempDirectory("scxm-chromium-");
        // The flags keep a closed network quiet (no background fetches) and run as root in a container.
        process = new ProcessBuilder(
                        binary().toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-port=0",
                        "--remote-allow-origins=*",
                        "--window-size=" + width + "," + height,
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            socket = connect();
        } catch (Exception | AssertionError e) {
            process.destroyForcibly(); // a browser that never answered is not left running
            throw e;
        }
        send("Page.enable", new JsonObject());
    }

    /** Waits for the DevTools port Chromium writes into its profile and opens the page's WebSocket. */
    private WebSocket connect() throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        waitFor(
                () -> lines(portFile) >= 2 || !process.isAlive(),
                Duration.ofSeconds(30),
                "Chromium to start"); // port, then path
        if (!process.isAlive())
            throw new IllegalStateException("Chromium exited: " + Files.readString(profile.resolve("chromium.log")));
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (pageSocket == null && System.nanoTime() < deadline) {
            String list = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (JsonElement t : JsonParser.parseString(list).getAsJsonArray()) {
                if (t.getAsJsonObject().get("type").getAsString().equals("page"))
                    pageSocket = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
            }
            if (pageSocket == null) Thread.sleep(100);
        }
        if (pageSocket == null) throw new IllegalStateException("Chromium shows no page target");
        return http.newWebSocketBuilder()
                .buildAsync(URI.create(pageSocket), new Listener())
                .get(15, TimeUnit.SECONDS);
    }

    /** Collects a message's fragments and completes the call it answers (events are ignored). */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject m = JsonParser.parseString(text.toString()).getAsJsonObject();
                text.setLength(0);
                if (m.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(m.get("id").getAsInt());
                    if (f != null) f.complete(m);
                }
            }
            ws.request(1);
            return null;
        }
    }

    JsonObject send(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        JsonObject m = new JsonObject();
        m.addProperty("id", id);
        m.addProperty("method", method);
        m.add("params", params);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(m.toString(), true).get(30, TimeUnit.SECONDS);
        JsonObject r = answer.get(60, TimeUnit.SECONDS);
        if (r.has("error")) throw new IllegalStateException(method + " failed: " + r.get("error"));
        return r.getAsJsonObject("result");
    }

    void open(String url) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("url", url);
        send("Page.navigate", p);
    }

    /** The value of a JavaScript expression in the page (promises awaited); null for undefined. */
    JsonElement eval(String expression) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        p.addProperty("awaitPromise", true);
        JsonObject r = send("Runtime.evaluate", p);
        if (r.has("exceptionDetails"))
            throw new IllegalStateException("script failed: " + r.get("exceptionDetails") + "\n" + expression);
        JsonObject v = r.getAsJsonObject("result");
        return v.has("value") ? v.get("value") : null;
    }

    boolean isTrue(String expression) throws Exception {
        JsonElement v = eval("!!(" + expression + ")");
        return v != null && v.getAsBoolean();
    }

    /**
     * Scrolls the first element matching the CSS selector into view and clicks it: a click event on the element,
     * which reaches the same handler as a user's mouse (coordinates are not used: tooltips and the fixed navigation
     * bar of Zeppelin's page can cover a point).
     */
    void click(String selector) throws Exception {
        JsonElement found = eval(
                "(function(){var e=document.querySelector(" + js(selector) + ");if(!e)return false;"
                        + "e.scrollIntoView({block:'center'});e.dispatchEvent(new MouseEvent('click',{bubbles:true,cancelable:true,view:window}));return true;})()");
        if (found == null || !found.getAsBoolean())
            throw new IllegalStateException("nothing on the page matches " + selector);
    }

    /** Makes the page's viewport this wide (as a user narrowing the window), which fires the page's resize event. */
    void width(int width, int height) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("width", width);
        p.addProperty("height", height);
        p.addProperty("deviceScaleFactor", 1);
        p.addProperty("mobile", false);
        send("Emulation.setDeviceMetricsOverride", p);
    }

    /** A PNG of the whole page, or of the element's box when selector is not null. */
    void screenshot(Path file, String selector) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        if (selector != null) {
            // Scrolled to sit below Zeppelin's fixed header bars, which would otherwise be drawn over the element.
            JsonElement box = eval(
                    "(function(){var e=document.querySelector(" + js(selector) + ");"
                            + "window.scrollTo(0,e.getBoundingClientRect().top+window.scrollY-140);"
                            + "var r=e.getBoundingClientRect();return {x:r.left+window.scrollX,y:r.top+window.scrollY,width:r.width,height:r.height,scale:1};})()");
            p.add("clip", box);
            p.addProperty("captureBeyondViewport", true);
        }
        byte[] png = Base64.getDecoder()
                .decode(send("Page.captureScreenshot", p).get("data").getAsString());
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** A JavaScript string literal. */
    static String js(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }

    static void waitFor(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (socket != null) socket.abort();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
