package org.scxm.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place that turns a {@link Figure} into HTML: a fragment for a notebook result, or a page for
 * the headless runner. plotly.js (4.1.2, MIT, bundled as a resource next to this class) is never put
 * into a result: each fragment carries only its figure and a small loader that takes plotly.js from the
 * first of a list of addresses that answers (the page's own copy if one is there). So every figure draws
 * on its own, whatever happened to other results on the page, and a result stays the size of its data.
 */
public final class PlotlyHtml {
    private static final String RESOURCE = "plotly.min.js";
    /** The file name plotly.js is served and written under; versioned so caches never mix two releases. */
    public static final String FILE = "plotly-4.1.2.min.js";
    /** Height of a figure whose layout does not give one. */
    static final int DEFAULT_HEIGHT = 450;

    private static final AtomicLong IDS = new AtomicLong();
    private static volatile byte[] library;

    private PlotlyHtml() {}

    /** The bundled minified plotly.js source. */
    public static byte[] libraryBytes() {
        byte[] lib = library;
        if (lib == null) {
            try (InputStream in = PlotlyHtml.class.getResourceAsStream(RESOURCE)) {
                if (in == null)
                    throw new IllegalStateException(
                            RESOURCE + " is missing from the classpath next to " + PlotlyHtml.class.getName());
                lib = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            library = lib;
        }
        return lib;
    }

    public static String library() {
        return new String(libraryBytes(), StandardCharsets.UTF_8);
    }

    /** Writes plotly.js as {@link #FILE} into dir unless an identical copy is there; returns the file. */
    public static Path writeLibrary(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (Files.isRegularFile(f) && Files.size(f) == libraryBytes().length) return f;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, FILE, ".tmp");
        Files.write(tmp, libraryBytes());
        return Files.move(
                tmp,
                f,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * An HTML fragment drawing the figure at the full width of its container.
     *
     * @param sources addresses of plotly.js, tried in order until one defines {@code window.Plotly}
     *                (relative ones resolve against the page); none is tried when the page already has it
     */
    public static String fragment(Figure f, List<String> sources) {
        if (sources.isEmpty()) throw new IllegalArgumentException("no plotly.js source");
        String id = "scxm-plot-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + IDS.incrementAndGet();
        JsonArray src = new JsonArray();
        sources.forEach(src::add);
        int height = f.layout().has("height") ? f.layout().get("height").getAsInt() : DEFAULT_HEIGHT;
        // One promise per page loads the library once; a failed load is forgotten so a later figure tries again.
        return "<div id=\"" + id + "\" class=\"scxm-plot\" style=\"width:100%;max-width:100%;height:" + height
                + "px;\"></div>\n"
                + "<script>(function(){var fig=" + safeJson(responsive(f)) + ",src=" + safeJson(src)
                + ",el=document.getElementById('" + id + "');"
                + "function draw(){window.Plotly.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false});}"
                + "if(window.Plotly){draw();return;}"
                + "var w=window;if(!w.scxmPlotly){w.scxmPlotly=new Promise(function(ok,no){var i=0;(function next(){"
                + "if(window.Plotly)return ok();if(i>=src.length)return no();var s=document.createElement('script');s.src=src[i++];"
                + "s.onload=function(){window.Plotly?ok():next();};s.onerror=function(){s.parentNode.removeChild(s);next();};"
                + "document.head.appendChild(s);})();});}"
                + "w.scxmPlotly.then(draw,function(){w.scxmPlotly=null;el.style.height='auto';"
                + "el.textContent='This figure needs plotly.js, which did not load from '+src.join(' or ')+"
                + "'; ask whoever runs this Zeppelin to serve it (see the scxm.plotly.src interpreter setting).';});})();</script>\n";
    }

    /** A page for the headless runner: loads plotly.js from {@link #FILE} beside it, so it opens offline. */
    public static String page(Figure f) {
        String title = f.title() == null ? "SCXM plot" : f.title();
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escapeText(title) + "</title>\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\n<body>\n"
                + "<script src=\"" + FILE + "\"></script>\n" + fragment(f, List.of(FILE)) + "</body></html>\n";
    }

    /** The layout without a fixed width, autosized: the figure takes its paragraph's width and follows it. */
    static JsonObject responsive(Figure f) {
        JsonObject o = f.toJson();
        JsonObject layout = o.getAsJsonObject("layout").deepCopy();
        layout.remove("width");
        layout.remove("height"); // the container's height, so Plotly's resize keeps it
        layout.addProperty("autosize", true);
        o.add("layout", layout);
        return o;
    }

    /** JSON safe inside a script element (no closing tags or HTML comment openers). */
    static String safeJson(com.google.gson.JsonElement e) {
        return e.toString().replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    static String safeJson(Figure f) {
        return safeJson(f.toJson());
    }

    private static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
