package org.scxm.workbench.verbs;

import ai.djl.Device;
import org.scxm.baseline.Method;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import org.scxm.model.Torch;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.Step;
import tech.tablesaw.api.Table;

/**
 * The baseline verb: one core for every comparison {@link Method}. It hands the method exactly SCXM's
 * data (log1p CP10k expression, the panels, the spatial slide's bulked target, cell types), predicts the
 * harmonised validation slide (and the scRNA cells where the method asks), stores the predictions for
 * `evaluate` and shows the losses.
 */
public final class Baseline {
    private Baseline() {}

    public static Report run(Step ctx, Options.Baseline o) {
        ctx.threadReady();
        Device device = ctx.device(o.device());
        Method method = o.method();
        DatasetState sc = ctx.harmonisedDataset(Role.SC),
                st = ctx.harmonisedDataset(Role.ST),
                val = ctx.harmonisedDataset(Role.VAL);
        DenseMatrix stTarget = st.requireTarget();
        DenseMatrix scExpr = Normalise.log1pCp10k(sc.modality().counts()).toDense();
        Method.Data data = new Method.Data(
                sc.name(),
                scExpr,
                sc.panelColumns(),
                panel(sc),
                sc.cellTypes(),
                st.name(),
                panel(st),
                panelCounts(st),
                stTarget,
                st.cellTypes());
        Report r = new Report();
        try (Method.Fit fit = method.fit(data, device, ctx.progress())) {
            int done = 0;
            if (val != null) {
                DenseMatrix valExpr =
                        Normalise.log1pCp10k(val.modality().counts()).toDense();
                ctx.publish(ctx.state()
                        .withBaseline(
                                val.name(),
                                method.name(),
                                fit.predict()
                                        .apply(new Method.Cells(
                                                val.name(), valExpr, panelCounts(val), val.cellTypes()))));
                done++;
            }
            if (method.predictsCells())
                ctx.publish(ctx.state()
                        .withBaseline(
                                sc.name(),
                                method.name(),
                                fit.predict()
                                        .apply(new Method.Cells(sc.name(), scExpr, panelCounts(sc), sc.cellTypes()))));
            fit.notes().forEach(r::text); // after predicting: a method that trains per set of cells notes each
            int every = Math.max(1, fit.steps() / 20);
            Table losses = fit.losses();
            Table shown = losses.where(losses.intColumn("step").remainder(every).isEqualTo(0));
            shown.setName(losses.name() + " (every " + every + " steps)");
            r.table(shown);
            r.text("trained " + method.name() + " for " + fit.steps() + " steps on " + Torch.describe(device)
                    + " and predicted " + done + " validation slide(s)"
                    + (method.predictsCells() ? " and the scRNA cells of '" + sc.name() + "'" : "")
                    + "; run `evaluate` to compare with SCXM.");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    /** A dataset's raw counts on the panel genes, in the panel's order. */
    private static SparseMatrix panelCounts(DatasetState d) {
        return d.modality().counts().selectCols(d.panelColumns());
    }

    /** A dataset's panel genes, log1p CP10k. */
    private static DenseMatrix panel(DatasetState d) {
        return Normalise.log1pCp10k(d.modality().counts().selectCols(d.panelColumns()))
                .toDense();
    }
}
