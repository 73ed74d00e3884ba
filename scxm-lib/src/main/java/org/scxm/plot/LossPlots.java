package org.scxm.plot;

import com.google.gson.JsonArray;
import tech.tablesaw.api.Table;

/** Training curves from the trainer's per-step loss table: adversarial terms on the left, reconstruction on the right. */
public final class LossPlots {
    private LossPlots() {}

    /** @param losses columns step, critic, gp, st, sc, generator (Trainer.losses()) */
    public static Figure curves(Table losses, String title) {
        double[] step = losses.intColumn("step").asDoubleArray();
        JsonArray data = new JsonArray();
        String[][] series = {
            {"critic", "x", "y"}, {"gp", "x", "y"}, {"generator", "x", "y"}, {"st", "x2", "y2"}, {"sc", "x2", "y2"}
        };
        for (String[] s : series) {
            if (!losses.containsColumn(s[0])) continue;
            data.add(Json.obj(
                    "type",
                    "scatter",
                    "mode",
                    "lines",
                    "name",
                    s[0],
                    "x",
                    Json.numbers(step),
                    "y",
                    Json.numbers(losses.doubleColumn(s[0]).asDoubleArray()),
                    "xaxis",
                    s[1],
                    "yaxis",
                    s[2]));
        }
        return new Figure(
                title,
                data,
                Json.obj(
                        "title",
                        Json.title(title),
                        "height",
                        380,
                        // A wide gap between the panels keeps the right panel's axis title clear of the left panel.
                        "xaxis",
                        Json.obj("domain", Json.numbers(new double[] {0, 0.42}), "title", Json.title("step")),
                        "yaxis",
                        Json.obj("title", Json.title("critic, gradient penalty, generator"), "automargin", true),
                        "xaxis2",
                        Json.obj("domain", Json.numbers(new double[] {0.6, 1}), "title", Json.title("step")),
                        "yaxis2",
                        Json.obj(
                                "anchor",
                                "x2",
                                "title",
                                Json.title("reconstruction (λ_ST, λ_SC terms)"),
                                "type",
                                "log")));
    }

    /** Masked-gene loss and masked-token accuracy per step (Pretrainer.losses()). */
    public static Figure pretraining(Table losses, String title) {
        double[] step = losses.intColumn("step").asDoubleArray();
        JsonArray data = new JsonArray();
        data.add(Json.obj(
                "type",
                "scatter",
                "mode",
                "lines",
                "name",
                "masked-gene loss",
                "x",
                Json.numbers(step),
                "y",
                Json.numbers(losses.doubleColumn("loss").asDoubleArray())));
        data.add(Json.obj(
                "type",
                "scatter",
                "mode",
                "lines",
                "name",
                "masked-token accuracy",
                "x",
                Json.numbers(step),
                "y",
                Json.numbers(losses.doubleColumn("masked_accuracy").asDoubleArray()),
                "xaxis",
                "x2",
                "yaxis",
                "y2"));
        return new Figure(
                title,
                data,
                Json.obj(
                        "title",
                        Json.title(title),
                        "height",
                        360,
                        "xaxis",
                        Json.obj("domain", Json.numbers(new double[] {0, 0.42}), "title", Json.title("step")),
                        "yaxis",
                        Json.obj("title", Json.title("cross-entropy"), "automargin", true),
                        "xaxis2",
                        Json.obj("domain", Json.numbers(new double[] {0.6, 1}), "title", Json.title("step")),
                        "yaxis2",
                        Json.obj(
                                "anchor", "x2", "title", Json.title("accuracy on masked tokens"), "automargin", true)));
    }
}
