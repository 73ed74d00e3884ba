package org.scxm.plot;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlotlyHtmlTest {
    static Figure fig(String title) {
        return SpatialPlots.values(
                title,
                new double[] {0, 10, 20},
                new double[] {0, 5, 0},
                List.of(
                        new SpatialPlots.Panel("target", new float[] {0, 0.5f, 1}),
                        new SpatialPlots.Panel("prediction", new float[] {0.1f, 0.4f, 0.9f})),
                "CXCR4",
                0,
                1);
    }

    @Test
    void pageLoadsTheLibraryFromBesideIt() {
        String page = PlotlyHtml.page(fig("demo"));
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(
                page.contains("<script src=\"" + PlotlyHtml.FILE + "\"></script>"),
                "one plotly.js file beside the pages");
        assertFalse(page.contains("plotly.js v4"), "the library is not inlined");
        assertFalse(page.contains("http"), "nothing loads from the network");
        assertTrue(page.length() < 20_000, "a page is the size of its figure: " + page.length());
    }

    @Test
    void aFragmentCarriesItsFigureAndALoaderButNeverTheLibrary() {
        String f = PlotlyHtml.fragment(
                fig("demo"), List.of("scxm/" + PlotlyHtml.FILE, "http://127.0.0.1:18089/" + PlotlyHtml.FILE));
        assertFalse(f.contains("plotly.js v4"));
        assertTrue(f.contains("[\"scxm/plotly-4.1.2.min.js\",\"http://127.0.0.1:18089/plotly-4.1.2.min.js\"]"), f);
        assertTrue(f.contains("if(window.Plotly){draw();return;}"), "a page that has plotly.js draws at once");
        assertTrue(f.contains("did not load from"), "a page that cannot load it says so in a sentence");
        assertTrue(f.length() < 10_000);
    }

    @Test
    void figuresFollowTheirParagraphsWidth() {
        String f = PlotlyHtml.fragment(fig("demo"), List.of(PlotlyHtml.FILE));
        assertTrue(f.contains("style=\"width:100%;max-width:100%;height:460px;\""), f);
        assertTrue(f.contains("\"autosize\":true") && !f.contains("\"width\":"), "no fixed pixel width");
        assertTrue(f.contains("responsive:true"));
    }

    @Test
    void theLibraryIsWrittenOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path a = PlotlyHtml.writeLibrary(dir);
        long t = java.nio.file.Files.getLastModifiedTime(a).toMillis();
        Thread.sleep(20);
        assertEquals(a, PlotlyHtml.writeLibrary(dir));
        assertEquals(t, java.nio.file.Files.getLastModifiedTime(a).toMillis(), "an identical copy is left alone");
        assertTrue(java.nio.file.Files.readString(a).contains("plotly.js v4.1.2"));
    }

    @Test
    void titlesCannotCloseTheScript() {
        String f = PlotlyHtml.fragment(fig("</script><script>alert(1)</script>"), List.of(PlotlyHtml.FILE));
        assertFalse(f.contains("</script><script>alert"), f);
    }

    @Test
    void manyCellsUseWebGlAndPanelsShareOneScale() {
        int n = SpatialPlots.WEBGL_FROM;
        Figure f = SpatialPlots.values(
                "big",
                new double[n],
                new double[n],
                List.of(new SpatialPlots.Panel("a", new float[n]), new SpatialPlots.Panel("b", new float[n])),
                "g",
                Double.NaN,
                Double.NaN);
        assertEquals("scattergl", f.data().get(0).getAsJsonObject().get("type").getAsString());
        assertTrue(f.data()
                .get(1)
                .getAsJsonObject()
                .getAsJsonObject("marker")
                .get("showscale")
                .getAsBoolean());
        assertFalse(
                f.data()
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("marker")
                        .get("showscale")
                        .getAsBoolean(),
                "one colour bar for all panels");
        assertEquals("y2", f.data().get(1).getAsJsonObject().get("yaxis").getAsString());
        assertEquals(
                "x2", f.layout().getAsJsonObject("yaxis2").get("scaleanchor").getAsString(), "equal aspect per panel");
    }

    @Test
    void unlabelledCellsStayGreyAndUnderneath() {
        Figure f = SpatialPlots.categories(
                "niches",
                new double[] {0, 1, 2, 3},
                new double[] {0, 1, 2, 3},
                new String[] {null, "clustered", null, "isolated"},
                "niche group");
        var first = f.data().get(0).getAsJsonObject();
        assertEquals(SpatialPlots.NONE, first.get("name").getAsString(), "drawn first, so underneath");
        assertEquals("#d5d8dc", first.getAsJsonObject("marker").get("color").getAsString());
        assertEquals(
                "#1f77b4",
                f.data()
                        .get(1)
                        .getAsJsonObject()
                        .getAsJsonObject("marker")
                        .get("color")
                        .getAsString(),
                "groups keep the first colours");
        Figure named = SpatialPlots.categories(
                "niches",
                new double[] {0, 1},
                new double[] {0, 1},
                new String[] {null, "clustered"},
                "niche group",
                "other types");
        assertEquals(
                "other types", named.data().get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(
                "#d5d8dc",
                named.data()
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("marker")
                        .get("color")
                        .getAsString());
    }

    @Test
    void theCorrelationAxisReachesOne() {
        tech.tablesaw.api.Table t = tech.tablesaw.api.Table.create(
                "g",
                tech.tablesaw.api.StringColumn.create("method", "scxm", "scxm"),
                tech.tablesaw.api.StringColumn.create("gene", "A", "B"),
                tech.tablesaw.api.DoubleColumn.create("pearson", 0.2, 0.45));
        var range = Distributions.perGene(t, "pearson", "x")
                .layout()
                .getAsJsonObject("yaxis")
                .getAsJsonArray("range");
        assertTrue(
                range.get(0).getAsDouble() < 0 && range.get(1).getAsDouble() > 1,
                "0.83 can be read off the axis: " + range);
    }
}
