package org.scxm.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;

/** The sweep's figure: one box of per-seed medians per setting, with the references as dashed lines. */
public final class SweepPlots {
    private SweepPlots() {}

    /**
     * @param part       which cells were scored (all, tuning), for the title
     * @param settings   setting labels, in the table's order
     * @param medians    per setting, the median per-gene Pearson of each seed
     * @param references reference name -> its median on the same cells
     */
    public static Figure perSeed(
            String part, List<String> settings, List<double[]> medians, Map<String, Double> references) {
        JsonArray traces = new JsonArray();
        for (int i = 0; i < settings.size(); i++) traces.add(box(settings.get(i), medians.get(i)));
        references.forEach((name, v) -> traces.add(line(name, settings, v)));
        JsonObject layout = new JsonObject();
        layout.add("title", text("median per-gene Pearson per seed (" + part + ")"));
        JsonObject yaxis = new JsonObject();
        yaxis.add("title", text("median per-gene Pearson"));
        yaxis.addProperty("automargin", true);
        layout.add("yaxis", yaxis);
        JsonObject xaxis = new JsonObject();
        xaxis.addProperty("automargin", true);
        layout.add("xaxis", xaxis);
        return new Figure("sweep", traces, layout);
    }

    private static JsonObject text(String s) {
        JsonObject t = new JsonObject();
        t.addProperty("text", s);
        return t;
    }

    private static JsonObject box(String label, double[] medians) {
        JsonObject t = new JsonObject();
        t.addProperty("type", "box");
        t.addProperty("name", label);
        t.addProperty("boxpoints", "all");
        t.addProperty("jitter", 0.3);
        JsonArray y = new JsonArray(), x = new JsonArray();
        for (double v : medians) {
            y.add(v);
            x.add(label);
        }
        t.add("y", y);
        t.add("x", x);
        return t;
    }

    private static JsonObject line(String name, List<String> settings, double v) {
        JsonObject line = new JsonObject();
        line.addProperty("type", "scatter");
        line.addProperty("mode", "lines");
        line.addProperty("name", name);
        JsonArray x = new JsonArray(), y = new JsonArray();
        for (String s : settings) {
            x.add(s);
            y.add(v);
        }
        line.add("x", x);
        line.add("y", y);
        JsonObject dash = new JsonObject();
        dash.addProperty("dash", "dash");
        line.add("line", dash);
        return line;
    }
}
