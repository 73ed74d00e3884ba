package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import org.scxm.eval.Evaluation;
import org.scxm.eval.KnnLookup;
import org.scxm.eval.PairedRidge;
import org.scxm.eval.SpatialSlideRidge;
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
 * training slide's target, which a model must beat; the spatial-slide ridge and the kNN lookup, fitted
 * on the training slide's cells, what an analyst tries without SCXM; a ridge trained on this slide's own
 * truth as a supervised yardstick), on the whole slide or on its held-out parts.
 */
public final class Evaluate {
    private Evaluate() {}

    /** Method names of the references in tables. */
    static final String SCXM = "scxm",
            OWN_BINARISED = "own binarised",
            CELL_TYPE_MEAN = "cell-type mean",
            SPATIAL_RIDGE = "spatial-slide ridge",
            KNN = "kNN lookup",
            PAIRED = "paired ridge (supervised)";

    static final List<String> REFERENCES = List.of(CELL_TYPE_MEAN, OWN_BINARISED, SPATIAL_RIDGE, KNN, PAIRED);

    public static Report run(Step ctx, Options.Evaluate o) {
        DatasetState d = ctx.require(o.dataset());
        if (d.target() == null && d.prediction() != null) return EvaluateCalibration.run(ctx, o);
        if (d.compositionTarget()) return EvaluateComposition.run(ctx, o);
        EvaluateComposition.requireExpression(d);
        DenseMatrix truth = d.requireTarget();
        String[] panel = d.requirePanel();
        State st = ctx.state();
        Map<String, DenseMatrix> baselines = st.baselines().getOrDefault(d.name(), Map.of());
        // baselines and references can be scored before (or without) an SCXM model
        DenseMatrix pred = baselines.isEmpty() ? d.requirePrediction() : d.prediction();
        Map<String, DenseMatrix> methods = new LinkedHashMap<>();
        if (pred != null) methods.put(SCXM, pred);
        methods.putAll(baselines);
        for (Map.Entry<String, DenseMatrix> m : methods.entrySet())
            if (m.getValue().rows() != truth.rows())
                throw new ScxmException("the " + m.getKey() + " prediction of '" + d.name() + "' has "
                        + m.getValue().rows() + " cells but the truth has " + truth.rows()
                        + "; predict (or rerun the baseline) after the last load and bulk.");
        if (o.references()) methods.putAll(references(ctx, d, truth));
        double radius = ctx.radius();
        Map<String, Double> moran = spatialSignal(d, radius);

        Report r = new Report();
        Map<String, int[]> parts = Evaluate.parts(
                d,
                o.split(),
                radius,
                r,
                p -> String.format(
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

        Table reported = null, reportedSummary = null;
        String reportedPart = null;
        Map<String, Table> summaries = new LinkedHashMap<>();
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
            summaries.put(part.getKey(), summary);
        }
        if (summaries.containsKey("test"))
            r.table(heldOutSummary(d.name(), summaries.get("test"), summaries.get("tuning")));
        ctx.publish(ctx.state().withDataset(d.withEvaluation(reported)));
        String label = o.label() != null ? o.label() : "run " + (runs(ctx.state()) + 1);
        State.ModelEntry model = ctx.state().currentModel() == null
                ? null
                : ctx.state().models().get(ctx.state().currentModel());
        String modelWords = model == null
                ? ""
                : model.name() + " "
                        + (model.run() == null ? "(untrained)" : model.run().settings());
        if (pred != null) // the comparison of runs holds SCXM runs; baselines alone are in the summaries above
        ctx.publish(record(
                ctx.state(),
                label,
                d.name(),
                modelWords,
                reportedPart,
                1,
                Summary.of(reportedSummary, SCXM),
                Double.NaN,
                ReferenceMedians.of(reportedSummary),
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

    /**
     * The reference predictors of a slide's truth: own binarised panel, the training slide's cell-type mean,
     * the spatial-slide ridge and kNN lookup, the paired ridge.
     */
    static Map<String, DenseMatrix> references(Step ctx, DatasetState d, DenseMatrix truth) {
        Map<String, DenseMatrix> out = unsupervisedReferences(ctx, d);
        if (d.modality().hasCoordinates() && d.nCells() >= PairedRidge.MIN_CELLS) {
            ctx.progress().update(0.5, "fitting the paired ridge reference (supervised, stripe-wise cross-validated)");
            out.put(
                    PAIRED,
                    PairedRidge.predict(d.modality().counts(), d.modality().x(), truth, PairedRidge.STRIPES));
        }
        return out;
    }

    /**
     * The references that never see the evaluated cells' truth, each a prediction for every cell of {@code d}:
     * own binarised panel, the training slide's cell-type mean (when both are annotated), and the spatial-slide
     * ridge and kNN lookup fitted on the training slide (when it has coordinates and enough cells).
     */
    static Map<String, DenseMatrix> unsupervisedReferences(Step ctx, DatasetState d) {
        Map<String, DenseMatrix> out = new LinkedHashMap<>();
        out.put(OWN_BINARISED, d.binarised());
        DatasetState st = trainingSlide(ctx.state());
        if (st != null && st.cellTypes() != null && d.cellTypes() != null)
            out.put(CELL_TYPE_MEAN, Evaluation.cellTypeMean(st.target(), st.cellTypes(), d.cellTypes()));
        State.ReferenceFits fits = referenceFits(ctx);
        if (fits != null) {
            SparseMatrix counts = panelCounts(d);
            out.put(SPATIAL_RIDGE, fits.ridge().predict(counts));
            out.put(KNN, fits.knn().predict(counts));
        }
        return out;
    }

    /** The harmonised training slide once bulked, or null. */
    private static DatasetState trainingSlide(State s) {
        if (s.harmonisation() == null) return null;
        DatasetState st = s.datasets().get(s.harmonisation().st());
        return st == null || st.target() == null ? null : st;
    }

    /**
     * The spatial-slide ridge and kNN lookup of the training slide: the cached fits while its target is the
     * same, else fitted now and published with the step's state; null without coordinates or with too few cells
     * for their stripe-wise cross-validation.
     */
    static State.ReferenceFits referenceFits(Step ctx) {
        DatasetState st = trainingSlide(ctx.state());
        if (st == null || !st.modality().hasCoordinates() || st.nCells() < PairedRidge.MIN_CELLS)
            return null; // 5 stripes of 10 cells, as the paired ridge
        State.ReferenceFits cached = ctx.state().referenceFits();
        if (cached != null && cached.fittedOn(st)) return cached;
        ctx.progress()
                .update(
                        0.2,
                        "fitting the spatial-slide ridge and the kNN lookup on '" + st.name()
                                + "' (once per training target)");
        SparseMatrix counts = panelCounts(st);
        double[] x = st.modality().x();
        State.ReferenceFits fits = new State.ReferenceFits(
                st.name(),
                st.target(),
                SpatialSlideRidge.fit(counts, x, st.target()),
                KnnLookup.fit(counts, x, st.target()));
        ctx.publish(ctx.state().withReferenceFits(fits));
        return fits;
    }

    /** A dataset's raw counts on the panel genes, in the panel's order (what the training-slide references read). */
    static SparseMatrix panelCounts(DatasetState d) {
        return d.modality().counts().selectCols(d.panelColumns());
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
        String text = reading + margins(summary)
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

    /**
     * One row a method: its median per-gene Pearson on the test half (the number to report) and on the tuning half
     * (where settings are chosen), and its test-half margin over own binarised and over the spatial-slide ridge.
     */
    static Table heldOutSummary(String dataset, Table test, Table tuning) {
        StringColumn method = StringColumn.create("method");
        DoubleColumn testMedian = DoubleColumn.create("test_median"),
                tuningMedian = DoubleColumn.create("tuning_median"),
                overOwn = DoubleColumn.create("test_margin_over_own_binarised"),
                overRidge = DoubleColumn.create("test_margin_over_ridge");
        ReferenceMedians ref = ReferenceMedians.of(test);
        for (String m : test.stringColumn("method")) {
            double v = Summary.of(test, m).median();
            method.append(m);
            testMedian.append(v);
            tuningMedian.append(Summary.of(tuning, m).median());
            overOwn.append(v - ref.ownBinarised());
            overRidge.append(v - ref.ridge());
        }
        return Table.create(
                "held-out summary of '" + dataset + "' (report the test half; settings are chosen on the tuning half)",
                method,
                testMedian,
                tuningMedian,
                overOwn,
                overRidge);
    }

    /**
     * SCXM's margin over the spatial-slide ridge and over own binarised, e.g. ". Margin over the spatial-slide
     * ridge +0.012, over own binarised +0.004 (...)", or "" without the ridge.
     */
    static String margins(Table summary) {
        double scxm = Summary.of(summary, SCXM).median();
        ReferenceMedians ref = ReferenceMedians.of(summary);
        if (Double.isNaN(scxm) || Double.isNaN(ref.ridge())) return "";
        return String.format(
                Locale.ROOT,
                ". SCXM's margin over the spatial-slide ridge: %+.3f, over own binarised: %+.3f (the spatial-slide ridge"
                        + " and the kNN lookup are fitted on the training slide's cells, panel -> their bulked target:"
                        + " the first thing an analyst tries without SCXM)",
                scxm - ref.ridge(),
                scxm - ref.ownBinarised());
    }

    /** The references' medians a comparison row keeps (NaN where absent). */
    record ReferenceMedians(double ownBinarised, double ridge, double knn) {
        static final ReferenceMedians ABSENT = new ReferenceMedians(Double.NaN, Double.NaN, Double.NaN);

        static ReferenceMedians of(Table summary) {
            return new ReferenceMedians(
                    Summary.of(summary, OWN_BINARISED).median(),
                    Summary.of(summary, SPATIAL_RIDGE).median(),
                    Summary.of(summary, KNN).median());
        }
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
            ReferenceMedians reference,
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
                        DoubleColumn.create("ridge_median"),
                        DoubleColumn.create("knn_median"),
                        DoubleColumn.create("margin_over_ridge"),
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
        runs.doubleColumn("reference_median").append(reference.ownBinarised());
        runs.doubleColumn("ridge_median").append(reference.ridge());
        runs.doubleColumn("knn_median").append(reference.knn());
        runs.doubleColumn("margin_over_ridge").append(summary.median() - reference.ridge());
        runs.stringColumn("part").append(part);
        runs.intColumn("seeds").append(seeds);
        runs.doubleColumn("sd_across_seeds").append(sd);
        Table mine = modelPerGene.selectColumns("method", "gene", "pearson").copy();
        mine.stringColumn("method").set(mine.stringColumn("method").isNotMissing(), label);
        Table genes =
                s.comparison() == null ? mine : s.comparison().genes().copy().append(mine);
        return s.withComparison(new State.Comparison(runs, genes));
    }

    /**
     * The parts a dataset is scored on: with split=halves the tuning and the test half, described on {@code r} by
     * {@code describe}; else all its cells.
     */
    static Map<String, int[]> parts(
            DatasetState d, HeldOut.Split split, double radius, Report r, Function<HeldOut.Parts, String> describe) {
        Map<String, int[]> parts = new LinkedHashMap<>();
        if (split == HeldOut.Split.HALVES) {
            HeldOut.Parts p = HeldOut.halves(d.modality().x(), d.modality().y(), radius);
            parts.put("tuning", p.tuning());
            parts.put("test", p.test());
            r.text(describe.apply(p));
        } else parts.put("all", IntStream.range(0, d.nCells()).toArray());
        return parts;
    }
}
