package org.scxm.plot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PlotlyHtmlTest {
    static Figure fig(String title) {
        return SpatialPlots.values(title, new double[]{0, 10, 20}, new double[]{0, 5, 0},
                List.of(new SpatialPlots.Panel("target", new float[]{0, 0.5f, 1}), new SpatialPlots.Panel("prediction", new float[]{0.1f, 0.4f, 0.9f})),
                "CXCR4", 0, 1);
    }

    @Test void pageIsStandaloneAndOffline() {
        String page = PlotlyHtml.page(fig("demo"));
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("plotly.js v4.1.2"), "library inlined");
        String ours = page.replace(PlotlyHtml.library(), "");
        assertFalse(ours.contains("http") || ours.contains("<script src="), "nothing of ours loads from the network (plotly.js's own geo topojson default is unused by our traces)");
    }

    @Test void fragmentWithoutLibraryWaitsForPlotly() {
        String f = PlotlyHtml.fragment(fig("demo"), "inline", false);
        assertFalse(f.contains("plotly.js v4"));
        assertTrue(f.contains("if(window.Plotly&&el)") && f.contains("setTimeout(draw,100)"));
        assertTrue(f.length() < 10_000);
    }

    @Test void aUrlSourceGivesAScriptTag() {
        String f = PlotlyHtml.fragment(fig("demo"), "https://intranet.example/plotly.min.js", true);
        assertTrue(f.startsWith("<script src=\"https://intranet.example/plotly.min.js\"></script>"));
        assertFalse(f.contains("plotly.js v4"));
    }

    @Test void titlesCannotCloseTheScript() {
        String f = PlotlyHtml.fragment(fig("</script><script>alert(1)</script>"), "inline", false);
        assertFalse(f.contains("</script><script>alert"), f);
    }

    @Test void manyCellsUseWebGlAndPanelsShareOneScale() {
        int n = SpatialPlots.WEBGL_FROM;
        Figure f = SpatialPlots.values("big", new double[n], new double[n], List.of(new SpatialPlots.Panel("a", new float[n]),
                new SpatialPlots.Panel("b", new float[n])), "g", Double.NaN, Double.NaN);
        assertEquals("scattergl", f.data().get(0).getAsJsonObject().get("type").getAsString());
        assertTrue(f.data().get(1).getAsJsonObject().getAsJsonObject("marker").get("showscale").getAsBoolean());
        assertFalse(f.data().get(0).getAsJsonObject().getAsJsonObject("marker").get("showscale").getAsBoolean(), "one colour bar for all panels");
        assertEquals("y2", f.data().get(1).getAsJsonObject().get("yaxis").getAsString());
        assertEquals("x2", f.layout().getAsJsonObject("yaxis2").get("scaleanchor").getAsString(), "equal aspect per panel");
    }
}
