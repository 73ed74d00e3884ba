package org.scxm.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.scxm.Progress;
import org.scxm.tokenize.TokenBatch;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Adversarial training of SCXM (paper eq. 5), with the terms of {@link Objective}: the critic minimises
 * L_WGAN + λ_GP·L_GP; the generator (encoder, head) and decoder minimise λ_adv·(−E[D(G_E(x))]) +
 * λ_ST·L_ST + λ_SC·L_SC. One Trainer holds the optimiser state and RNG, so
 * training can stop (cancel) and continue, and a checkpoint captures everything to resume exactly.
 */
public final class Trainer {
    static final double MAX_GRAD_NORM = 5.0;
    /** Non-finite steps in a row (each on fresh batches) after which training stops rather than skips. */
    static final int MAX_NON_FINITE_IN_A_ROW = 5;

    private final ScxmModel model;
    private TrainConfig cfg;
    private final Adam encOpt, headOpt, decOpt, criticOpt;
    /** The generator's weight average, or null without {@code ema}. */
    private final GeneratorAverage average;

    private Random rng;
    private int step;
    private int warmup;
    private final Table losses;
    private String stoppedEarly;
    private int skipped;

    /** A loss or gradient that became NaN or infinite, noticed before any weight was updated with it. */
    private static final class Diverged extends RuntimeException {
        final String where;

        Diverged(String what, String where) {
            super(what, null, false, false);
            this.where = where;
        }
    }

    /** Names the first non-finite loss term or parameter gradient, for the stop message (only computed on divergence). */
    private static String firstNonFinite(String[] lossNames, double[] losses, Adam... opts) {
        for (int k = 0; k < losses.length; k++) if (!Double.isFinite(losses[k])) return "the " + lossNames[k] + " loss";
        java.util.List<String> bad = new java.util.ArrayList<>();
        int all = 0;
        for (Adam o : opts) {
            bad.addAll(o.nonFiniteGradients());
            all += o.size();
        }
        return bad.isEmpty() ? null : "the gradients of " + bad.size() + " of " + all + " tensors, first " + bad.get(0);
    }

    public Trainer(ScxmModel model, TrainConfig cfg) {
        this.model = model;
        this.cfg = cfg;
        this.encOpt = new Adam(model.encoder().weights(), cfg.lr(), 0.5, 0.9);
        this.headOpt = new Adam(model.headWeights(), cfg.lr(), 0.5, 0.9);
        this.decOpt = new Adam(model.decoderWeights(), cfg.lr(), 0.5, 0.9);
        this.criticOpt = new Adam(model.criticWeights(), cfg.lrCritic(), 0.5, 0.9);
        this.rng = new Random(cfg.seed());
        this.average = cfg.ema() > 0 ? new GeneratorAverage(model, cfg.ema()) : null;
        this.losses = Table.create(
                "training losses",
                IntColumn.create("step"),
                DoubleColumn.create("critic"),
                DoubleColumn.create("gp"),
                DoubleColumn.create("st"),
                DoubleColumn.create("sc"),
                DoubleColumn.create("generator"),
                DoubleColumn.create("pair")); // L_pair, NaN without it
    }

    public ScxmModel model() {
        return model;
    }

    public TrainConfig config() {
        return cfg;
    }

    /**
     * Allows {@code moreSteps} generator steps beyond those done, keeping optimiser moments, the
     * sampler's state and the loss history: the way to continue a run (a new Trainer would restart Adam).
     */
    public void extend(int moreSteps) {
        if (moreSteps < 1)
            throw new org.scxm.ScxmException("continue training by at least one step (got " + moreSteps + ").");
        cfg = cfg.withSteps(step + moreSteps);
    }
    /** Generator steps done so far. */
    public int step() {
        return step;
    }
    /** One row per generator step: critic = the critic's Wasserstein estimate E[D(real)] − E[D(fake)]. */
    public Table losses() {
        return losses;
    }
    /** Why the last {@link #train} ended before its last step (a loss or gradient became non-finite), or null. */
    public String stoppedEarly() {
        return stoppedEarly;
    }
    /** Steps the last {@link #train} skipped because a loss or gradient was NaN or infinite. */
    public int skippedSteps() {
        return skipped;
    }

    /**
     * Trains until {@code cfg.totalSteps} generator steps are done (continuing from {@link #step()}).
     * Progress is reported after each whole step; a cancel stops there, leaving the model usable. A step
     * whose loss or gradient is NaN or infinite is not applied and is tried again on fresh batches, as
     * mixed-precision loss scaling skips overflowing steps ({@link #skippedSteps}); after
     * {@value #MAX_NON_FINITE_IN_A_ROW} such steps in a row training stops with the weights of the last good
     * step, and {@link #stoppedEarly} says so. With {@code ema}, the model trains on its raw weights and
     * holds their average when this returns, also after a cancel.
     */
    public Table train(TrainingData data, Progress progress) {
        if (average != null) average.showRaw();
        try {
            return trainRaw(data, progress);
        } finally {
            if (average != null) average.showAverage();
        }
    }

    private Table trainRaw(TrainingData data, Progress progress) {
        stoppedEarly = null;
        skipped = 0;
        int inARow = 0;
        int total = cfg.totalSteps(data.scCells());
        long t0 = System.nanoTime();
        int startStep = step;
        while (warmup < cfg.decoderWarmup()) {
            warmupStep(data);
            warmup++;
            progress.update(0, "decoder warm-up " + warmup + "/" + cfg.decoderWarmup());
        }
        while (step < total) {
            Losses l;
            try {
                l = step(data);
            } catch (Diverged d) {
                skipped++;
                if (++inARow < MAX_NON_FINITE_IN_A_ROW) continue;
                stoppedEarly = String.format(
                        java.util.Locale.ROOT,
                        "training stopped at step %d of %d: %s became NaN or infinite %d times in a row, on "
                                + "fresh batches each time, so none of them was applied and the model keeps the weights of step %d. Lower lr (%s) or "
                                + "lr_critic (%s), or raise lambda_gp, to train further.",
                        step + 1,
                        total,
                        d.getMessage(),
                        inARow,
                        step,
                        plain(cfg.lr()),
                        plain(cfg.lrCritic()));
                if (d.where != null) stoppedEarly += " (Non-finite: " + d.where + ".)";
                break;
            }
            inARow = 0;
            step++;
            if (average != null) average.update();
            losses.intColumn("step").append(step);
            losses.doubleColumn("critic").append(l.critic());
            losses.doubleColumn("gp").append(l.gp());
            losses.doubleColumn("st").append(l.st());
            losses.doubleColumn("sc").append(l.sc());
            losses.doubleColumn("generator").append(l.generator());
            losses.doubleColumn("pair").append(l.pair());
            double perStep = (System.nanoTime() - t0) / 1e9 / (step - startStep);
            progress.update(
                    step / (double) total,
                    String.format(
                            "step %d/%d  critic %.3f  gp %.3f  st %.3f  sc %.3f%s  ETA %s",
                            step,
                            total,
                            l.critic(),
                            l.gp(),
                            l.st(),
                            l.sc(),
                            Double.isNaN(l.pair()) ? "" : String.format("  pair %.3f", l.pair()),
                            eta(perStep * (total - step))));
        }
        return losses;
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
    }

    /**
     * The losses of one step, the columns of {@link #losses()}: the critic's Wasserstein estimate D(real) - D(fake),
     * its gradient penalty, L_ST, L_SC, the generator's adversarial loss and L_pair (NaN without lambda_pair).
     */
    public record Losses(double critic, double gp, double st, double sc, double generator, double pair) {}

    /** One generator step preceded by criticSteps critic steps. */
    public Losses step(TrainingData data) {
        NDManager m = model.manager();
        double wasserstein = 0, gp = 0;
        // The critic steps share one generated batch (fresh real batches and interpolation weights each
        // step): one encoder pass instead of criticSteps, the dominant cost on CPU.
        float[] fakeValues;
        try (NDScope scope = new NDScope()) {
            fakeValues = model.encode(data.scTokens().apply(sample(data.scCells())), data.scPanel())
                    .toFloatArray(); // no collector: a constant
        }
        for (int c = 0; c < cfg.criticSteps(); c++) {
            int[] st = sample(data.stCells());
            float[] eps = new float[cfg.batch()];
            for (int i = 0; i < eps.length; i++) eps[i] = rng.nextFloat();
            try (NDScope scope = new NDScope()) {
                NDArray fake = Tensors.of(m, fakeValues, new Shape(cfg.batch(), data.outputs()));
                NDArray real = Tensors.rows(m, data.stTarget(), st);
                criticOpt.zeroGrad();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray dReal = model.critic().forward(real).mean();
                    NDArray dFake = model.critic().forward(fake).mean();
                    NDArray penalty = Objective.gradientPenalty(
                            model.critic(), real, fake, Tensors.of(m, eps, new Shape(eps.length, 1)));
                    NDArray loss = Objective.criticLoss(dReal, dFake).add(penalty.mul((float) cfg.lambdaGp()));
                    gc.backward(loss);
                    wasserstein = dReal.getFloat() - dFake.getFloat();
                    gp = penalty.getFloat();
                }
            }
            if (!Double.isFinite(wasserstein) || !Double.isFinite(gp) || !Double.isFinite(criticOpt.gradNormSquared()))
                throw new Diverged(
                        "the critic's loss or gradient",
                        firstNonFinite(
                                new String[] {"Wasserstein", "gradient penalty"},
                                new double[] {wasserstein, gp},
                                criticOpt));
            criticOpt.update();
        }
        int[] sc = sample(data.scCells());
        int[] st = sample(data.stCells());
        TokenBatch tokens = data.scTokens().apply(sc);
        double stLoss, scLoss, gen, pairLoss = Double.NaN;
        boolean pairs = cfg.lambdaPair() > 0;
        if (pairs && data.stTokens() == null)
            throw new org.scxm.ScxmException(
                    "lambda_pair reads the spatial slide's cells through the encoder: tokenize the spatial slide too.");
        TokenBatch stTokens = pairs ? data.stTokens().apply(st) : null;
        encOpt.zeroGrad();
        headOpt.zeroGrad();
        decOpt.zeroGrad();
        try (NDScope scope = new NDScope()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fake = model.encode(tokens, data.scPanel());
                NDArray adv = Objective.generatorLoss(model.critic(), fake);
                NDArray st1 = Objective.reconstruction(
                        model.decoder(), Tensors.rows(m, data.stTarget(), st), Tensors.rows(m, data.stDecoded(), st));
                NDArray sc1 = data.scListed() == null
                        ? Objective.consistency(model.decoder(), fake, Tensors.rows(m, data.scDecoded(), sc))
                        : Objective.consistency(
                                model.decoder(),
                                fake,
                                Tensors.rows(m, data.scDecoded(), sc),
                                Tensors.of(m, listed(data.scListed(), sc), new Shape(sc.length)));
                NDArray loss = adv.mul((float) cfg.lambdaAdv())
                        .add(st1.mul((float) cfg.lambdaSt()))
                        .add(sc1.mul((float) cfg.lambdaSc()));
                NDArray pair1 = pairs
                        ? Objective.pair(model.encode(stTokens, data.stPanel()), Tensors.rows(m, data.stTarget(), st))
                        : null;
                if (pair1 != null) loss = loss.add(pair1.mul((float) cfg.lambdaPair()));
                gc.backward(loss);
                stLoss = st1.getFloat();
                scLoss = sc1.getFloat();
                gen = adv.getFloat();
                if (pair1 != null) pairLoss = pair1.getFloat();
            }
        }
        // Clip the generator's global gradient norm: a from-scratch transformer trained adversarially can
        // spike; clipping at a generous norm leaves ordinary steps untouched.
        double norm = Math.sqrt(encOpt.gradNormSquared() + headOpt.gradNormSquared() + decOpt.gradNormSquared());
        if (!Double.isFinite(norm)
                || !Double.isFinite(stLoss)
                || !Double.isFinite(scLoss)
                || !Double.isFinite(gen)
                || (pairs && !Double.isFinite(pairLoss)))
            throw new Diverged(
                    "the generator's loss or gradient",
                    firstNonFinite(
                            new String[] {"adversarial", "ST", "SC", "pair"},
                            new double[] {gen, stLoss, scLoss, pairs ? pairLoss : 0},
                            encOpt,
                            headOpt,
                            decOpt));
        double scale = norm > MAX_GRAD_NORM ? MAX_GRAD_NORM / norm : 1.0;
        encOpt.update(scale);
        headOpt.update(scale);
        decOpt.update(scale);
        return new Losses(wasserstein, gp, stLoss, scLoss, gen, pairLoss);
    }

    /** Decoder-only step: L_ST on a spatial batch. */
    void warmupStep(TrainingData data) {
        NDManager m = model.manager();
        int[] st = sample(data.stCells());
        decOpt.zeroGrad();
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = Objective.reconstruction(
                    model.decoder(), Tensors.rows(m, data.stTarget(), st), Tensors.rows(m, data.stDecoded(), st));
            gc.backward(loss);
        }
        decOpt.update();
    }

    /** 1 for a sampled scRNA cell that takes part in L_SC, 0 for one without a listed type. */
    private static float[] listed(boolean[] listed, int[] cells) {
        float[] w = new float[cells.length];
        for (int i = 0; i < w.length; i++) w[i] = listed[cells[i]] ? 1f : 0f;
        return w;
    }

    private int[] sample(int n) {
        int[] s = new int[cfg.batch()];
        for (int i = 0; i < s.length; i++) s[i] = rng.nextInt(n);
        return s;
    }

    // --- checkpoint support ---
    Adam[] optimisers() {
        return new Adam[] {encOpt, headOpt, decOpt, criticOpt};
    }

    /** The generator's weight average, or null without {@code ema}. */
    GeneratorAverage average() {
        return average;
    }

    Random rng() {
        return rng;
    }

    int warmupDone() {
        return warmup;
    }

    void restore(int step, int warmup, Random rng, Table previousLosses) {
        this.step = step;
        this.warmup = warmup;
        this.rng = rng;
        losses.clear();
        losses.append(previousLosses);
    }
}
