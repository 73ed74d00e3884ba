package org.scxm.plot;

import com.google.gson.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/** Per-gene correlation distributions, one per method (the paper's Figure 3), as box + points. */
public final class Distributions {
    private Distributions() {}

    /** @param perGene rows (method, gene, metric...) as from Evaluation.perGene/combine; NaN genes skipped */
    public static Figure perGene(Table perGene, String metric, String title) {
        Map<String, List<Double>> by = new LinkedHashMap<>();
        Map<String, List<String>> genes = new LinkedHashMap<>();
        for (int r = 0; r < perGene.rowCount(); r++) {
            double v = perGene.doubleColumn(metric)
                    .getDouble(r); // NaN (Tablesaw: missing) where a correlation is undefined
            if (Double.isNaN(v)) continue;
            String m = perGene.stringColumn("method").get(r);
            by.computeIfAbsent(m, k -> new ArrayList<>()).add(v);
            genes.computeIfAbsent(m, k -> new ArrayList<>())
                    .add(perGene.stringColumn("gene").get(r));
        }
        JsonArray data = new JsonArray();
        for (var e : by.entrySet())
            data.add(Json.obj(
                    "type",
                    "box",
                    "name",
                    e.getKey(),
                    "y",
                    Json.numbers(e.getValue().stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray()),
                    "text",
                    Json.strings(genes.get(e.getKey()).toArray(String[]::new)),
                    "boxpoints",
                    "all",
                    "jitter",
                    0.4,
                    "pointpos",
                    0,
                    "marker",
                    Json.obj("size", 4, "opacity", 0.6),
                    "hovertemplate",
                    "%{text}: %{y:.3f}<extra>" + e.getKey() + "</extra>"));
        // The axis always reaches 1 (and 0), so a reference value such as the paper's 0.83 can be read against the
        // boxes.
        double lo = 0;
        for (List<Double> vs : by.values()) for (double v : vs) lo = Math.min(lo, v);
        return Figure.titled(
                title,
                data,
                420,
                "yaxis",
                Json.obj(
                        "title",
                        Json.title("per-gene " + metric),
                        "zeroline",
                        true,
                        "automargin",
                        true,
                        "range",
                        Json.numbers(new double[] {lo - 0.05, 1.02})),
                "showlegend",
                false);
    }
}
