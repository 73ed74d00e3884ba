package org.scxm.baseline;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.model.Adam;
import org.scxm.model.Mlp;
import org.scxm.model.Tensors;
import org.scxm.model.Torch;
import org.scxm.model.Weights;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * An scACT-style translator adapted as the SCXM paper did (section 4.4): the ATAC branch is replaced by
 * the spatial slide's bulked panel z. Two stages, as in scACT:
 * <ol>
 *   <li>one autoencoder per modality, pre-trained alone — scRNA (log1p CP10k of the harmonised genes,
 *   in → 640 → 320 → 20, squared error) and spatial (z, panel → 64 → 32 → 20, binary cross-entropy);</li>
 *   <li>cross maps between the two 20-d latent spaces, each a gated mixture of {@code K} affine maps
 *   (gate: softmax of a small MLP), trained with the autoencoders frozen: adversarial alignment against
 *   discriminators with one head per cell type (the head of each cell's annotated type is used), L1
 *   latent cycle consistency (u → F → G ≈ u and v → G → F ≈ v) and reconstruction of the cycled
 *   features through the frozen decoders. Discriminators update every {@code dEvery} steps.</li>
 * </ol>
 * Translation: scRNA encoder, F, spatial decoder. No highly variable gene selection. Our own
 * implementation from the published description (the original has no licence; nothing is ported).
 * Simplifications: ReLU instead of BatchNorm + PReLU, one gated layer per cross map.
 */
public final class ScAct implements AutoCloseable {

    /**
     * @param aeSteps  autoencoder pre-training steps (each modality)
     * @param steps    cross-map steps
     * @param latent   latent size (scACT: 20); @param maps affine maps per cross map (scACT: 9)
     * @param dEvery   discriminator update period in steps (scACT: 5)
     */
    public record Config(
            int aeSteps,
            int steps,
            int batch,
            double lr,
            int latent,
            int maps,
            int dEvery,
            double lambdaCycle,
            double lambdaAdv,
            long seed) {
        public static Config defaults() {
            return new Config(3000, 3000, 128, 1e-3, 20, 9, 5, 1.0, 1.0, 0);
        } // 400 + 600 steps left the demo's autoencoders untrained (median -0.06; 3000 + 3000: 0.14)
    }

    private final Config cfg;
    private final NDManager manager;
    private final Weights aeW, crossW, discW;
    private final Mlp scEnc, scDec, stEnc, stDec, fGate, fMaps, gGate, gMaps, dSt, dSc;
    private final String[] labels;
    private final Table losses = Table.create(
            "scACT losses",
            StringColumn.create("stage"),
            IntColumn.create("step"),
            DoubleColumn.create("sc_recon"),
            DoubleColumn.create("st_bce"),
            DoubleColumn.create("cycle"),
            DoubleColumn.create("adversarial"),
            DoubleColumn.create("discriminator"));

    /** @param labels the cell types shared by both modalities (one discriminator head each); empty: one head */
    /** On the default device ({@link Torch#device} "auto"). */
    public ScAct(int scGenes, int panel, String[] labels, Config cfg) {
        this(scGenes, panel, labels, cfg, Torch.device("auto"));
    }

    /** Every weight, optimiser state and minibatch of this baseline lives on {@code device}. */
    public ScAct(int scGenes, int panel, String[] labels, Config cfg, Device device) {
        this.cfg = cfg;
        this.manager = NDManager.newBaseManager(device);
        this.aeW = new Weights(manager);
        this.crossW = new Weights(manager);
        this.discW = new Weights(manager);
        this.labels = labels.length == 0 ? new String[] {"all"} : labels.clone();
        Random r = new Random(cfg.seed());
        int l = cfg.latent(), k = cfg.maps(), heads = this.labels.length;
        scEnc = new Mlp(aeW, "sc_encoder", new int[] {scGenes, 640, 320, l}, Mlp.Hidden.RELU, false, r);
        scDec = new Mlp(aeW, "sc_decoder", new int[] {l, 320, 640, scGenes}, Mlp.Hidden.RELU, false, r);
        stEnc = new Mlp(aeW, "st_encoder", new int[] {panel, 64, 32, l}, Mlp.Hidden.RELU, false, r);
        stDec = new Mlp(aeW, "st_decoder", new int[] {l, 32, 64, panel}, Mlp.Hidden.RELU, false, r);
        fGate = new Mlp(crossW, "f_gate", new int[] {l, 64, k}, Mlp.Hidden.RELU, false, r);
        fMaps = new Mlp(crossW, "f_maps", new int[] {l, k * l}, Mlp.Hidden.RELU, false, r);
        gGate = new Mlp(crossW, "g_gate", new int[] {l, 64, k}, Mlp.Hidden.RELU, false, r);
        gMaps = new Mlp(crossW, "g_maps", new int[] {l, k * l}, Mlp.Hidden.RELU, false, r);
        dSt = new Mlp(discW, "d_st", new int[] {l, 20, 10, heads}, Mlp.Hidden.LEAKY_RELU, false, r);
        dSc = new Mlp(discW, "d_sc", new int[] {l, 20, 10, heads}, Mlp.Hidden.LEAKY_RELU, false, r);
    }

    public Table losses() {
        return losses;
    }

    public Device device() {
        return manager.getDevice();
    }
    /** Every parameter of the autoencoders, cross maps and discriminators, by name. */
    public java.util.Map<String, NDArray> parameters() {
        java.util.Map<String, NDArray> all = new java.util.LinkedHashMap<>(aeW.all());
        all.putAll(crossW.all());
        all.putAll(discW.all());
        return all;
    }

    /**
     * @param scExpr   scRNA cells x genes, log1p CP10k
     * @param scLabel  each scRNA cell's index into the labels (or 0 with one head)
     * @param stTarget spatial cells' bulked panel z in [0, 1]
     * @param stLabel  each spatial cell's index into the labels
     */
    public Table train(DenseMatrix scExpr, int[] scLabel, DenseMatrix stTarget, int[] stLabel, Progress progress) {
        if (scLabel.length != scExpr.rows() || stLabel.length != stTarget.rows())
            throw new ScxmException("scACT needs one label per cell (" + scLabel.length + " for " + scExpr.rows()
                    + " scRNA cells, " + stLabel.length + " for " + stTarget.rows() + " spatial cells).");
        Random r = new Random(cfg.seed() + 1);
        int b = cfg.batch(), total = 2 * cfg.aeSteps() + cfg.steps();
        Adam aeOpt = new Adam(aeW, cfg.lr(), 0.9, 0.999);
        for (int step = 1; step <= cfg.aeSteps(); step++) { // stage 1: each autoencoder alone
            int[] sc = Batches.sample(r, scExpr.rows(), b), st = Batches.sample(r, stTarget.rows(), b);
            double recon, bce;
            aeOpt.zeroGrad();
            try (NDScope scope = new NDScope();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = Tensors.rows(manager, scExpr, sc), z = Tensors.rows(manager, stTarget, st);
                NDArray rec = scDec.forward(scEnc.forward(x)).sub(x).square().mean();
                NDArray bceLoss = ScConfluence.bce(stDec.forward(stEnc.forward(z)), z);
                gc.backward(rec.add(bceLoss));
                recon = rec.getFloat();
                bce = bceLoss.getFloat();
            }
            aeOpt.update();
            log("autoencoder", step, recon, bce, Double.NaN, Double.NaN, Double.NaN);
            progress.update(
                    step / (double) total,
                    String.format("scACT autoencoders %d/%d  recon %.3f  bce %.3f", step, cfg.aeSteps(), recon, bce));
        }
        // stage 2: cross maps against cell-type-headed discriminators, autoencoders frozen (detached weights)
        Adam crossOpt = new Adam(crossW, cfg.lr(), 0.5, 0.999), discOpt = new Adam(discW, cfg.lr(), 0.5, 0.999);
        double disc = Double.NaN; // the discriminators' last loss (they update every dEvery steps)
        for (int step = 1; step <= cfg.steps(); step++) {
            int[] sc = Batches.sample(r, scExpr.rows(), b), st = Batches.sample(r, stTarget.rows(), b);
            if (step % cfg.dEvery() == 1 || cfg.dEvery() == 1) {
                discOpt.zeroGrad();
                try (NDScope scope = new NDScope();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray u = scEnc.forward(Tensors.rows(manager, scExpr, sc), true)
                            .stopGradient();
                    NDArray v = stEnc.forward(Tensors.rows(manager, stTarget, st), true)
                            .stopGradient();
                    NDArray su = oneHot(scLabel, sc), sv = oneHot(stLabel, st);
                    NDArray fake = cross(fGate, fMaps, u).stopGradient(),
                            fakeSc = cross(gGate, gMaps, v).stopGradient();
                    NDArray loss = ScConfluence.bce(head(dSt, v, sv), ones(b))
                            .add(ScConfluence.bce(head(dSt, fake, su), zeros(b)))
                            .add(ScConfluence.bce(head(dSc, u, su), ones(b)))
                            .add(ScConfluence.bce(head(dSc, fakeSc, sv), zeros(b)));
                    gc.backward(loss);
                    disc = loss.getFloat();
                }
                discOpt.update();
            }
            double cycle, adv, recon, bce;
            crossOpt.zeroGrad();
            try (NDScope scope = new NDScope();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = Tensors.rows(manager, scExpr, sc), z = Tensors.rows(manager, stTarget, st);
                NDArray u = scEnc.forward(x, true).stopGradient(),
                        v = stEnc.forward(z, true).stopGradient();
                NDArray su = oneHot(scLabel, sc), sv = oneHot(stLabel, st);
                NDArray uv = cross(fGate, fMaps, u), vu = cross(gGate, gMaps, v);
                NDArray uvu = cross(gGate, gMaps, uv), vuv = cross(fGate, fMaps, vu);
                NDArray cyc = uvu.sub(u).abs().mean().add(vuv.sub(v).abs().mean());
                NDArray rec = scDec.forward(uvu, true).sub(x).square().mean();
                NDArray bceLoss = ScConfluence.bce(stDec.forward(vuv, true), z);
                // the generators want their translations taken for real by the head of the cell's type
                NDArray advLoss = ScConfluence.bce(head(dSt, uv, su, true), ones(b))
                        .add(ScConfluence.bce(head(dSc, vu, sv, true), ones(b)));
                NDArray loss = cyc.add(rec)
                        .add(bceLoss)
                        .mul((float) cfg.lambdaCycle())
                        .add(advLoss.mul((float) cfg.lambdaAdv()));
                gc.backward(loss);
                cycle = cyc.getFloat();
                adv = advLoss.getFloat();
                recon = rec.getFloat();
                bce = bceLoss.getFloat();
            }
            crossOpt.update();
            log("cross maps", step, recon, bce, cycle, adv, disc);
            progress.update(
                    (cfg.aeSteps() + step) / (double) total,
                    String.format(
                            "scACT cross maps %d/%d  cycle %.3f  adversarial %.3f", step, cfg.steps(), cycle, adv));
        }
        return losses;
    }

    /** Bulked panel predicted for cells (log1p CP10k rows): scRNA encoder, F, spatial decoder, sigmoid. */
    public DenseMatrix translate(DenseMatrix expr) {
        return Batches.map(
                manager, expr, x -> Activation.sigmoid(stDec.forward(cross(fGate, fMaps, scEnc.forward(x)))));
    }

    /** The latent cycle u → F → G for cells (log1p CP10k rows), next to u: rows [u | G(F(u))]. */
    public DenseMatrix scCycle(DenseMatrix expr) {
        return Batches.map(manager, expr, x -> {
            NDArray u = scEnc.forward(x);
            return u.concat(cross(gGate, gMaps, cross(fGate, fMaps, u)), 1);
        });
    }

    /** Gated mixture of affine maps: Σ_k softmax(gate(u))_k · (A_k u + b_k). */
    private NDArray cross(Mlp gate, Mlp maps, NDArray u) {
        long n = u.getShape().get(0);
        int l = cfg.latent(), k = cfg.maps();
        NDArray g = gate.forward(u).softmax(1).reshape(n, k, 1);
        return maps.forward(u).reshape(n, k, l).mul(g).sum(new int[] {1});
    }

    private static NDArray head(Mlp d, NDArray latent, NDArray oneHot) {
        return head(d, latent, oneHot, false);
    }

    /** The logit of each cell's own cell-type head. */
    private static NDArray head(Mlp d, NDArray latent, NDArray oneHot, boolean detached) {
        return d.forward(latent, detached).mul(oneHot).sum(new int[] {1});
    }

    private NDArray oneHot(int[] label, int[] rows) {
        int h = labels.length;
        float[] v = new float[rows.length * h];
        for (int i = 0; i < rows.length; i++) v[i * h + label[rows[i]]] = 1f;
        return Tensors.of(manager, v, new Shape(rows.length, h));
    }

    private NDArray ones(int n) {
        return manager.ones(new Shape(n));
    }

    private NDArray zeros(int n) {
        return manager.zeros(new Shape(n));
    }

    private void log(String stage, int step, double recon, double bce, double cycle, double adv, double disc) {
        losses.stringColumn("stage").append(stage);
        losses.intColumn("step").append(step);
        losses.doubleColumn("sc_recon").append(recon);
        losses.doubleColumn("st_bce").append(bce);
        losses.doubleColumn("cycle").append(cycle);
        losses.doubleColumn("adversarial").append(adv);
        losses.doubleColumn("discriminator").append(disc);
    }

    @Override
    public void close() {
        manager.close();
    }
}
