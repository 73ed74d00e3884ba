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
import org.scxm.data.DenseMatrix;
import org.scxm.model.Adam;
import org.scxm.model.Mlp;
import org.scxm.model.Tensors;
import org.scxm.model.Torch;
import org.scxm.model.Weights;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * An scConfluence-style baseline adapted as the SCXM paper did (section 4.4): one autoencoder per
 * modality with a shared latent space — scRNA (log1p CP10k of the harmonised genes, squared-error
 * reconstruction) and the spatial slide's bulked panel z (binary cross-entropy reconstruction) — aligned
 * per minibatch by an entropic unbalanced optimal-transport plan whose cost is the correlation distance
 * between the log-normalised shared spatial panel of the scRNA cells and of the spatial cells. The plan
 * is a constant weight (no gradient through Sinkhorn); the alignment loss is Σ P_ij ‖u_i − v_j‖.
 * Translation: scRNA encoder, then the spatial decoder. Our own implementation from the published
 * description (no code of the GPL original).
 */
public final class ScConfluence implements AutoCloseable {

    /**
     * @param latent latent size (scConfluence: 16); @param hidden width (64)
     * @param otWeight weight of the OT term: scConfluence recommends 0.005-0.1 (default 0.01, against
     *                 reconstruction losses summed over features). On the demo tissue with our per-feature
     *                 mean losses, 1.0 collapsed both latents (median Pearson 0.00), 0.1 gave 0.31, 0.01 0.16.
     */
    public record Config(
            int steps,
            int batch,
            double lr,
            int latent,
            int hidden,
            double otWeight,
            double eps,
            double rho,
            long seed) {
        public static Config defaults() {
            return new Config(3000, 128, 3e-3, 16, 64, 0.1, 0.05, 0.5, 0);
        }
    }

    private final Config cfg;
    private final NDManager manager;
    private final Weights scW, stW;
    private final Mlp scEnc, scDec, stEnc, stDec;
    private final Table losses = Table.create(
            "scConfluence losses",
            IntColumn.create("step"),
            DoubleColumn.create("sc_recon"),
            DoubleColumn.create("st_bce"),
            DoubleColumn.create("ot"));

    /** On the default device ({@link Torch#device} "auto"). */
    public ScConfluence(int scGenes, int panel, Config cfg) {
        this(scGenes, panel, cfg, Torch.device("auto"));
    }

    /** Every weight, optimiser state and minibatch of this baseline lives on {@code device}. */
    public ScConfluence(int scGenes, int panel, Config cfg, Device device) {
        this.cfg = cfg;
        this.manager = NDManager.newBaseManager(device);
        this.scW = new Weights(manager);
        this.stW = new Weights(manager);
        Random r = new Random(cfg.seed());
        int h = cfg.hidden(), l = cfg.latent();
        scEnc = new Mlp(scW, "sc_encoder", new int[] {scGenes, h, h, l}, Mlp.Hidden.RELU, false, r);
        scDec = new Mlp(scW, "sc_decoder", new int[] {l, h, scGenes}, Mlp.Hidden.RELU, false, r);
        stEnc = new Mlp(stW, "st_encoder", new int[] {panel, h, h, l}, Mlp.Hidden.RELU, false, r);
        stDec = new Mlp(stW, "st_decoder", new int[] {l, h, panel}, Mlp.Hidden.RELU, false, r);
    }

    public Table losses() {
        return losses;
    }

    public Device device() {
        return manager.getDevice();
    }
    /** Every parameter of the four networks, by name. */
    public java.util.Map<String, NDArray> parameters() {
        java.util.Map<String, NDArray> all = new java.util.LinkedHashMap<>(scW.all());
        all.putAll(stW.all());
        return all;
    }

    /**
     * @param scExpr   scRNA cells x genes, log1p CP10k (dense rows)
     * @param scPanel  scRNA cells' log-normalised spatial panel (for the OT cost)
     * @param stTarget spatial cells' bulked panel z in [0, 1]
     * @param stPanel  spatial cells' own log-normalised panel (for the OT cost)
     */
    public Table train(
            DenseMatrix scExpr, DenseMatrix scPanel, DenseMatrix stTarget, DenseMatrix stPanel, Progress progress) {
        Adam scOpt = new Adam(scW, cfg.lr(), 0.9, 0.999), stOpt = new Adam(stW, cfg.lr(), 0.9, 0.999);
        Random r = new Random(cfg.seed() + 1);
        int b = cfg.batch();
        double[] uniform = new double[b];
        java.util.Arrays.fill(uniform, 1.0 / b);
        for (int step = 1; step <= cfg.steps(); step++) {
            int[] sc = Batches.sample(r, scExpr.rows(), b), st = Batches.sample(r, stTarget.rows(), b);
            double[][] cost =
                    UnbalancedSinkhorn.correlationDistance(Batches.rowsOf(scPanel, sc), Batches.rowsOf(stPanel, st));
            double[][] plan = UnbalancedSinkhorn.solve(cost, uniform, uniform, cfg.eps(), cfg.rho(), 200, 1e-6)
                    .plan();
            float[] planFlat = new float[b * b];
            for (int i = 0; i < b; i++) for (int j = 0; j < b; j++) planFlat[i * b + j] = (float) plan[i][j];
            double recon, bce, ot;
            scOpt.zeroGrad();
            stOpt.zeroGrad();
            try (NDScope scope = new NDScope();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = Tensors.rows(manager, scExpr, sc), z = Tensors.rows(manager, stTarget, st);
                NDArray u = scEnc.forward(x), v = stEnc.forward(z);
                NDArray rec = scDec.forward(u).sub(x).square().mean();
                NDArray logits = stDec.forward(v);
                NDArray bceLoss = bce(logits, z);
                // ‖u_i − v_j‖ for all pairs: (b, 1, l) − (1, b, l)
                NDArray dist = u.expandDims(1)
                        .sub(v.expandDims(0))
                        .square()
                        .sum(new int[] {2})
                        .add(1e-12f)
                        .sqrt();
                NDArray otLoss =
                        dist.mul(Tensors.of(manager, planFlat, new Shape(b, b))).sum();
                NDArray loss = rec.add(bceLoss).add(otLoss.mul((float) cfg.otWeight()));
                gc.backward(loss);
                recon = rec.getFloat();
                bce = bceLoss.getFloat();
                ot = otLoss.getFloat();
            }
            scOpt.update();
            stOpt.update();
            losses.intColumn("step").append(step);
            losses.doubleColumn("sc_recon").append(recon);
            losses.doubleColumn("st_bce").append(bce);
            losses.doubleColumn("ot").append(ot);
            progress.update(
                    step / (double) cfg.steps(),
                    String.format(
                            "scConfluence step %d/%d  recon %.3f  bce %.3f  ot %.3f",
                            step, cfg.steps(), recon, bce, ot));
        }
        return losses;
    }

    /** Bulked panel predicted for cells (log1p CP10k rows): scRNA encoder, then the spatial decoder, sigmoid. */
    public DenseMatrix translate(DenseMatrix expr) {
        return Batches.map(manager, expr, x -> Activation.sigmoid(stDec.forward(scEnc.forward(x))));
    }

    /** Mean binary cross-entropy with logits, in the numerically stable form max(l,0) − l·z + log(1 + e^−|l|). */
    static NDArray bce(NDArray logits, NDArray target) {
        return logits.maximum(0f)
                .sub(logits.mul(target))
                .add(logits.abs().neg().exp().add(1f).log())
                .mean();
    }

    @Override
    public void close() {
        manager.close();
    }
}
