package org.scxm.zeppelin.lang.commands;

import org.scxm.data.DenseMatrix;
import org.scxm.eval.Evaluation;
import org.scxm.eval.PairedRidge;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.plot.Distributions;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * `evaluate NAME`: per-gene Pearson/Spearman of the prediction against the slide's bulked truth (paper 5.1),
 * beside the reference predictors: own binarised expression and the cell-type mean of the training slide's target
 * (what a model must beat), and a ridge regression trained on this slide's own truth (what a supervised model
 * gets from one cell's expression).
 */
public final class Evaluate implements Command {
    /** The supervised reference's name in tables: trained on this slide's own truth, a yardstick (linear, so not an upper bound). */
    static final String PAIRED = "paired ridge (supervised)";
    /** The two references a model must beat, by their names in tables. */
    static final String OWN_BINARISED = "own binarised", CELL_TYPE_MEAN = "cell-type mean";

    @Override public String name() { return "evaluate"; }
    @Override public String usage() { return "evaluate NAME [references=true label=RUN spatial_i=0.05]"; }
    @Override public String summary() { return "per-gene correlation of prediction vs bulked truth, with reference predictors: summary table, per-gene table, distribution plot"; }
    @Override public List<String> keys() { return List.of("references", "label", "spatial_i"); }

    /** Moran's I per panel gene of the slide's binarised panel over the bulking radius graph, or null without coordinates. */
    private static Map<String, Double> spatialSignal(CommandContext ctx, DatasetState d) {
        if (!d.modality().hasCoordinates() || d.binarised() == null) return null;
        Object r = ctx.tx().value(Bulk.RADIUS_KEY);
        double radius = r instanceof Double v ? v : 25;
        Table t = Autocorrelation.of(d, NeighbourGraph.radius(d.modality().x(), d.modality().y(), radius), false);
        Map<String, Double> out = new HashMap<>();
        for (int i = 0; i < t.rowCount(); i++) out.put(t.stringColumn("gene").get(i), t.doubleColumn("morans_i").getDouble(i));
        return out;
    }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "the dataset to evaluate (e.g. val)", null));
        DenseMatrix truth = d.requireTarget(), pred = d.requirePrediction();
        String[] panel = d.requirePanel();
        List<Table> parts = new ArrayList<>();
        parts.add(Evaluation.perGene("scxm", pred, truth, panel));
        Baseline.of(ctx, d.name()).forEach((method, p) -> parts.add(Evaluation.perGene(method, p, truth, panel)));
        if (call.bool("references", true)) {
            parts.add(Evaluation.perGene(OWN_BINARISED, d.binarised(), truth, panel));
            DatasetState st = ctx.tx().byRole("st");
            if (st != null && st.target() != null && st.cellTypes() != null && d.cellTypes() != null)
                parts.add(Evaluation.perGene(CELL_TYPE_MEAN, Evaluation.cellTypeMean(st.target(), st.cellTypes(), d.cellTypes()), truth, panel));
            if (d.modality().hasCoordinates() && d.nCells() >= PairedRidge.MIN_CELLS) {
                ctx.progress().update(0.5, "fitting the paired ridge reference (supervised, stripe-wise cross-validated)");
                parts.add(Evaluation.perGene(PAIRED, PairedRidge.predict(d.modality().counts(), d.modality().x(), truth, PairedRidge.STRIPES), truth, panel));
            }
        }
        Table perGene = Evaluation.combine(parts.toArray(Table[]::new));
        Map<String, Double> moran = spatialSignal(ctx, d);
        if (moran != null) perGene = Evaluation.withSpatialSignal(perGene, moran);
        perGene.setName("per-gene correlation on '" + d.name() + "'");
        ctx.tx().put(d.withEvaluation(perGene));
        double spatialI = call.number("spatial_i", Evaluation.SPATIAL_MORANS_I);
        Table summary = Evaluation.summary(perGene, spatialI);
        ctx.table(summary);
        List<String> refs = List.of(CELL_TYPE_MEAN, OWN_BINARISED, PAIRED);
        String reading = Evaluation.reading(summary, "scxm", refs);
        if (reading != null && call.bool("references", true)) {
            String text = reading + ". The paired ridge is a supervised linear model trained on this slide's own truth (stripe-wise "
                    + "cross-validated): a yardstick for methods that, unlike it, never see a cell paired with its neighbourhood.";
            if (summary.containsColumn("median_spatial")) {
                int n = (int) summary.doubleColumn("spatial_genes").getDouble(0);
                text += String.format(java.util.Locale.ROOT, "%nOn the %d spatially structured genes (Moran's I of the binarised panel ≥ %s), ", n, spatialI)
                        + Evaluation.reading(summary, "median_spatial", "median Pearson", "scxm", refs)
                        + ". On the other genes the target is mostly the cell itself, where own binarised wins by construction.";
            }
            ctx.text(text);
        }
        Compare.record(ctx, call.string("label", "run " + (Compare.runs(ctx) + 1)), d.name(), perGene, summary);
        ctx.figure(Distributions.perGene(perGene, "pearson", "per-gene Pearson on '" + d.name() + "'"));
        ctx.table(perGene);
    }
}
