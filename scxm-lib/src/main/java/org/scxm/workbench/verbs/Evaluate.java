package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.eval.Evaluation;
import org.scxm.eval.PairedRidge;
import org.scxm.plot.Distributions;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.HeldOut;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;
import org.scxm.workbench.Text;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The evaluate verb: per-gene Pearson/Spearman of every prediction against the slide's bulked truth
 * (paper 5.1), beside reference predictors (own binarised expression and the cell-type mean of the
 * training slide's target, which a model must beat; a ridge trained on this slide's own truth as a
 * supervised yardstick), on the whole slide or on its held-out parts.
 */
public final class Evaluate {
    private Evaluate() {}

    /** Method names of the references in tables. */
    static final String SCXM = "scxm",
            OWN_BINARISED = "own binarised",
            CELL_TYPE_MEAN = "cell-type mean",
            PAIRED = "paired ridge (supervised)";

    static final List<String> REFERENCES = List.of(CELL_TYPE_MEAN, OWN_BINARISED, PAIRED);

    public static Report run(Step ctx, Options.Evaluate o) {
        DatasetState d = ctx.require(o.dataset());
        if (d.target() == null && d.prediction() != null) return EvaluateCalibration.run(ctx, o);
        if (d.compositionTarget()) return EvaluateComposition.run(ctx, o);
        EvaluateComposition.requireExpression(d);
        DenseMatrix truth = d.requireTarget(), pred = d.requirePrediction();
        String[] panel = d.requirePanel();
        State st = ctx.state();
        Map<String, DenseMatrix> methods = new LinkedHashMap<>();
        methods.put(SCXM, pred);
        methods.putAll(st.baselines().getOrDefault(d.name(), Map.of()));
        for (Map.Entry<String, DenseMatrix> m : methods.entrySet())
            if (m.getValue().rows() != truth.rows())
                throw new ScxmException("the " + m.getKey() + " prediction of '" + d.name() + "' has "
                        + m.getValue().rows() + " cells but the truth has " + truth.rows()
                        + "; predict (or rerun the baseline) after the last load and bulk.");
        if (o.references()) methods.putAll(references(ctx, d, truth));
        double radius = ctx.radius();
        Map<String, Double> moran = spatialSignal(d, radius);

        Map<String, int[]> parts = new LinkedHashMap<>();
        Report r = new Report();
        if (o.split() == HeldOut.Split.HALVES) {
            HeldOut.Parts p = HeldOut.halves(d.modality().x(), d.modality().y(), radius);
            parts.put("tuning", p.tuning());
            parts.put("test", p.test());
            r.text(String.format(
                    Locale.ROOT,
                    "held-out split of '%s': tuning part %d cells (%s < %.1f), test part %d cells (%s > %.1f); %d cells within one radius (%s µm) "
                            + "of the cut are in neither, so no target reaches across. Choose settings on the tuning part; report the test part.",
                    d.name(),
                    p.tuning().length,
                    p.axis(),
                    p.cut() - radius,
                    p.test().length,
                    p.axis(),
                    p.cut() + radius,
                    p.buffer(),
                    Text.plain(radius)));
        } else parts.put("all", IntStream.range(0, d.nCells()).toArray());

        Table reported = null, reportedSummary = null;
        String reportedPart = null;
        for (Map.Entry<String, int[]> part : parts.entrySet()) {
            Table perGene = perGene(methods, truth, panel, part.getValue(), moran);
            String where = part.getKey().equals("all")
                    ? "'" + d.name() + "'"
                    : "the " + part.getKey() + " part of '" + d.name() + "' (" + part.getValue().length + " cells)";
            perGene.setName("per-gene correlation on " + where);
            Table summary = Evaluation.summary(perGene, o.spatialI());
            summary.setName("evaluation summary on " + where);
            r.table(summary);
            if (o.references()) r.text(reading(summary, o.spatialI()));
            for (String w : Evaluation.collapseWarnings(summary)) r.text("warning: " + w);
            reported = perGene;
            reportedSummary = summary;
            reportedPart = part.getKey();
        }
        ctx.publish(ctx.state().withDataset(d.withEvaluation(reported)));
        String label = o.label() != null ? o.label() : "run " + (runs(ctx.state()) + 1);
        State.ModelEntry model = ctx.state().currentModel() == null
                ? null
                : ctx.state().models().get(ctx.state().currentModel());
        String modelWords = model == null
                ? ""
                : model.name() + " "
                        + (model.run() == null ? "(untrained)" : model.run().settings());
        ctx.publish(record(
                ctx.state(),
                label,
                d.name(),
                modelWords,
                reportedPart,
                1,
                Summary.of(reportedSummary, SCXM),
                Double.NaN,
                Summary.of(reportedSummary, OWN_BINARISED).median(),
                reported.where(reported.stringColumn("method").isEqualTo(SCXM))));
        r.figure(Distributions.perGene(
                reported,
                "pearson",
                "per-gene Pearson on "
                        + (reportedPart.equals("all")
                                ? "'" + d.name() + "'"
                                : "the " + reportedPart + " part of '" + d.name() + "'")));
        r.table(reported);
        return r;
    }

    /** The reference predictors of a slide's truth: own binarised panel, the training slide's cell-type mean, the paired ridge. */
    static Map<String, DenseMatrix> references(Step ctx, DatasetState d, DenseMatrix truth) {
        Map<String, DenseMatrix> out = new LinkedHashMap<>();
        out.put(OWN_BINARISED, d.binarised());
        DatasetState st = ctx.state().harmonisation() == null
                ? null
                : ctx.state().datasets().get(ctx.state().harmonisation().st());
        if (st != null && st.target() != null && st.cellTypes() != null && d.cellTypes() != null)
            out.put(CELL_TYPE_MEAN, Evaluation.cellTypeMean(st.target(), st.cellTypes(), d.cellTypes()));
        if (d.modality().hasCoordinates() && d.nCells() >= PairedRidge.MIN_CELLS) {
            ctx.progress().update(0.5, "fitting the paired ridge reference (supervised, stripe-wise cross-validated)");
            out.put(
                    PAIRED,
                    PairedRidge.predict(d.modality().counts(), d.modality().x(), truth, PairedRidge.STRIPES));
        }
        return out;
    }

    /** Per-gene table of every method on the given cells, with Moran's I when known. */
    static Table perGene(
            Map<String, DenseMatrix> methods,
            DenseMatrix truth,
            String[] panel,
            int[] rows,
            Map<String, Double> moran) {
        boolean all = rows.length == truth.rows();
        DenseMatrix t = all ? truth : truth.selectRows(rows);
        List<Table> tables = new ArrayList<>();
        methods.forEach((name, p) -> tables.add(Evaluation.perGene(name, all ? p : p.selectRows(rows), t, panel)));
        Table perGene = Evaluation.combine(tables.toArray(Table[]::new));
        return moran == null ? perGene : Evaluation.withSpatialSignal(perGene, moran);
    }

    /** Moran's I per panel gene of the slide's binarised panel over the bulking radius graph, or null without coordinates. */
    static Map<String, Double> spatialSignal(DatasetState d, double radius) {
        if (!d.modality().hasCoordinates() || d.binarised() == null) return null;
        Table t = Autocorrelation.table(
                d, NeighbourGraph.radius(d.modality().x(), d.modality().y(), radius), false);
        Map<String, Double> out = new HashMap<>();
        for (int i = 0; i < t.rowCount(); i++)
            out.put(t.stringColumn("gene").get(i), t.doubleColumn("morans_i").getDouble(i));
        return out;
    }

    private static String reading(Table summary, double spatialI) {
        String reading = Evaluation.reading(summary, SCXM, REFERENCES);
        if (reading == null) return "";
        String text = reading
                + ". The paired ridge is a supervised linear model trained on this slide's own truth (stripe-wise "
                + "cross-validated): a yardstick for methods that, unlike it, never see a cell paired with its neighbourhood.";
        if (summary.containsColumn("median_spatial")) {
            int n = (int) summary.doubleColumn("spatial_genes").getDouble(0);
            text += String.format(
                            Locale.ROOT,
                            "%nOn the %d spatially structured genes (Moran's I of the binarised panel ≥ %s), ",
                            n,
                            spatialI)
                    + Evaluation.reading(summary, "median_spatial", "median Pearson", SCXM, REFERENCES)
                    + ". On the other genes the target is mostly the cell itself, where own binarised wins by construction.";
        }
        return text;
    }

    /** One method's row of an evaluation summary: median per-gene Pearson and its quartiles (NaN when absent). */
    record Summary(double median, double q1, double q3) {
        static final Summary ABSENT = new Summary(Double.NaN, Double.NaN, Double.NaN);

        /** The row of {@code method} in a summary table of {@link Evaluation#summary}. */
        static Summary of(Table summary, String method) {
            int r = summary.stringColumn("method").indexOf(method);
            if (r < 0) return ABSENT;
            return new Summary(
                    summary.doubleColumn("median_pearson").getDouble(r),
                    summary.doubleColumn("q1").getDouble(r),
                    summary.doubleColumn("q3").getDouble(r));
        }
    }

    static int runs(State s) {
        return s.comparison() == null ? 0 : s.comparison().runs().rowCount();
    }

    /** Adds one row to the comparison (never edits the stored tables: copies, so a failed step commits nothing). */
    static State record(
            State s,
            String label,
            String dataset,
            String model,
            String part,
            int seeds,
            Summary summary,
            double sd,
            double reference,
            Table modelPerGene) {
        Table runs = s.comparison() == null
                ? Table.create(
                        "comparison of runs",
                        StringColumn.create("label"),
                        StringColumn.create("dataset"),
                        StringColumn.create("bulk"),
                        StringColumn.create("model"),
                        DoubleColumn.create("median_pearson"),
                        DoubleColumn.create("q1"),
                        DoubleColumn.create("q3"),
                        DoubleColumn.create("reference_median"),
                        StringColumn.create("part"),
                        IntColumn.create("seeds"),
                        DoubleColumn.create("sd_across_seeds"))
                : s.comparison().runs().copy();
        runs.stringColumn("label").append(label);
        runs.stringColumn("dataset").append(dataset);
        runs.stringColumn("bulk").append(s.bulk() == null ? "" : s.bulk().describe());
        runs.stringColumn("model").append(model);
        runs.doubleColumn("median_pearson").append(summary.median());
        runs.doubleColumn("q1").append(summary.q1());
        runs.doubleColumn("q3").append(summary.q3());
        runs.doubleColumn("reference_median").append(reference);
        runs.stringColumn("part").append(part);
        runs.intColumn("seeds").append(seeds);
        runs.doubleColumn("sd_across_seeds").append(sd);
        Table mine = modelPerGene.selectColumns("method", "gene", "pearson").copy();
        mine.stringColumn("method").set(mine.stringColumn("method").isNotMissing(), label);
        Table genes =
                s.comparison() == null ? mine : s.comparison().genes().copy().append(mine);
        return s.withComparison(new State.Comparison(runs, genes));
    }
}
