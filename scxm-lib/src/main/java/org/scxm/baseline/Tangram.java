package org.scxm.baseline;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import org.scxm.model.Adam;
import org.scxm.model.Tensors;
import org.scxm.model.Torch;
import org.scxm.model.Weights;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Tangram's mapping (Biancalani et al. 2021, {@code map_cells_to_space}, mode "cells") onto the training spatial
 * slide's cells, read back as SCXM needs it: a cell's predicted neighbourhood is its mapping row times the training
 * slide's bulked targets (the reading Tangram's maintainers suggest for space-to-cell questions).
 *
 * <p>The objective, as Tangram's source defines it: M (mapped cells x training-slide cells) starts N(0, 1) (seeded),
 * P = softmax(M) per cell row, and Adam minimises {@code -(λ_g1·mean_genes cos(PᵀS, G) + λ_g2·mean_spots cos(PᵀS, G))
 * + λ_d·KL(d ‖ d_pred) - λ_r·Σ P log P}, where S is the mapped cells' expression and G the slide's on the shared panel
 * genes, {@code d_pred = log(colsum(P) / cells)} and d the density prior ({@code rna_count_based}: each slide cell's
 * share of the slide's panel counts; or uniform). Defaults are Tangram's: learning rate 0.1, 1000 epochs, λ_g1 = 1,
 * λ_g2 = 0, λ_r = 0, rna_count_based density with λ_d = 1. S and G are log1p CP10k over the shared panel genes (CP10k
 * divides by the cell's total over the panel: the same scale for a scRNA cell and a spatial cell). Genes with no
 * expression in S or in G are left out, as Tangram's preprocessing drops them.
 *
 * <p>Tangram maps whatever cells it is given: {@link #map} fits one mapping per call, so the scRNA cells and a
 * validation slide's cells are each mapped onto the training slide the same way.
 *
 * <p>Memory bound: when mapped cells x slide cells passes {@link Config#maxEntries}, Tangram's own cluster mode is used
 * (S = each cluster's summed expression, Tangram's default {@code scale=True}; d_pred = log(d_source·P) with d_source
 * the clusters' shares of the cells) and a cell reads its cluster's row. Clusters are the given cell types, else
 * k-means on the expression with at most {@code maxEntries / slide cells} (and {@link Config#maxClusters}) clusters.
 *
 * <p>Cost: each epoch is a few dozen passes over M (softmax, its backward, Adam) and three products of M with a
 * (slide cells x genes) matrix; M is held in column blocks of at most 4M entries so that every temporary is reused by
 * the allocator. Measured on the demo (4,000 validation cells x 6,000 slide cells x 60 genes, one intra-op thread, a
 * 2-core machine at load average 6-10): cells mode 0.72 s per epoch, Tangram's 1000 epochs in 12 minutes; cluster
 * mode with {@code maxEntries} 3M (500 k-means clusters) 0.125 s per epoch, 1000 epochs in about two minutes. A GPU
 * ({@link Torch#device}) is the usual answer for cells mode.
 *
 * <p>{@link #DEPARTURES} names in one line what differs from the original.
 */
public final class Tangram implements AutoCloseable {

    /** What differs from Tangram itself, one line for a results table. */
    public static final String DEPARTURES = "expression is log1p CP10k over the shared panel genes on both sides;"
            + " new cells (a validation slide's) are mapped onto the training slide by a mapping of their own;"
            + " above max_entries mapped cells x slide cells, cluster mode on cell types or k-means clusters;"
            + " prediction = mapping row x the training slide's bulked targets";

    /** Tangram's density priors. */
    public enum Density {
        /** Each slide cell's share of the slide's total counts (Tangram's default). */
        RNA_COUNT_BASED,
        UNIFORM,
        /** No density term (Tangram's {@code density_prior=None}). */
        NONE
    }

    /**
     * @param epochs      Adam steps on the whole mapping (Tangram: 1000)
     * @param lr          Adam learning rate (Tangram: 0.1)
     * @param lambdaG1    weight of the mean gene-wise cosine (Tangram: 1)
     * @param lambdaG2    weight of the mean spot-wise cosine (Tangram: 0)
     * @param lambdaD     weight of the density KL (Tangram: 1 with a density prior)
     * @param lambdaR     weight of the entropy term (Tangram: 0)
     * @param maxEntries  mapped rows x slide cells above which cluster mode is used (50M floats: 200 MB per copy of M)
     * @param maxClusters most k-means clusters in cluster mode
     * @param seed        seeds M's initialisation and the k-means
     */
    public record Config(
            int epochs,
            double lr,
            double lambdaG1,
            double lambdaG2,
            double lambdaD,
            double lambdaR,
            Density density,
            long maxEntries,
            int maxClusters,
            long seed) {
        public Config {
            if (epochs < 1) throw new ScxmException("Tangram needs epochs >= 1 (got " + epochs + ").");
            if (!(lr > 0)) throw new ScxmException("Tangram needs a positive learning rate (got " + lr + ").");
            if (lambdaG1 == 0)
                throw new ScxmException("Tangram needs lambda_g1 != 0 (its gene-wise cosine is the objective).");
            if (density == null)
                throw new ScxmException("Tangram needs a density prior: rna_count_based, uniform or none.");
            if (maxEntries < 1 || maxClusters < 1)
                throw new ScxmException("Tangram needs max_entries >= 1 and max_clusters >= 1.");
        }

        public static Config defaults() {
            return new Config(1000, 0.1, 1, 0, 1, 0, Density.RNA_COUNT_BASED, 50_000_000L, 1000, 0);
        }

        public Config withEpochs(int e) {
            return new Config(e, lr, lambdaG1, lambdaG2, lambdaD, lambdaR, density, maxEntries, maxClusters, seed);
        }

        public Config withSeed(long s) {
            return new Config(epochs, lr, lambdaG1, lambdaG2, lambdaD, lambdaR, density, maxEntries, maxClusters, s);
        }

        public Config withMaxEntries(long m) {
            return new Config(epochs, lr, lambdaG1, lambdaG2, lambdaD, lambdaR, density, m, maxClusters, seed);
        }
    }

    /**
     * One mapping and what it predicts.
     *
     * @param prediction each mapped cell's predicted bulked target (cells x panel of the targets)
     * @param mapping    softmax of M: mapping rows x training-slide cells (rows are cells, or clusters in cluster mode;
     *                   at most {@link Config#maxEntries} floats)
     * @param rowOf      each cell's mapping row (the identity outside cluster mode)
     * @param clustered  whether cluster mode was used
     * @param genes      the panel columns the objective used (those expressed on both sides)
     * @param geneCosine each used gene's final cosine between mapped and measured expression across slide cells
     * @param losses     one row per epoch, before its update: step, loss, gene_cosine, spot_cosine, kl, entropy
     */
    public record Result(
            DenseMatrix prediction,
            DenseMatrix mapping,
            int[] rowOf,
            boolean clustered,
            int[] genes,
            double[] geneCosine,
            Table losses) {
        /** Mean over the used genes of the final gene-wise cosine (Tangram's training score). */
        public double meanGeneCosine() {
            return Arrays.stream(geneCosine).average().orElse(Double.NaN);
        }
    }

    private final Config cfg;
    private final NDManager manager;
    private final int spots, panel;
    private final float[] slideExpr;
    private final DenseMatrix stTarget;
    private final double[] density;

    /** On the default device ({@link Torch#device} "auto"). */
    public Tangram(SparseMatrix stPanelCounts, DenseMatrix stTarget, Config cfg) {
        this(stPanelCounts, stTarget, cfg, Torch.device("auto"));
    }

    /**
     * @param stPanelCounts the training slide's raw counts, slide cells x shared panel genes
     * @param stTarget      the training slide's bulked targets, slide cells x target genes
     * @param device        where M, its optimiser state and every product live
     */
    public Tangram(SparseMatrix stPanelCounts, DenseMatrix stTarget, Config cfg, Device device) {
        if (stTarget.rows() != stPanelCounts.rows())
            throw new ScxmException("Tangram needs the training slide's counts and targets for the same cells ("
                    + stPanelCounts.rows() + " and " + stTarget.rows() + " rows).");
        this.cfg = cfg;
        this.spots = stPanelCounts.rows();
        this.panel = stPanelCounts.cols();
        this.slideExpr = Normalise.log1pCp10k(stPanelCounts).toDense().data();
        this.stTarget = stTarget.inMemory();
        this.density = density(stPanelCounts, cfg.density());
        this.manager = NDManager.newBaseManager(device);
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The density prior over the slide's cells, or null without one. */
    static double[] density(SparseMatrix counts, Density kind) {
        int n = counts.rows();
        if (kind == Density.NONE) return null;
        double[] d = new double[n];
        if (kind == Density.UNIFORM) {
            Arrays.fill(d, 1.0 / n);
            return d;
        }
        double[] total = counts.rowSums();
        double sum = Arrays.stream(total).sum();
        if (!(sum > 0))
            throw new ScxmException("the training slide has no counts on the panel genes, so Tangram's rna_count_based"
                    + " density is undefined; use density=uniform or check the slide's panel.");
        for (int i = 0; i < n; i++) d[i] = total[i] / sum;
        return d;
    }

    /**
     * Maps cells onto the training slide and predicts their bulked targets.
     *
     * @param panelCounts the cells' raw counts on the shared panel genes, in the training slide's column order
     * @param labels      each cell's type, used for cluster mode when the cells are too many (null: k-means)
     */
    public Result map(SparseMatrix panelCounts, String[] labels, Progress progress) {
        if (panelCounts.cols() != panel)
            throw new ScxmException("Tangram's training slide has " + panel + " panel genes but the cells to map have "
                    + panelCounts.cols() + "; pass their counts on the same panel genes, in the same order.");
        if (labels != null && labels.length != panelCounts.rows())
            throw new ScxmException("Tangram got " + labels.length + " cell types for " + panelCounts.rows()
                    + " cells; pass one per cell, or none.");
        int n = panelCounts.rows();
        if (n == 0) throw new ScxmException("Tangram got no cells to map.");
        float[] expr = Normalise.log1pCp10k(panelCounts).toDense().data();
        boolean clustered = (long) n * spots > cfg.maxEntries();
        int rows;
        int[] rowOf;
        float[] s;
        double[] dSource = null;
        if (!clustered) {
            rows = n;
            rowOf = IntStream.range(0, n).toArray();
            s = expr;
        } else {
            long fit = cfg.maxEntries() / spots;
            if (fit < 1)
                throw new ScxmException("the training slide's " + spots + " cells exceed Tangram's max_entries ("
                        + cfg.maxEntries() + ") even for one cluster; raise max_entries or subsample the slide.");
            rowOf = labels != null
                    ? labelIndex(labels)
                    : KMeans.cluster(expr, panel, (int) Math.min(Math.min(fit, cfg.maxClusters()), n), cfg.seed());
            rows = Arrays.stream(rowOf).max().orElse(0) + 1;
            if ((long) rows * spots > cfg.maxEntries())
                throw new ScxmException("the " + rows + " cell types x " + spots + " slide cells exceed Tangram's"
                        + " max_entries (" + cfg.maxEntries() + "); raise max_entries or map without cell types.");
            s = new float[rows * panel];
            dSource = new double[rows];
            for (int i = 0; i < n; i++) {
                dSource[rowOf[i]] += 1.0 / n;
                for (int j = 0; j < panel; j++) s[rowOf[i] * panel + j] += expr[i * panel + j];
            }
        }
        int[] genes = sharedGenes(s, rows, slideExpr, spots, panel);
        if (genes.length == 0)
            throw new ScxmException("no panel gene is expressed both in the cells to map and on the training slide,"
                    + " so Tangram has nothing to match; check that both use the same panel genes.");
        Table losses = lossTable();
        double[] d = density;
        if (clustered && d == null) { // Tangram's cluster mode always has a density term, uniform by default
            d = new double[spots];
            Arrays.fill(d, 1.0 / spots);
        }
        try (NDManager sub = manager.newSubManager()) {
            TangramObjective prob = new TangramObjective(
                    sub,
                    columns(s, rows, panel, genes),
                    rows,
                    columns(slideExpr, spots, panel, genes),
                    spots,
                    genes.length,
                    d,
                    dSource,
                    cfg,
                    TangramObjective.BLOCK_FLOATS);
            Weights w = new Weights(sub);
            int[] from = prob.blockStarts(spots);
            NDArray[] m = new NDArray[from.length - 1];
            Random r = new Random(cfg.seed()); // M ~ N(0, 1), drawn block after block, row-major within a block
            for (int b = 0; b < m.length; b++) {
                int wb = from[b + 1] - from[b];
                float[] block = new float[rows * wb];
                for (int i = 0; i < block.length; i++) block[i] = (float) r.nextGaussian();
                m[b] = w.add("M." + b, new Shape(rows, wb), block);
            }
            Adam adam = new Adam(w, cfg.lr(), 0.9, 0.999);
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                double[] t;
                try (NDScope scope = new NDScope();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray[] terms = prob.terms(m);
                    gc.backward(terms[0]);
                    t = new double[terms.length];
                    for (int k = 0; k < terms.length; k++) t[k] = terms[k] == null ? Double.NaN : terms[k].getFloat();
                }
                adam.update();
                losses.intColumn("step").append(epoch);
                for (int k = 0; k < LOSS_TERMS.size(); k++)
                    losses.doubleColumn(LOSS_TERMS.get(k)).append(t[k]);
                progress.update(
                        epoch / (double) cfg.epochs(),
                        String.format(
                                Locale.ROOT,
                                "Tangram epoch %d/%d  loss %.4f  gene cosine %.4f%s",
                                epoch,
                                cfg.epochs(),
                                t[0],
                                t[1],
                                clustered ? "  (" + rows + " clusters)" : ""));
            }
            try (NDScope scope = new NDScope()) {
                NDArray[] p = prob.softmax(m);
                double[] cos = prob.geneCosines(p)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .toDoubleArray();
                int q = stTarget.cols();
                NDArray z = Tensors.of(sub, stTarget.data(), new Shape(spots, q));
                NDArray rowPredT = null;
                float[] mapping = new float[rows * spots];
                for (int b = 0; b < p.length; b++) {
                    NDArray part = p[b].matMul(z.get(from[b] + ":" + from[b + 1]));
                    rowPredT = rowPredT == null ? part : rowPredT.add(part);
                    int wb = from[b + 1] - from[b];
                    float[] block = p[b].toFloatArray();
                    for (int i = 0; i < rows; i++) System.arraycopy(block, i * wb, mapping, i * spots + from[b], wb);
                }
                float[] rowPred = rowPredT.toFloatArray();
                float[] pred = new float[n * q];
                for (int i = 0; i < n; i++) System.arraycopy(rowPred, rowOf[i] * q, pred, i * q, q);
                return new Result(
                        new DenseMatrix(n, q, pred),
                        new DenseMatrix(rows, spots, mapping),
                        rowOf,
                        clustered,
                        genes,
                        cos,
                        losses);
            }
        }
    }

    /** The loss terms of each epoch, in the order {@link TangramObjective#terms} returns them. */
    static final List<String> LOSS_TERMS = List.of("loss", "gene_cosine", "spot_cosine", "kl", "entropy");

    /** An empty table of each epoch's step and loss terms. */
    static Table lossTable() {
        Table t = Table.create("Tangram losses", IntColumn.create("step"));
        for (String term : LOSS_TERMS) t.addColumns(DoubleColumn.create(term));
        return t;
    }

    /** Each label's index in order of first appearance. */
    private static int[] labelIndex(String[] labels) {
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) out[i] = index.computeIfAbsent(labels[i], k -> index.size());
        return out;
    }

    /** Columns expressed somewhere in both row-major matrices. */
    static int[] sharedGenes(float[] a, int aRows, float[] b, int bRows, int cols) {
        boolean[] inA = new boolean[cols], inB = new boolean[cols];
        for (int i = 0; i < aRows * cols; i++) if (a[i] != 0) inA[i % cols] = true;
        for (int i = 0; i < bRows * cols; i++) if (b[i] != 0) inB[i % cols] = true;
        return IntStream.range(0, cols).filter(j -> inA[j] && inB[j]).toArray();
    }

    private static float[] columns(float[] m, int rows, int cols, int[] keep) {
        float[] out = new float[rows * keep.length];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < keep.length; k++) out[i * keep.length + k] = m[i * cols + keep[k]];
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
