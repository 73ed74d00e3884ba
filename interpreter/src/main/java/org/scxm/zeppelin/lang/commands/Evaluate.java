package org.scxm.zeppelin.lang.commands;

import org.scxm.data.DenseMatrix;
import org.scxm.eval.Evaluation;
import org.scxm.eval.PairedRidge;
import org.scxm.plot.Distributions;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * `evaluate NAME`: per-gene Pearson/Spearman of the prediction against the slide's bulked truth (paper 5.1),
 * beside the reference predictors: own binarised expression and the cell-type mean of the training slide's target
 * (what a model must beat), and a ridge regression trained on this slide's own truth (what a supervised model
 * gets from one cell's expression).
 */
public final class Evaluate implements Command {
    /** The supervised reference's name in tables: it is trained on this slide's own truth, an upper reference. */
    static final String PAIRED = "paired ridge (supervised)";

    @Override public String name() { return "evaluate"; }
    @Override public String usage() { return "evaluate NAME [references=true label=RUN]"; }
    @Override public String summary() { return "per-gene correlation of prediction vs bulked truth, with reference predictors: summary table, per-gene table, distribution plot"; }
    @Override public List<String> keys() { return List.of("references", "label"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "the dataset to evaluate (e.g. val)", null));
        DenseMatrix truth = d.requireTarget(), pred = d.requirePrediction();
        String[] panel = d.requirePanel();
        List<Table> parts = new ArrayList<>();
        parts.add(Evaluation.perGene("scxm", pred, truth, panel));
        Baseline.of(ctx, d.name()).forEach((method, p) -> parts.add(Evaluation.perGene(method, p, truth, panel)));
        if (call.bool("references", true)) {
            parts.add(Evaluation.perGene("own binarised", d.binarised(), truth, panel));
            DatasetState st = ctx.tx().byRole("st");
            if (st != null && st.target() != null && st.cellTypes() != null && d.cellTypes() != null)
                parts.add(Evaluation.perGene("cell-type mean", Evaluation.cellTypeMean(st.target(), st.cellTypes(), d.cellTypes()), truth, panel));
            if (d.modality().hasCoordinates() && d.nCells() >= PairedRidge.MIN_CELLS) {
                ctx.progress().update(0.5, "fitting the paired ridge reference (supervised, stripe-wise cross-validated)");
                parts.add(Evaluation.perGene(PAIRED, PairedRidge.predict(d.modality().counts(), d.modality().x(), truth, PairedRidge.STRIPES), truth, panel));
            }
        }
        Table perGene = Evaluation.combine(parts.toArray(Table[]::new));
        perGene.setName("per-gene correlation on '" + d.name() + "'");
        ctx.tx().put(d.withEvaluation(perGene));
        Table summary = Evaluation.summary(perGene);
        ctx.table(summary);
        String reading = Evaluation.reading(summary, "scxm", List.of("cell-type mean", "own binarised", PAIRED));
        if (reading != null && call.bool("references", true))
            ctx.text(reading + ". The paired ridge is a supervised linear model trained on this slide's own truth (stripe-wise "
                    + "cross-validated): a yardstick for methods that, unlike it, never see a cell paired with its neighbourhood.");
        Compare.record(ctx, call.string("label", "run " + (Compare.runs(ctx) + 1)), d.name(), perGene, summary);
        ctx.figure(Distributions.perGene(perGene, "pearson", "per-gene Pearson on '" + d.name() + "'"));
        ctx.table(perGene);
    }
}
