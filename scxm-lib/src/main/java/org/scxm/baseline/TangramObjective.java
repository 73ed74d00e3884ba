package org.scxm.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.scxm.model.Tensors;

/**
 * Tangram's objective for one mapping: S and G on the device, the density prior and its constant. M is held as
 * column blocks of at most {@link #BLOCK_FLOATS} entries: the softmax runs across blocks, and no tensor of the step
 * outgrows the allocator's reusable size (a 4,000 x 6,000 M in one piece is a fresh 96 MB allocation, page faults
 * and all, for every temporary of every epoch).
 */
final class TangramObjective {
    /** Most entries of one block of M (16 MB of floats). */
    static final int BLOCK_FLOATS = 1 << 22;

    private static final float EPS = 1e-8f; // torch.nn.functional.cosine_similarity's
    final NDArray s, g, gNormSqGenes, gNormSqSpots, d, dSource;
    final float dEntropyConst;
    final int rows, blockFloats;
    final Tangram.Config cfg;

    /**
     * @param s           mapped rows x genes, row-major
     * @param g           slide cells x genes, row-major
     * @param d           density prior over slide cells (null: no density term)
     * @param dSource     each row's share of the cells in cluster mode (null in cells mode)
     * @param blockFloats most entries of one column block of M
     */
    TangramObjective(
            NDManager m,
            float[] s,
            int rows,
            float[] g,
            int spots,
            int genes,
            double[] d,
            double[] dSource,
            Tangram.Config cfg,
            int blockFloats) {
        this.cfg = cfg;
        this.rows = rows;
        this.blockFloats = blockFloats;
        this.s = Tensors.of(m, s, new Shape(rows, genes));
        this.g = Tensors.of(m, g, new Shape(spots, genes));
        this.gNormSqGenes = this.g.square().sum(new int[] {0});
        this.gNormSqSpots = this.g.square().sum(new int[] {1});
        if (d != null && cfg.lambdaD() != 0) {
            float[] df = new float[spots];
            double c = 0;
            for (int i = 0; i < spots; i++) {
                df[i] = (float) d[i];
                if (d[i] > 0) c += d[i] * Math.log(d[i]); // KLDivLoss: a zero target contributes 0
            }
            this.d = Tensors.of(m, df, new Shape(spots));
            this.dEntropyConst = (float) c;
        } else {
            this.d = null;
            this.dEntropyConst = 0;
        }
        if (dSource != null) {
            float[] ds = new float[rows];
            for (int i = 0; i < rows; i++) ds[i] = (float) dSource[i];
            this.dSource = Tensors.of(m, ds, new Shape(1, rows));
        } else this.dSource = null;
    }

    /** First column of each block of M, then the number of columns. */
    int[] blockStarts(int spots) {
        int width = Math.max(1, blockFloats / Math.max(1, rows));
        int blocks = (spots + width - 1) / width;
        int[] from = new int[blocks + 1];
        for (int b = 0; b <= blocks; b++) from[b] = (int) Math.min(spots, (long) b * width);
        return from;
    }

    /** Row-wise softmax across the column blocks of M. */
    NDArray[] softmax(NDArray[] m) {
        return softmax(m, null);
    }

    /** As {@link #softmax(NDArray[])}; with {@code logNorm} non-null, its first entry receives log Σ exp(M) per row. */
    private NDArray[] softmax(NDArray[] m, NDArray[] logNorm) {
        if (m.length == 1) { // one block: PyTorch's fused softmax and its fused backward
            if (logNorm != null) logNorm[0] = m[0].sub(m[0].logSoftmax(1)).get(":, 0:1");
            return new NDArray[] {m[0].softmax(1)};
        }
        NDArray max = null;
        for (NDArray b : m) {
            NDArray mb = b.max(new int[] {1}, true);
            max = max == null ? mb : max.maximum(mb);
        }
        max = max.stopGradient(); // the shift cancels; it only keeps exp finite
        NDArray[] e = new NDArray[m.length];
        NDArray total = null;
        for (int b = 0; b < m.length; b++) {
            e[b] = m[b].sub(max).exp();
            NDArray sb = e[b].sum(new int[] {1}, true);
            total = total == null ? sb : total.add(sb);
        }
        for (int b = 0; b < m.length; b++) e[b] = e[b].div(total);
        if (logNorm != null) logNorm[0] = total.log().add(max);
        return e;
    }

    /** PᵀS, slide cells x genes, from P's column blocks. */
    private NDArray mapped(NDArray[] p) {
        if (p.length == 1) return p[0].transpose().matMul(s);
        NDArray[] parts = new NDArray[p.length];
        for (int b = 0; b < p.length; b++) parts[b] = p[b].transpose().matMul(s);
        return NDArrays.concat(new NDList(parts), 0);
    }

    /** Cosine per gene across slide cells between PᵀS and G. */
    NDArray geneCosines(NDArray[] p) {
        return cosine(mapped(p), 0, gNormSqGenes);
    }

    private NDArray cosine(NDArray gp, int axis, NDArray gNormSq) {
        NDArray dot = gp.mul(g).sum(new int[] {axis});
        NDArray n2 = gp.square().sum(new int[] {axis}).mul(gNormSq);
        return dot.div(n2.maximum(EPS * EPS).sqrt());
    }

    /**
     * Total loss (minimised), mean gene cosine, mean spot cosine, KL(d ‖ d_pred) (null without density), entropy
     * -Σ P log P (null when λ_r = 0): Tangram's terms for mapping logits given as column blocks {@code m}.
     */
    NDArray[] terms(NDArray... m) {
        NDArray[] logNorm = cfg.lambdaR() != 0 ? new NDArray[1] : null;
        NDArray[] p = softmax(m, logNorm);
        NDArray gp = mapped(p);
        NDArray geneCos = cosine(gp, 0, gNormSqGenes).mean();
        NDArray spotCos = cosine(gp, 1, gNormSqSpots).mean();
        NDArray loss = geneCos.mul((float) -cfg.lambdaG1());
        if (cfg.lambdaG2() != 0) loss = loss.sub(spotCos.mul((float) cfg.lambdaG2()));
        NDArray kl = null;
        if (d != null) {
            NDArray[] parts = new NDArray[p.length];
            for (int b = 0; b < p.length; b++)
                parts[b] = dSource == null
                        ? p[b].sum(new int[] {0})
                        : dSource.matMul(p[b]).reshape(-1);
            NDArray colsum = p.length == 1 ? parts[0] : NDArrays.concat(new NDList(parts), 0);
            NDArray dPred = dSource == null ? colsum.div((float) rows).log() : colsum.log();
            kl = d.mul(dPred).sum().neg().add(dEntropyConst);
            loss = loss.add(kl.mul((float) cfg.lambdaD()));
        }
        NDArray entropy = null;
        if (cfg.lambdaR() != 0) { // -Σ P log P, log P = M - log Σ exp(M)
            for (int b = 0; b < p.length; b++) {
                NDArray part = p[b].mul(m[b].sub(logNorm[0])).sum();
                entropy = entropy == null ? part : entropy.add(part);
            }
            entropy = entropy.neg();
            loss = loss.add(entropy.mul((float) cfg.lambdaR()));
        }
        return new NDArray[] {loss, geneCos, spotCos, kl, entropy};
    }
}
