package org.scxm.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Cells at their x/y (microns) coloured by a value or a category, as in the paper's Figures 1 and 4-8:
 * several panels side by side sharing axes' scale (equal aspect) and one colour scale. WebGL
 * (scattergl) is used from {@link #WEBGL_FROM} cells so 100k+ cells stay interactive.
 */
public final class SpatialPlots {
    public static final int WEBGL_FROM = 20_000;
    /** Category colours (Plotly's D3 set extended), cycled for more categories. */
    static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"
    };

    /** The category of cells without a label (e.g. outside the cell type a niche call looks at). */
    public static final String NONE = "(none)";

    private SpatialPlots() {}

    /** One panel's numeric colouring. */
    public record Panel(String title, float[] values) {}

    /**
     * Panels side by side with one colour scale.
     *
     * @param min colour scale low end (NaN: the panels' minimum)
     * @param max colour scale high end (NaN: the panels' maximum)
     */
    public static Figure values(
            String title, double[] x, double[] y, List<Panel> panels, String colourbarTitle, double min, double max) {
        if (panels.isEmpty()) throw new IllegalArgumentException("no panels");
        double lo = min, hi = max;
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            double a = Double.POSITIVE_INFINITY, b = Double.NEGATIVE_INFINITY;
            for (Panel p : panels)
                for (float v : p.values())
                    if (Float.isFinite(v)) {
                        a = Math.min(a, v);
                        b = Math.max(b, v);
                    }
            if (Double.isNaN(lo)) lo = a;
            if (Double.isNaN(hi)) hi = b;
            if (!(hi > lo)) hi = lo + 1;
        }
        JsonArray data = new JsonArray();
        String type = x.length >= WEBGL_FROM ? "scattergl" : "scatter";
        double size = markerSize(x.length);
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            JsonObject marker = Json.obj(
                    "color",
                    Json.numbers(p.values()),
                    "colorscale",
                    "Viridis",
                    "cmin",
                    lo,
                    "cmax",
                    hi,
                    "size",
                    size,
                    "showscale",
                    k == panels.size() - 1,
                    "colorbar",
                    k == panels.size() - 1 ? Json.obj("title", Json.title(colourbarTitle)) : null);
            data.add(Json.obj(
                    "type",
                    type,
                    "mode",
                    "markers",
                    "name",
                    p.title(),
                    "x",
                    Json.numbers(x),
                    "y",
                    Json.numbers(y),
                    "xaxis",
                    axis("x", k),
                    "yaxis",
                    axis("y", k),
                    "marker",
                    marker,
                    "showlegend",
                    false,
                    "hovertemplate",
                    p.title() + ": %{marker.color:.3f}<extra></extra>"));
        }
        return new Figure(
                title, data, layout(title, panels.stream().map(Panel::title).toList(), x, y));
    }

    /** One panel coloured by category (cell type, niche group), one legend entry per category. */
    public static Figure categories(String title, double[] x, double[] y, String[] labels, String legendTitle) {
        return categories(title, x, y, labels, legendTitle, NONE);
    }

    /** As above; cells whose label is null form the background category named unlabelled (light grey, underneath). */
    public static Figure categories(
            String title, double[] x, double[] y, String[] labels, String legendTitle, String unlabelled) {
        Map<String, List<Integer>> by = new LinkedHashMap<>();
        // Unlabelled cells first (drawn underneath, light grey, smaller) so the groups that matter keep the colours.
        if (java.util.Arrays.stream(labels).anyMatch(s -> s == null || s.equals(unlabelled)))
            by.put(unlabelled, new ArrayList<>());
        for (String c : new TreeSet<>(java.util.Arrays.stream(labels)
                .filter(s -> s != null && !s.equals(unlabelled))
                .toList())) by.put(c, new ArrayList<>());
        for (int i = 0; i < labels.length; i++)
            by.get(labels[i] == null ? unlabelled : labels[i]).add(i);
        JsonArray data = new JsonArray();
        String type = x.length >= WEBGL_FROM ? "scattergl" : "scatter";
        int k = 0;
        for (var e : by.entrySet()) {
            double[] cx = e.getValue().stream().mapToDouble(i -> x[i]).toArray(),
                    cy = e.getValue().stream().mapToDouble(i -> y[i]).toArray();
            boolean none = e.getKey().equals(unlabelled);
            JsonObject marker = none
                    ? Json.obj("color", "#d5d8dc", "size", Math.max(2, markerSize(x.length) - 1), "opacity", 0.6)
                    : Json.obj("color", PALETTE[k++ % PALETTE.length], "size", markerSize(x.length));
            data.add(Json.obj(
                    "type",
                    type,
                    "mode",
                    "markers",
                    "name",
                    e.getKey(),
                    "x",
                    Json.numbers(cx),
                    "y",
                    Json.numbers(cy),
                    "marker",
                    marker));
        }
        JsonObject layout = layout(title, List.of(legendTitle), x, y);
        layout.add("legend", Json.obj("title", Json.title(legendTitle), "itemsizing", "constant"));
        return new Figure(title, data, layout);
    }

    private static double markerSize(int n) {
        return n > 100_000 ? 2 : n > 20_000 ? 3 : n > 5_000 ? 4 : 5;
    }

    private static String axis(String a, int k) {
        return k == 0 ? a : a + (k + 1);
    }

    /** Panels in a row; each panel's y axis anchored to its x axis with equal scale (microns), a panel narrowing rather than its x range widening. */
    private static JsonObject layout(String title, List<String> panelTitles, double[] x, double[] y) {
        int n = panelTitles.size();
        JsonObject layout = Json.obj(
                "title",
                Json.title(title),
                "height",
                460,
                "plot_bgcolor",
                "white",
                "margin",
                Json.obj("l", 60, "r", 20, "t", 70, "b", 50));
        JsonArray annotations = new JsonArray();
        double gap = 0.03, w = (1 - gap * (n - 1)) / n;
        for (int k = 0; k < n; k++) {
            double from = k * (w + gap);
            layout.add(
                    "xaxis" + (k == 0 ? "" : k + 1),
                    Json.obj(
                            "domain",
                            Json.numbers(new double[] {from, from + w}),
                            "showgrid",
                            false,
                            "zeroline",
                            false,
                            "automargin",
                            true,
                            "constrain",
                            "domain",
                            "title",
                            Json.title(k == 0 ? "x (µm)" : "")));
            layout.add(
                    "yaxis" + (k == 0 ? "" : k + 1),
                    Json.obj(
                            "anchor",
                            axis("x", k),
                            "scaleanchor",
                            axis("x", k),
                            "scaleratio",
                            1,
                            "showgrid",
                            false,
                            "zeroline",
                            false,
                            "automargin",
                            true,
                            "title",
                            Json.title(k == 0 ? "y (µm)" : ""),
                            "autorange",
                            "reversed"));
            if (n > 1)
                annotations.add(Json.obj(
                        "text",
                        panelTitles.get(k),
                        "x",
                        from + w / 2,
                        "y",
                        1.02,
                        "xref",
                        "paper",
                        "yref",
                        "paper",
                        "xanchor",
                        "center",
                        "yanchor",
                        "bottom",
                        "showarrow",
                        false));
        }
        if (n > 1) layout.add("annotations", annotations);
        return layout;
    }
}
