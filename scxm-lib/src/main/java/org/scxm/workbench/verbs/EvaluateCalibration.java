package org.scxm.workbench.verbs;

import java.util.Arrays;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.eval.Calibration;
import org.scxm.plot.CompositionPlots;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;
import tech.tablesaw.api.Table;

/**
 * {@code evaluate NAME} on a dataset without truth (dissociated cells): per gene or cell type, the predicted
 * distribution against the training slide's own targets, and the validation slide's the same way, so a user sees
 * when predictions on dissociated cells drift off the scale of real neighbourhoods ({@link Calibration}).
 */
public final class EvaluateCalibration {
    private EvaluateCalibration() {}

    public static Report run(Step ctx, Options.Evaluate o) {
        DatasetState d = ctx.require(o.dataset());
        DenseMatrix pred = d.requirePrediction();
        State.Harmonisation h = ctx.state().harmonisation();
        DatasetState st = h == null ? null : ctx.state().datasets().get(h.st());
        if (st == null || st.target() == null)
            throw new ScxmException(
                    "'" + d.name() + "' has no truth, so its predictions are compared with the training "
                            + "slide's targets: bulk the training slide first (`bulk`).");
        DenseMatrix target = st.target();
        String[] features = st.compositionTarget() ? st.targetTypes() : st.requirePanel();
        if (pred.cols() != target.cols())
            throw new ScxmException("the prediction of '" + d.name() + "' has " + pred.cols() + " columns but the "
                    + "training slide's target has " + target.cols() + "; predict again with a model trained on it.");
        long seed = 0; // the target's split into halves for the energy distance's noise level: fixed, so reruns agree
        Table per = Calibration.compare(d.name(), pred, target, features, seed);
        DatasetState val = h.val() == null ? null : ctx.state().datasets().get(h.val());
        if (val != null
                && !val.name().equals(d.name())
                && val.prediction() != null
                && val.prediction().cols() == target.cols())
            per.append(Calibration.compare(val.name(), val.prediction(), target, features, seed));
        per.setName("calibration against the training targets of '" + st.name() + "' (per "
                + (st.compositionTarget() ? "cell type" : "gene") + ")");
        Report r = new Report();
        Table summary = Calibration.summary(per);
        summary.setName("calibration summary against '" + st.name() + "'");
        r.table(summary);
        r.text("each predicted " + (st.compositionTarget() ? "share" : "gene") + " on a dataset is compared with the "
                + "targets of '" + st.name() + "' over all their cells: mean, SD ratio, energy distance (with what two "
                + "samples of the target itself give) and AUC; flagged when the mean moves more than "
                + Calibration.MAX_SHIFT_SD + " SD, the SD ratio leaves [" + Calibration.MIN_SD_RATIO + ", "
                + (int) Calibration.MAX_SD_RATIO + "], or the energy distance stands out of the target's own.");
        java.util.List<String> warnings = Calibration.warnings(per);
        for (String w : warnings) r.text("warning: " + w);
        if (warnings.isEmpty())
            r.text("no feature is flagged: the predictions sit on the scale of the training slide's targets.");
        int j = feature(o.feature(), features, per, d.name());
        r.figure(CompositionPlots.twoDistributions(
                features[j] + ": prediction on '" + d.name() + "' vs the targets of '" + st.name() + "'",
                features[j],
                "prediction on " + d.name(),
                pred.column(j),
                "target of " + st.name(),
                target.column(j)));
        r.table(per);
        return r;
    }

    /** The column to plot: the one named, else the one whose mean moved most on {@code dataset}. */
    private static int feature(String name, String[] features, Table per, String dataset) {
        if (name != null) {
            for (int j = 0; j < features.length; j++) if (features[j].equalsIgnoreCase(name)) return j;
            throw new ScxmException("'" + name + "' is not a predicted gene or cell type"
                    + Names.didYouMean(name, Arrays.asList(features)) + "; the columns are "
                    + String.join(", ", preview(features)) + ".");
        }
        int best = 0;
        double most = -1;
        for (int row = 0; row < per.rowCount(); row++) {
            if (!per.stringColumn("dataset").get(row).equals(dataset)) continue;
            double s = Math.abs(per.doubleColumn("shift_sd").getDouble(row));
            if (Double.isFinite(s) && s > most) {
                most = s;
                best = Arrays.asList(features)
                        .indexOf(per.stringColumn("feature").get(row));
            }
        }
        return Math.max(best, 0);
    }

    private static java.util.List<String> preview(String[] f) {
        java.util.List<String> l = new java.util.ArrayList<>(Arrays.asList(f).subList(0, Math.min(12, f.length)));
        if (f.length > 12) l.add("...");
        return l;
    }
}
