package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import org.scxm.eval.CompositionEvaluation;
import org.scxm.eval.KnnLookup;
import org.scxm.eval.SpatialSlideRidge;
import org.scxm.plot.CompositionPlots;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;
import org.scxm.workbench.Text;
import tech.tablesaw.api.Table;

/**
 * {@code evaluate NAME} on a neighbourhood-composition target: per type, the Pearson of predicted against true share;
 * per cell, the Jensen-Shannon divergence; beside the references a model must beat (the training slide's cell-type
 * mean composition, and the spatial-slide ridge and kNN lookup fitted on the training slide's own compositions), with
 * a stacked bar of the mean predicted and true composition per cell type ({@code plot spatial NAME show=dominant} maps
 * the predicted dominant neighbour type).
 */
public final class EvaluateComposition {
    private EvaluateComposition() {}

    static final String SCXM = Evaluate.SCXM, RIDGE = "spatial-slide ridge", KNN = "kNN lookup";

    public static Report run(Step ctx, Options.Evaluate o) {
        DatasetState d = ctx.require(o.dataset());
        DenseMatrix truth = d.requireTarget(), pred = d.requirePrediction();
        String[] types = d.targetTypes();
        if (pred.cols() != truth.cols())
            throw new ScxmException(
                    "the prediction of '" + d.name() + "' has " + pred.cols()
                            + " columns but its target is a composition over " + types.length
                            + " cell types; predict it with a model trained on the composition target (`bulk target=composition`, then `model` and `train`).");
        Map<String, DenseMatrix> methods = new LinkedHashMap<>();
        methods.put(SCXM, pred);
        for (Map.Entry<String, DenseMatrix> b :
                ctx.state().baselines().getOrDefault(d.name(), Map.of()).entrySet())
            if (b.getValue().cols() == truth.cols() && b.getValue().rows() == truth.rows())
                methods.put(b.getKey(), b.getValue());
        if (o.references()) methods.putAll(references(ctx, d));

        double radius = ctx.radius();
        Report r = new Report();
        Map<String, int[]> parts = Evaluate.parts(
                d,
                o.split(),
                radius,
                r,
                p -> String.format(
                        Locale.ROOT,
                        "held-out split of '%s': tuning part %d cells, test part %d cells, %d cells within one radius (%s µm) of the cut in neither. "
                                + "Choose settings on the tuning part; report the test part.",
                        d.name(),
                        p.tuning().length,
                        p.test().length,
                        p.buffer(),
                        Text.plain(radius)));

        Table perType = null, summary = null;
        String reportedPart = null;
        for (Map.Entry<String, int[]> part : parts.entrySet()) {
            boolean all = part.getValue().length == truth.rows();
            DenseMatrix t = all ? truth : truth.selectRows(part.getValue());
            List<CompositionEvaluation.Result> results = new ArrayList<>();
            for (Map.Entry<String, DenseMatrix> m : methods.entrySet())
                results.add(CompositionEvaluation.evaluate(
                        m.getKey(), all ? m.getValue() : m.getValue().selectRows(part.getValue()), t, types));
            CompositionEvaluation.Result[] res = results.toArray(CompositionEvaluation.Result[]::new);
            String where = part.getKey().equals("all")
                    ? "'" + d.name() + "'"
                    : "the " + part.getKey() + " part of '" + d.name() + "' (" + part.getValue().length + " cells)";
            summary = CompositionEvaluation.summary(res);
            summary.setName("composition evaluation summary on " + where);
            perType = CompositionEvaluation.perType(res);
            perType.setName("per-type composition correlation on " + where);
            r.table(summary);
            reportedPart = part.getKey();
        }
        r.text(
                "pearson: per cell type, predicted against true share of that type around each cell; jsd: per cell, "
                        + "the Jensen-Shannon divergence (base 2, 0 = the same composition, 1 = disjoint) between predicted and true composition.");
        r.table(perType);
        if (d.cellTypes() != null)
            r.figure(CompositionPlots.meanByType(
                    "'" + d.name() + "': mean predicted vs true neighbourhood composition per cell type",
                    pred,
                    truth,
                    types,
                    cellTypesOrNull(d.cellTypes())));
        Table asGenes = perType.copy();
        asGenes.column("type").setName("gene"); // the comparison keeps one score per column, gene or type
        ctx.publish(ctx.state().withDataset(d.withEvaluation(asGenes)));
        State.ModelEntry model = ctx.state().currentModel() == null
                ? null
                : ctx.state().models().get(ctx.state().currentModel());
        String modelWords = model == null
                ? ""
                : model.name() + " "
                        + (model.run() == null ? "(untrained)" : model.run().settings());
        double reference = Evaluate.Summary.of(summary, CompositionEvaluation.CELL_TYPE_MEAN)
                .median();
        ctx.publish(Evaluate.record(
                ctx.state(),
                o.label() != null ? o.label() : "run " + (Evaluate.runs(ctx.state()) + 1),
                d.name(),
                modelWords,
                reportedPart,
                1,
                Evaluate.Summary.of(summary, SCXM),
                Double.NaN,
                new Evaluate.ReferenceMedians(
                        reference,
                        Evaluate.Summary.of(summary, Evaluate.SPATIAL_RIDGE).median(),
                        Evaluate.Summary.of(summary, Evaluate.KNN).median()),
                asGenes.where(asGenes.stringColumn("method").isEqualTo(SCXM))));
        return r;
    }

    /** A bulked expression target is scored against a prediction of the same genes, not a composition. */
    static void requireExpression(DatasetState d) {
        if (d.prediction() != null
                && d.target() != null
                && d.prediction().cols() != d.target().cols())
            throw new ScxmException(
                    "the prediction of '" + d.name() + "' has " + d.prediction().cols()
                            + " columns (a composition model's?) but its bulked target has "
                            + d.target().cols()
                            + " genes; bulk with target=composition to evaluate a composition, or predict with a model of the bulked panel.");
    }

    /** The references of a composition: the cell-type mean, the spatial-slide ridge and the kNN lookup. */
    static Map<String, DenseMatrix> references(Step ctx, DatasetState d) {
        Map<String, DenseMatrix> out = new LinkedHashMap<>();
        State.Harmonisation h = ctx.state().harmonisation();
        DatasetState st = h == null ? null : ctx.state().datasets().get(h.st());
        if (st == null || !st.compositionTarget()) return out;
        if (st.cellTypes() != null && d.cellTypes() != null)
            out.put(
                    CompositionEvaluation.CELL_TYPE_MEAN,
                    CompositionEvaluation.cellTypeMean(st.target(), st.cellTypes(), d.cellTypes()));
        if (st.modality().hasCoordinates()) {
            SparseMatrix stCounts =
                    st.modality().matrix().selectCols(st.panelColumns()).inMemory();
            SparseMatrix counts =
                    d.modality().matrix().selectCols(d.panelColumns()).inMemory();
            double[] x = st.modality().x();
            ctx.progress().update(0.3, "fitting the spatial-slide ridge on the training slide's compositions");
            out.put(RIDGE, SpatialSlideRidge.fit(stCounts, x, st.target()).predict(counts));
            ctx.progress().update(0.6, "choosing k of the kNN lookup on the training slide");
            out.put(KNN, KnnLookup.fit(stCounts, x, st.target()).predict(counts));
        }
        return out;
    }

    private static String[] cellTypesOrNull(String[] t) {
        String[] out = new String[t.length];
        for (int i = 0; i < t.length; i++) out[i] = t[i] == null || t[i].isEmpty() ? null : t[i];
        return out;
    }
}
