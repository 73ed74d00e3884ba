package org.scxm.workbench.verbs;

import ai.djl.Device;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.scxm.baseline.ScAct;
import org.scxm.baseline.ScConfluence;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.model.Torch;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.Step;
import tech.tablesaw.api.Table;

/** The baseline verb: a comparison method trained on exactly SCXM's data, predicting the validation slide. */
public final class Baseline {
    private Baseline() {}

    // ------------------------------------------------------------------ baselines

    /** Trains a comparison method on exactly SCXM's data and predicts the harmonised validation slide. */
    public static Report run(Step ctx, Options.Baseline o) {
        ctx.threadReady();
        Device device = ctx.device(o.device());
        DatasetState sc = ctx.harmonisedDataset(Role.SC),
                st = ctx.harmonisedDataset(Role.ST),
                val = ctx.harmonisedDataset(Role.VAL);
        DenseMatrix stTarget = st.requireTarget();
        DenseMatrix scExpr = Normalise.log1pCp10k(sc.modality().counts()).toDense();
        Report r = new Report();
        java.util.function.Function<DenseMatrix, DenseMatrix> translate;
        Table losses;
        int steps;
        AutoCloseable net;
        if (o.scconfluence() != null) {
            ScConfluence.Config cfg = o.scconfluence();
            DenseMatrix scPanel = Normalise.log1pCp10k(sc.modality().counts().selectCols(sc.panelColumns()))
                    .toDense();
            DenseMatrix stPanel = Normalise.log1pCp10k(st.modality().counts().selectCols(st.panelColumns()))
                    .toDense();
            ScConfluence m = new ScConfluence(scExpr.cols(), stTarget.cols(), cfg, device);
            net = m;
            losses = m.train(scExpr, scPanel, stTarget, stPanel, ctx.progress());
            steps = cfg.steps();
            translate = m::translate;
        } else {
            ScAct.Config cfg = o.scact();
            String[] scTypes = sc.cellTypes(), stTypes = st.cellTypes();
            String[] labels;
            int[] scLabel, stLabel;
            if (scTypes == null
                    || stTypes == null) { // no annotation on one side: one discriminator head, as scACT without labels
                labels = new String[0];
                scLabel = new int[sc.nCells()];
                stLabel = new int[st.nCells()];
                r.text(
                        "note: " + (scTypes == null ? sc.name() : st.name())
                                + " has no cell types, so scACT's discriminators use one head for all cells (run `annotate` for cell-type-specific heads).");
            } else {
                Set<String> union = new TreeSet<>(Arrays.asList(scTypes));
                union.addAll(Arrays.asList(stTypes));
                labels = union.toArray(new String[0]);
                List<String> index = Arrays.asList(labels);
                scLabel = Arrays.stream(scTypes).mapToInt(index::indexOf).toArray();
                stLabel = Arrays.stream(stTypes).mapToInt(index::indexOf).toArray();
            }
            ScAct m = new ScAct(scExpr.cols(), stTarget.cols(), labels, cfg, device);
            net = m;
            losses = m.train(scExpr, scLabel, stTarget, stLabel, ctx.progress());
            steps = cfg.aeSteps() + cfg.steps();
            translate = m::translate;
        }
        try (AutoCloseable closing = net) {
            int done = 0;
            if (val != null) {
                ctx.publish(ctx.state()
                        .withBaseline(
                                val.name(),
                                o.method(),
                                translate.apply(
                                        Normalise.log1pCp10k(val.modality().counts())
                                                .toDense())));
                done++;
            }
            Table every = losses.where(
                    losses.intColumn("step").remainder(Math.max(1, steps / 20)).isEqualTo(0));
            every.setName(losses.name() + " (every " + Math.max(1, steps / 20) + " steps)");
            r.table(every);
            r.text("trained " + o.method() + " for " + steps + " steps on " + Torch.describe(device) + " and predicted "
                    + done + " validation slide(s); run `evaluate` to compare with SCXM.");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return r;
    }
}
