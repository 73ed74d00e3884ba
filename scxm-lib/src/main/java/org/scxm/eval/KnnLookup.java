package org.scxm.eval;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The expression kNN lookup: an evaluated cell's prediction is the average bulked target of its k nearest cells of
 * the training spatial slide in panel expression (log1p CP10k over the panel genes, Euclidean; the same normalisation
 * on every modality, as {@link SpatialSlideRidge}). k is chosen on the training slide alone from {@link #K_GRID}: each
 * training cell is looked up among the cells of the other stripes (leave-stripe-out along x: spatial neighbours share
 * targets, and often expression, so looking a cell up next to its own neighbourhood would flatter small k), and the k
 * whose pooled predictions have the best median per-gene Pearson wins.
 *
 * <p>Exact brute force, in parallel over the evaluated cells: cost n_evaluated x n_training x panel multiply-adds (4,000
 * x 6,000 x 60 = 1.4 G, about a second on two cores) for a prediction, and about as much again for choosing k. Equal
 * distances go to the lower training index.
 */
public final class KnnLookup {
    /** Neighbour counts tried. */
    public static final int[] K_GRID = {1, 5, 10, 20, 50, 100, 200};
    /** Stripes of the cross-validation choosing k. */
    public static final int STRIPES = 5;

    private KnnLookup() {}

    /**
     * Chooses k on the training slide and keeps it for lookups.
     *
     * @param stPanelCounts the training slide's raw counts, cells x panel genes
     * @param x             each cell's x coordinate (stripes of the cross-validation run along it)
     * @param stTarget      each cell's bulked target, cells x panel genes
     */
    public static Fitted fit(SparseMatrix stPanelCounts, double[] x, DenseMatrix stTarget) {
        return fit(stPanelCounts, x, stTarget, STRIPES);
    }

    /** As {@link #fit(SparseMatrix, double[], DenseMatrix)} with {@code folds} stripes (at least 3). */
    public static Fitted fit(SparseMatrix stPanelCounts, double[] x, DenseMatrix stTarget, int folds) {
        int n = stPanelCounts.rows();
        if (stTarget.rows() != n || x.length != n)
            throw new ScxmException("the kNN lookup needs counts, coordinates and target for the same " + n
                    + " cells (got " + x.length + " coordinates and " + stTarget.rows() + " target rows).");
        if (folds < 3 || n < PairedRidge.MIN_CELLS_PER_STRIPE * folds)
            throw new ScxmException("the kNN lookup needs at least 3 stripes and " + PairedRidge.MIN_CELLS_PER_STRIPE
                    + " cells per stripe on the training slide (" + n + " cells, " + folds + " stripes).");
        DenseMatrix target = stTarget.inMemory();
        double[] train = features(stPanelCounts);
        int[] stripe = PairedRidge.stripes(x, folds);
        int smallestOther = n;
        int[] size = new int[folds];
        for (int s : stripe) size[s]++;
        for (int s = 0; s < folds; s++) smallestOther = Math.min(smallestOther, n - size[s]);
        int kMax = Math.min(K_GRID[K_GRID.length - 1], smallestOther); // a k the smallest fold cannot offer is skipped
        int[][] nn = nearest(train, stripe, train, stripe, stPanelCounts.cols(), kMax);
        IntColumn ks = IntColumn.create("k");
        DoubleColumn scores = DoubleColumn.create("cv_median_pearson");
        double bestScore = Double.NEGATIVE_INFINITY;
        int bestK = 1;
        for (int k : K_GRID) {
            if (k > kMax) break;
            double score = SpatialSlideRidge.medianPearson(average(nn, k, target), target);
            ks.append(k);
            scores.append(score);
            if (score > bestScore) { // ties keep the smaller k
                bestScore = score;
                bestK = k;
            }
        }
        Table cv = Table.create("kNN lookup: k by leave-stripe-out cross-validation", ks, scores);
        return new Fitted(train, stPanelCounts.cols(), target, bestK, bestScore, cv);
    }

    /** A lookup with a fixed k, no cross-validation. */
    public static Fitted withK(SparseMatrix stPanelCounts, DenseMatrix stTarget, int k) {
        if (k < 1 || k > stPanelCounts.rows())
            throw new ScxmException("the kNN lookup needs 1 <= k <= " + stPanelCounts.rows()
                    + " (the training slide's cells); got k=" + k + ".");
        if (stTarget.rows() != stPanelCounts.rows())
            throw new ScxmException("the kNN lookup needs counts and target for the same cells (" + stPanelCounts.rows()
                    + " and " + stTarget.rows() + " rows).");
        return new Fitted(
                features(stPanelCounts),
                stPanelCounts.cols(),
                stTarget.inMemory(),
                k,
                Double.NaN,
                Table.create("kNN lookup: fixed k"));
    }

    /** The training slide's cells, their targets and the chosen k. */
    public static final class Fitted {
        private final double[] train;
        private final int panel, k;
        private final DenseMatrix target;
        private final double cvScore;
        private final Table crossValidation;

        private Fitted(double[] train, int panel, DenseMatrix target, int k, double cvScore, Table cv) {
            this.train = train;
            this.panel = panel;
            this.target = target;
            this.k = k;
            this.cvScore = cvScore;
            this.crossValidation = cv;
        }

        /** Average bulked target of each cell's k nearest training cells; cells given by raw counts on the panel. */
        public DenseMatrix predict(SparseMatrix panelCounts) {
            if (panelCounts.cols() != panel)
                throw new ScxmException("the kNN lookup was built on " + panel + " panel genes but got cells with "
                        + panelCounts.cols() + "; pass the evaluated cells' counts on the same panel genes, in the"
                        + " same order.");
            return average(nearest(features(panelCounts), null, train, null, panel, k), k, target);
        }

        /** Indices of each cell's k nearest training cells, nearest first. */
        public int[][] neighbours(SparseMatrix panelCounts) {
            return nearest(features(panelCounts), null, train, null, panel, k);
        }

        public int k() {
            return k;
        }

        /** The median per-gene Pearson of the out-of-stripe lookups at the chosen k (NaN without CV). */
        public double cvScore() {
            return cvScore;
        }

        /** One row per k tried: k, median per-gene Pearson out of stripe. */
        public Table crossValidation() {
            return crossValidation;
        }
    }

    /** log1p CP10k over the panel genes, dense row-major (cells x panel). */
    static double[] features(SparseMatrix panelCounts) {
        SparseMatrix norm = Normalise.log1pCp10k(panelCounts);
        int p = panelCounts.cols();
        double[] out = new double[norm.rows() * p];
        for (int i = 0; i < norm.rows(); i++) {
            float[] v = norm.rowValues(i);
            int[] idx = norm.rowIndices(i);
            for (int k = norm.rowStart(i); k < norm.rowEnd(i); k++) out[i * p + idx[k]] = v[k];
        }
        return out;
    }

    /**
     * The {@code k} nearest training rows of each query row (squared Euclidean), nearest first, equal distances to the
     * lower index. With groups, a training row of the query's own group is never a candidate (null: no exclusion).
     */
    static int[][] nearest(double[] queries, int[] queryGroup, double[] train, int[] trainGroup, int p, int k) {
        int nq = queries.length / p, nt = train.length / p;
        int[][] out = new int[nq][];
        IntStream.range(0, nq).parallel().forEach(q -> {
            int[] best = new int[k];
            double[] dist = new double[k];
            int have = 0;
            int qo = q * p, group = queryGroup == null ? -1 : queryGroup[q];
            for (int t = 0; t < nt; t++) {
                if (trainGroup != null && trainGroup[t] == group) continue;
                double worst = have == k ? dist[k - 1] : Double.POSITIVE_INFINITY;
                int to = t * p;
                double d = 0;
                for (int j = 0; j < p; j++) {
                    double e = queries[qo + j] - train[to + j];
                    d += e * e;
                }
                if (d >= worst) continue; // equal distance: the earlier (lower) index stays
                int pos = have < k ? have++ : k - 1;
                while (pos > 0 && dist[pos - 1] > d) {
                    dist[pos] = dist[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                dist[pos] = d;
                best[pos] = t;
            }
            out[q] = have == k ? best : Arrays.copyOf(best, have);
        });
        return out;
    }

    /** Each row's prediction: the mean target of its first {@code k} neighbours. */
    static DenseMatrix average(int[][] nn, int k, DenseMatrix target) {
        int p = target.cols();
        float[] z = target.inMemory().data();
        DenseMatrix out = new DenseMatrix(nn.length, p);
        IntStream.range(0, nn.length).parallel().forEach(i -> {
            double[] s = new double[p];
            int m = Math.min(k, nn[i].length);
            for (int r = 0; r < m; r++) {
                int o = nn[i][r] * p;
                for (int j = 0; j < p; j++) s[j] += z[o + j];
            }
            for (int j = 0; j < p; j++) out.set(i, j, (float) (s[j] / m));
        });
        return out;
    }
}
