package org.scxm.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import tech.tablesaw.api.Table;

/** Training curves from the trainer's per-step loss table: adversarial terms on the left, reconstruction on the right. */
public final class LossPlots {
    private LossPlots() {}

    /** @param losses columns step, critic, gp, st, sc, generator, pair (Trainer.losses()) */
    public static Figure curves(Table losses, String title) {
        double[] step = losses.intColumn("step").asDoubleArray();
        JsonArray data = new JsonArray();
        String[][] series = {
            {"critic", "x", "y"},
            {"gp", "x", "y"},
            {"generator", "x", "y"},
            {"st", "x2", "y2"},
            {"sc", "x2", "y2"},
            {"pair", "x2", "y2"}
        };
        for (String[] s : series)
            if (losses.containsColumn(s[0])
                    && java.util.Arrays.stream(losses.doubleColumn(s[0]).asDoubleArray())
                            .anyMatch(Double::isFinite)) // the pair loss only when L_pair was on
            data.add(line(s[0], step, losses.doubleColumn(s[0]).asDoubleArray(), s[1], s[2]));
        return twoPanels(
                title,
                data,
                380,
                "critic, gradient penalty, generator",
                Json.obj(
                        "anchor",
                        "x2",
                        "title",
                        Json.title("reconstruction (λ_ST, λ_SC, λ_pair terms)"),
                        "type",
                        "log"));
    }

    /** Masked-gene loss and masked-token accuracy per step (Pretrainer.losses()). */
    public static Figure pretraining(Table losses, String title) {
        double[] step = losses.intColumn("step").asDoubleArray();
        JsonArray data = new JsonArray();
        data.add(line("masked-gene loss", step, losses.doubleColumn("loss").asDoubleArray(), "x", "y"));
        data.add(line(
                "masked-token accuracy",
                step,
                losses.doubleColumn("masked_accuracy").asDoubleArray(),
                "x2",
                "y2"));
        return twoPanels(
                title,
                data,
                360,
                "cross-entropy",
                Json.obj("anchor", "x2", "title", Json.title("accuracy on masked tokens"), "automargin", true));
    }

    private static JsonObject line(String name, double[] step, double[] values, String xaxis, String yaxis) {
        return Json.obj(
                "type",
                "scatter",
                "mode",
                "lines",
                "name",
                name,
                "x",
                Json.numbers(step),
                "y",
                Json.numbers(values),
                "xaxis",
                xaxis,
                "yaxis",
                yaxis);
    }

    /** Two panels side by side over the step axis; the right panel's y axis is given whole. */
    private static Figure twoPanels(String title, JsonArray data, int height, String leftY, JsonObject rightY) {
        return Figure.titled(
                title,
                data,
                height,
                // A wide gap between the panels keeps the right panel's axis title clear of the left panel.
                "xaxis",
                Json.obj("domain", Json.numbers(new double[] {0, 0.42}), "title", Json.title("step")),
                "yaxis",
                Json.obj("title", Json.title(leftY), "automargin", true),
                "xaxis2",
                Json.obj("domain", Json.numbers(new double[] {0.6, 1}), "title", Json.title("step")),
                "yaxis2",
                rightY);
    }
}
