package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.plot.Distributions;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * `compare`: every `evaluate` of the session side by side (one row per run: label, settings, median
 * Pearson), with the per-gene distributions of the model per run. Ablation notes end with it.
 */
public final class Compare implements Command {
    static final String RUNS = "comparison.runs", GENES = "comparison.genes";

    @Override public String name() { return "compare"; }
    @Override public String usage() { return "compare"; }
    @Override public String summary() { return "all evaluations of the session side by side (label, bulk and training settings, median Pearson) with their distributions"; }
    @Override public List<String> keys() { return List.of(); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        Table runs = ctx.tx().value(RUNS, Table.class);
        if (runs == null) throw new ScxmException("nothing to compare yet: run `evaluate NAME label=...` first.");
        ctx.table(runs);
        ctx.figure(Distributions.perGene(ctx.tx().value(GENES, Table.class), "pearson", "per-gene Pearson of the model, per run"));
    }

    static int runs(CommandContext ctx) {
        Table t = ctx.tx().value(RUNS, Table.class);
        return t == null ? 0 : t.rowCount();
    }

    /** Adds the model's row of an evaluation (never edits the stored tables: copies, so a failed paragraph commits nothing). */
    static void record(CommandContext ctx, String label, String dataset, Table perGene, Table summary) {
        Table runs = ctx.tx().value(RUNS, Table.class);
        runs = runs == null ? Table.create("comparison of runs", StringColumn.create("label"), StringColumn.create("dataset"),
                StringColumn.create("bulk"), StringColumn.create("model"), DoubleColumn.create("median_pearson"),
                DoubleColumn.create("q1"), DoubleColumn.create("q3"), DoubleColumn.create("reference_median")) : runs.copy();
        double med = Double.NaN, q1 = Double.NaN, q3 = Double.NaN, ref = Double.NaN;
        for (int r = 0; r < summary.rowCount(); r++) {
            String m = summary.stringColumn("method").get(r);
            if (m.equals("scxm")) { med = summary.doubleColumn("median_pearson").getDouble(r); q1 = summary.doubleColumn("q1").getDouble(r); q3 = summary.doubleColumn("q3").getDouble(r); }
            if (m.equals(Evaluate.OWN_BINARISED)) ref = summary.doubleColumn("median_pearson").getDouble(r);
        }
        String model = Model.currentName(ctx, null);
        runs.stringColumn("label").append(label);
        runs.stringColumn("dataset").append(dataset);
        runs.stringColumn("bulk").append(String.valueOf(ctx.tx().value("bulk.settings")));
        runs.stringColumn("model").append(model == null ? "" : model + " " + String.valueOf(ctx.tx().value(Train.SETTINGS + model)));
        runs.doubleColumn("median_pearson").append(med);
        runs.doubleColumn("q1").append(q1);
        runs.doubleColumn("q3").append(q3);
        runs.doubleColumn("reference_median").append(ref);
        ctx.tx().putValue(RUNS, runs);
        Table genes = ctx.tx().value(GENES, Table.class);
        Table mine = perGene.where(perGene.stringColumn("method").isEqualTo("scxm")).copy();
        mine.stringColumn("method").set(mine.stringColumn("method").isNotMissing(), label);
        ctx.tx().putValue(GENES, genes == null ? mine : genes.copy().append(mine));
    }
}
