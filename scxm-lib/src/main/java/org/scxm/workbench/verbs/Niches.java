package org.scxm.workbench.verbs;

import java.util.Locale;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.plot.SpatialPlots;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Step;
import org.scxm.workbench.Text;

/** The niches verb: clustered vs isolated cells of one type by a gene's bulked expression (paper 5.2) or a neighbour type's share. */
public final class Niches {
    private Niches() {}

    /** Clustered vs isolated cells of one type by a gene's (predicted) bulked expression (paper 5.2). */
    public static Report run(Step ctx, Options.Niches o) {
        if (o.composition() != null) return byComposition(ctx, o);
        if (o.gene() == null)
            throw new ScxmException("niches needs gene=G (a bulked gene) or composition=\"CELL TYPE\" (a neighbour "
                    + "type's share) to split the cells of type=.");
        DatasetState d = ctx.require(o.dataset());
        int g = d.panelIndex(o.gene());
        DenseMatrix values = o.fromTarget() ? d.requireTarget() : d.requirePrediction();
        if (values.cols() != d.panel().length)
            throw new ScxmException("the " + (o.fromTarget() ? "target" : "prediction") + " of '" + d.name()
                    + "' is a neighbourhood composition over cell types, not bulked genes; call niches with "
                    + "composition=\"CELL TYPE\" instead of gene=.");
        if (!o.fromTarget()) {
            double sdPred = org.scxm.eval.Evaluation.sd(values.column(g));
            double sdTarget = d.target() == null
                    ? Double.NaN
                    : org.scxm.eval.Evaluation.sd(d.target().column(g));
            boolean flat = Double.isNaN(sdTarget)
                    ? sdPred < 1e-3
                    : sdPred < org.scxm.eval.Evaluation.COLLAPSED_SPREAD * sdTarget;
            if (flat)
                throw new ScxmException(String.format(
                        Locale.ROOT,
                        "the prediction of %s on '%s' is nearly constant (SD %.2g across cells%s), so any threshold "
                                + "would split noise; train longer (see the collapse warning of `train`/`evaluate`) or call niches on the truth with source=target.",
                        d.panel()[g],
                        d.name(),
                        sdPred,
                        Double.isNaN(sdTarget)
                                ? ""
                                : String.format(Locale.ROOT, " against the target's %.2g", sdTarget)));
        }
        double threshold = threshold(values.column(g), d.requireCellTypes(), o);
        org.scxm.analysis.Niches.Result res =
                org.scxm.analysis.Niches.call(values.column(g), d.requireCellTypes(), o.type(), threshold);
        ctx.publish(ctx.state().withDataset(d.withNiches(res.groups())));
        String source = o.fromTarget() ? "true target" : "prediction";
        Report r = new Report().table(res.counts());
        if (Double.isFinite(o.top())) r.text(topWords(o, threshold));
        if (d.modality().hasCoordinates()) {
            r.figure(SpatialPlots.categories(
                    "'" + d.name() + "': " + o.type() + " cells, clustered vs isolated by " + source + " "
                            + d.panel()[g] + " ≥ " + Text.plain(threshold),
                    d.modality().x(),
                    d.modality().y(),
                    res.groups(),
                    "niche group",
                    "other types"));
        } else {
            r.text("'" + d.name() + "' has no coordinates, so no spatial plot; the groups are stored for `de "
                    + d.name() + "`.");
        }
        if (res.counts().intColumn("cells").get(0) == 0)
            throw new ScxmException("no " + o.type()
                    + (o.type().toLowerCase(Locale.ROOT).endsWith("cell") ? "" : " cell") + " reaches "
                    + d.panel()[g] + " ≥ " + o.threshold() + "; lower threshold= to get a clustered group.");
        return r;
    }

    /**
     * Clustered vs isolated cells of one type by the (predicted) share of a neighbour type around them, e.g. B cells
     * with at least 30% B cells around them; on any dataset a composition model predicted, scRNA cells included.
     */
    static Report byComposition(Step ctx, Options.Niches o) {
        DatasetState d = ctx.require(o.dataset());
        org.scxm.workbench.State.Harmonisation h = ctx.state().harmonisation();
        DatasetState st = h == null ? null : ctx.state().datasets().get(h.st());
        String[] types = d.compositionTarget() ? d.targetTypes() : st != null ? st.targetTypes() : null;
        if (types == null)
            throw new ScxmException("composition= reads a neighbourhood composition: run `bulk target=composition`, "
                    + "then train and predict '" + d.name() + "' with a model on that target.");
        DenseMatrix values = o.fromTarget() ? d.requireTarget() : d.requirePrediction();
        if (values.cols() != types.length || (o.fromTarget() && !d.compositionTarget()))
            throw new ScxmException("the " + (o.fromTarget() ? "target" : "prediction") + " of '" + d.name()
                    + "' is not a composition over the training slide's " + types.length + " cell types; "
                    + (o.fromTarget()
                            ? "bulk it with target=composition."
                            : "predict it with a model trained on `bulk target=composition`."));
        int col = java.util.Arrays.asList(types).indexOf(o.composition());
        if (col >= 0 && !o.fromTarget() && org.scxm.eval.Evaluation.sd(values.column(col)) < 1e-3)
            throw new ScxmException(String.format(
                    Locale.ROOT,
                    "the predicted share of %s on '%s' is nearly constant (SD %.2g across cells), so any threshold "
                            + "would split noise; train longer or call niches on the truth with source=target.",
                    o.composition(),
                    d.name(),
                    org.scxm.eval.Evaluation.sd(values.column(col))));
        double threshold = col < 0 ? o.threshold() : threshold(values.column(col), d.requireCellTypes(), o);
        org.scxm.analysis.Niches.Result res = org.scxm.analysis.Niches.byComposition(
                values, types, d.requireCellTypes(), o.type(), o.composition(), threshold);
        ctx.publish(ctx.state().withDataset(d.withNiches(res.groups())));
        String source = o.fromTarget() ? "true" : "predicted";
        Report r = new Report().table(res.counts());
        if (Double.isFinite(o.top())) r.text(topWords(o, threshold));
        if (d.modality().hasCoordinates())
            r.figure(SpatialPlots.categories(
                    "'" + d.name() + "': " + o.type() + " cells, clustered vs isolated by the " + source + " share of "
                            + o.composition() + " around them ≥ " + Text.plain(threshold),
                    d.modality().x(),
                    d.modality().y(),
                    res.groups(),
                    "niche group",
                    "other types"));
        else
            r.text("'" + d.name() + "' has no coordinates, so no spatial plot; the groups are stored for `de "
                    + d.name() + " groups=niche`.");
        if (res.counts().intColumn("cells").get(0) == 0)
            throw new ScxmException("no " + o.type() + " cell has a " + source + " share of " + o.composition() + " ≥ "
                    + o.threshold() + " around it; lower threshold= to get a clustered group.");
        return r;
    }

    /**
     * The value from which a cell of the type is clustered: {@code threshold}, or with {@code top} the value of the
     * cell at that rank among the type's cells (ties go with it), so a split reads the prediction's ranks only, which
     * hold where its scale on dissociated cells does not (see `evaluate sc`).
     */
    static double threshold(float[] values, String[] cellTypes, Options.Niches o) {
        if (!Double.isFinite(o.top())) return o.threshold();
        if (!(o.top() > 0 && o.top() < 1))
            throw new ScxmException("top=" + o.top() + " must be a share of the " + o.type()
                    + " cells in (0, 1), e.g. top=0.3 for the 30% with the highest values.");
        double[] v = java.util.stream.IntStream.range(0, values.length)
                .filter(i -> o.type().equals(cellTypes[i]))
                .mapToDouble(i -> values[i])
                .sorted()
                .toArray();
        if (v.length == 0) return o.threshold(); // the call names the known types
        int k = Math.max(1, (int) Math.round(o.top() * v.length));
        return Math.min(1, Math.max(0, v[v.length - k]));
    }

    private static String topWords(Options.Niches o, double threshold) {
        return String.format(
                Locale.ROOT,
                "top=%s: the %s%% of %s cells with the highest values are clustered (from %.4g on); a split by rank, "
                        + "which holds where the prediction's scale does not.",
                Text.plain(o.top()),
                Text.plain(100 * o.top()),
                o.type(),
                threshold);
    }
}
