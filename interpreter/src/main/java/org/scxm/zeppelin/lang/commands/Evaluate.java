package org.scxm.zeppelin.lang.commands;

import org.scxm.eval.Evaluation;
import org.scxm.workbench.HeldOut;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Usage;

/** `evaluate NAME`: per-gene correlation of every prediction against the bulked truth, beside the references; held-out parts with split=halves. */
public final class Evaluate extends BaseCommand {
    public Evaluate() {
        super(
                "evaluate",
                "evaluate NAME [references=true label=RUN spatial_i=" + Usage.num(Evaluation.SPATIAL_MORANS_I)
                        + " split=none|halves] | evaluate NAME [gene=G | type=\"CELL TYPE\"] (a dataset without truth, e.g. sc)",
                "per-gene correlation of prediction vs bulked truth with reference predictors and a collapse check: summary table, per-gene table, distribution plot; split=halves reports a tuning and a held-out test half; "
                        + "on a composition target per-type correlation and per-cell Jensen-Shannon divergence; on a dataset without truth (sc) the calibration of its predictions (and val's) against the training slide's targets, with a plot of both distributions of gene= or type=",
                "gene type references label spatial_i split");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb()
                .evaluate(new Options.Evaluate(
                        call.word(0, "the dataset to evaluate (e.g. val)", null),
                        call.bool("references", true),
                        call.string("label", null),
                        call.number("spatial_i", Evaluation.SPATIAL_MORANS_I),
                        HeldOut.Split.parse(call.string("split", "none")),
                        call.has("gene") ? call.string("gene", null) : call.string("type", null))));
    }
}
