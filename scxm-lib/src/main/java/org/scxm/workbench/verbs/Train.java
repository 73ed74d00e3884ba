package org.scxm.workbench.verbs;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.model.ActivationMemory;
import org.scxm.model.Predictor;
import org.scxm.model.ScxmModel;
import org.scxm.model.TrainConfig;
import org.scxm.model.Trainer;
import org.scxm.model.TrainingData;
import org.scxm.plot.LossPlots;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;
import org.scxm.workbench.Text;
import tech.tablesaw.api.Table;

/** The train verb: WGAN-GP training (paper eq. 5), a new run or the last one continued, with a collapse check. */
public final class Train {
    private Train() {}

    /**
     * WGAN-GP training (paper eq. 5). A new run starts from the model's initial weights; {@code resume}
     * continues the model's run (optimiser moments, sampler, step count) for the config's steps more.
     */
    public static Report run(Step ctx, Options.Train o) {
        ctx.threadReady();
        State.ModelEntry e = ctx.modelEntry(o.model());
        ctx.checkFits(e);
        DatasetState sc = ctx.harmonisedDataset(Role.SC), st = ctx.harmonisedDataset(Role.ST);
        st.requireTarget();
        requireTargetFits(e, st);
        RankValueEncoder enc = ctx.encoder(sc);
        TrainConfig cfg = o.config();
        checkCost(e, cfg, sc, st, enc);
        Report r = new Report();
        Trainer trainer;
        if (o.resume()) {
            if (e.run() == null)
                throw new ScxmException(
                        "model '" + e.name() + "' has no run to continue: train it first (without continue=true).");
            Trainer old = e.run().trainer();
            if (!old.config().withSteps(0).equals(cfg.withSteps(0)))
                throw new ScxmException("continue=true resumes a run with its own settings ("
                        + Text.settingsOf(old.config(), old.step())
                        + "); give only steps=, or start a new run without continue=true.");
            trainer = old;
            int from = trainer.step();
            trainer.extend(cfg.totalSteps(sc.nCells()));
            r.text("continued the run of '" + e.name() + "' from step " + from + " to "
                    + trainer.config().steps() + " (same optimiser state, sampler and settings).");
        } else {
            ScxmModel fresh = e.spec().build();
            ctx.publish(ctx.state().withModel(new State.ModelEntry(e.name(), e.spec(), fresh, null)));
            trainer = new Trainer(fresh, cfg);
            r.text("new run of '" + e.name() + "' from its initial weights ("
                    + (e.spec().pretrained() != null
                            ? "the pretrained folder " + e.spec().pretrained()
                            : "model seed " + e.spec().seed())
                    + "), training seed " + cfg.seed() + "; continue it later with `train continue=true steps=N`.");
        }
        TrainingData data = ctx.trainingData(sc, st, cfg);
        Table losses = trainer.train(data, ctx.progress());
        ctx.publish(ctx.state()
                .withModel(new State.ModelEntry(e.name(), e.spec(), trainer.model(), new State.Run(trainer))));
        r.figure(LossPlots.curves(losses, "training losses of '" + e.name() + "'"));
        int last = losses.rowCount() - 1;
        if (last >= 0)
            r.text(String.format(
                    Locale.ROOT,
                    "trained '%s' to step %d: critic %.3f, gp %.3f, st %.4f, sc %.4f at the last step",
                    e.name(),
                    trainer.step(),
                    losses.doubleColumn("critic").getDouble(last),
                    losses.doubleColumn("gp").getDouble(last),
                    losses.doubleColumn("st").getDouble(last),
                    losses.doubleColumn("sc").getDouble(last)));
        if (trainer.config().ema() > 0 && last >= 0)
            r.text(String.format(
                    Locale.ROOT,
                    "'%s' now holds the moving average of its generator's weights (ema=%s, about the last %d steps); predict and save use it, and continue=true trains on from the last step's own weights.",
                    e.name(),
                    Text.plain(trainer.config().ema()),
                    Math.round(1 / (1 - trainer.config().ema()))));
        if (trainer.stoppedEarly() != null) r.text(trainer.stoppedEarly()); // the good steps are kept, not rolled back
        else if (trainer.skippedSteps() > 0)
            r.text(
                    trainer.skippedSteps()
                            + " step(s) had a NaN or infinite loss or gradient; they were skipped, not applied, and tried again on fresh batches.");
        String collapse = collapseOnTraining(trainer.model(), enc, sc.binarised(), st.target());
        if (collapse != null) r.text(collapse);
        return r;
    }

    /**
     * Resource guards before any work: a batch larger than either training slide is refused (batches are drawn with
     * replacement, so it would only repeat cells at a memory cost), and on the CPU a batch whose encoder activations
     * would not fit the free memory ({@link ActivationMemory}) is refused instead of the kernel ending the process.
     */
    static void checkCost(State.ModelEntry e, TrainConfig cfg, DatasetState sc, DatasetState st, RankValueEncoder enc) {
        int smaller = Math.min(sc.nCells(), st.nCells());
        if (cfg.batch() > smaller)
            throw new ScxmException("batch=" + cfg.batch() + " is more cells than the data has ('" + sc.name() + "' "
                    + sc.nCells() + ", '" + st.name() + "' " + st.nCells() + " cells); give batch=" + smaller
                    + " or less (nothing was run).");
        if (e.model().manager().getDevice().isGpu())
            return; // a GPU out of memory is an exception, not a killed process
        ActivationMemory.check(
                "train batch=" + cfg.batch() + (cfg.lambdaPair() > 0 ? " with lambda_pair (two encoder passes)" : ""),
                e.spec().config().encoder(),
                cfg.batch() * (cfg.lambdaPair() > 0 ? 2 : 1),
                ActivationMemory.longestTokens(enc),
                true,
                "max_length (tokenize), hidden or layers (model)");
    }

    /** A model predicts the kind and width of target the training slide now holds, or one sentence says to rebuild it. */
    static void requireTargetFits(State.ModelEntry e, DatasetState st) {
        org.scxm.model.ScxmConfig c = e.spec().config();
        boolean comp = st.compositionTarget();
        if (c.composition() != comp || c.outputs() != st.target().cols())
            throw new ScxmException("model '" + e.name() + "' predicts "
                    + (c.composition()
                            ? "a composition over " + c.outputs() + " cell types"
                            : c.outputs() + " bulked genes")
                    + " but the training target of '" + st.name() + "' is "
                    + (comp
                            ? "a composition over " + st.target().cols() + " cell types"
                            : "bulked expression of " + st.target().cols() + " genes")
                    + "; run `model " + e.name() + "` again after `bulk`.");
    }

    /** One sentence when the generator's output on (up to 512) scRNA cells has a per-gene spread far below the target's, else null. */
    private static String collapseOnTraining(
            ScxmModel model, RankValueEncoder enc, DenseMatrix scPanel, DenseMatrix stTarget) {
        int[] cells = IntStream.range(0, Math.min(scPanel.rows(), 512)).toArray();
        DenseMatrix p = Predictor.predict(model, enc.batches(cells, 64), scPanel, cells.length, false, Progress.NONE)
                .bulked();
        double[] ratio = new double[p.cols()];
        for (int j = 0; j < ratio.length; j++) {
            double t = org.scxm.eval.Evaluation.sd(stTarget.column(j));
            ratio[j] = t > 0 ? org.scxm.eval.Evaluation.sd(p.column(j)) / t : Double.NaN;
        }
        double[] v = Arrays.stream(ratio).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) return null;
        double med = org.scxm.eval.Evaluation.quantile(v, 0.5);
        if (med >= org.scxm.eval.Evaluation.COLLAPSED_SPREAD) return null;
        return String.format(
                Locale.ROOT,
                "warning: the prediction has collapsed: on %d scRNA cells its per-gene spread is %.2g of the training target's at the "
                        + "median gene (a near-constant value per gene); evaluations of this run measure noise. Train longer or check the losses.",
                cells.length,
                med);
    }
}
