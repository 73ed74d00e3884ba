package org.scxm.plot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place that turns a {@link Figure} into HTML: a fragment for a notebook result, or a
 * standalone page for the headless runner. plotly.js (4.1.2, MIT, bundled as a resource next to this
 * class) is inlined so plots render with no network; a fragment that does not carry the library
 * waits for {@code window.Plotly} from an earlier result on the same page.
 */
public final class PlotlyHtml {
    private static final String RESOURCE = "plotly.min.js";
    private static final AtomicLong IDS = new AtomicLong();
    private static volatile String library;

    private PlotlyHtml() { }

    /** The bundled minified plotly.js source. */
    public static String library() {
        String lib = library;
        if (lib == null) {
            try (InputStream in = PlotlyHtml.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath next to " + PlotlyHtml.class.getName());
                lib = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) { throw new UncheckedIOException(e); }
            library = lib;
        }
        return lib;
    }

    /**
     * An HTML fragment drawing the figure.
     *
     * @param plotlySrc      "inline" to use the bundled library, or a URL (script tag) an admin hosts
     * @param includeLibrary with "inline": carry the library in this fragment (once per page is enough)
     */
    public static String fragment(Figure f, String plotlySrc, boolean includeLibrary) {
        String id = "scxm-plot-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + IDS.incrementAndGet();
        StringBuilder sb = new StringBuilder(256);
        if (plotlySrc != null && !plotlySrc.isBlank() && !plotlySrc.equals("inline")) {
            sb.append("<script src=\"").append(escapeAttr(plotlySrc)).append("\"></script>\n");
        } else if (includeLibrary) {
            sb.append("<script>if(!window.Plotly){\n").append(library()).append("\n}</script>\n");
        }
        sb.append("<div id=\"").append(id).append("\" style=\"width:100%;\"></div>\n");
        sb.append("<script>(function(){var fig=").append(safeJson(f)).append(";var tries=0;")
          .append("function draw(){var el=document.getElementById('").append(id).append("');")
          .append("if(window.Plotly&&el){window.Plotly.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false});return;}")
          .append("if(++tries>600){if(el)el.textContent='plotly.js did not load on this page: re-run the first plot paragraph of this note.';return;}")
          .append("setTimeout(draw,100);}draw();})();</script>\n");
        return sb.toString();
    }

    /** A standalone HTML page with the library inlined: opens in any browser offline. */
    public static String page(Figure f) {
        String title = f.title() == null ? "SCXM plot" : f.title();
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escapeText(title) + "</title></head>\n<body>\n"
                + fragment(f, "inline", true) + "</body></html>\n";
    }

    /** The figure's JSON, safe inside a script element (no closing tags or HTML comment openers). */
    static String safeJson(Figure f) {
        return f.toJson().toString().replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    private static String escapeAttr(String s) { return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;"); }
    private static String escapeText(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }
}
