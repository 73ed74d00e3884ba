package org.scxm.eval;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;

/**
 * A supervised reference for evaluation: ridge regression from one cell's own expression (log1p CP10k,
 * every gene of the slide) to its bulked target, trained on the validation slide's own truth. It answers
 * "what does a supervised model get from one cell's expression?", a yardstick for an unpaired method such
 * as SCXM, which never sees a cell paired with its neighbourhood. Honest by construction: the slide is cut into vertical stripes of
 * equal cell count, and each stripe is predicted by a model fitted on the other stripes (neighbouring cells
 * share targets, so random folds would flatter it). The penalty is chosen per stripe on the next stripe
 * round, among the training stripes only. Linear, so it is not an upper bound: a nonlinear model may do better.
 */
public final class PairedRidge {
    /** Penalties tried, relative to the number of training cells (features are log1p CP10k, unscaled). */
    static final double[] RELATIVE_ALPHAS = {1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3};
    /** Most variable genes used as features when a slide has more (keeps the solve small). */
    static final int MAX_FEATURES = 1000;
    /** Stripes used by evaluation. */
    public static final int STRIPES = 5;
    /** Fewest cells a stripe needs for a Pearson on it to mean anything. */
    static final int MIN_CELLS_PER_STRIPE = 10;
    /** Fewest cells for which evaluation fits the reference. */
    public static final int MIN_CELLS = MIN_CELLS_PER_STRIPE * STRIPES;

    private PairedRidge() {}

    /** Cross-validated predictions of {@code target} from {@code counts} (cells x genes), stripes along x. */
    public static DenseMatrix predict(SparseMatrix counts, double[] x, DenseMatrix target, int folds) {
        int n = counts.rows();
        if (target.rows() != n || x.length != n)
            throw new ScxmException(
                    "the paired ridge reference needs counts, coordinates and target for the same " + n + " cells.");
        if (folds < 3 || n < MIN_CELLS_PER_STRIPE * folds)
            throw new ScxmException("the paired ridge reference needs at least 3 stripes and " + MIN_CELLS_PER_STRIPE
                    + " cells per stripe (" + n + " cells, " + folds + " stripes).");
        Row[] features = features(counts);
        int[] stripe = stripes(x, folds);
        return crossValidate(features, width(counts), target, stripe, folds);
    }

    /**
     * One cell's features: log1p CP10k of its expressed genes among the selected ones, as feature indices
     * (ascending) and values. Sparse, because a real validation slide has hundreds of thousands of cells.
     */
    record Row(int[] idx, double[] val) {}

    /** log1p CP10k on the (at most {@link #MAX_FEATURES}) most variable genes, one sparse row per cell. */
    static Row[] features(SparseMatrix counts) {
        SparseMatrix norm = Normalise.log1pCp10k(counts);
        int n = norm.rows(), g = norm.cols();
        double[] sum = new double[g], sq = new double[g];
        for (int i = 0; i < n; i++) {
            float[] v = norm.rowValues(i);
            int[] idx = norm.rowIndices(i);
            for (int k = norm.rowStart(i); k < norm.rowEnd(i); k++) {
                sum[idx[k]] += v[k];
                sq[idx[k]] += (double) v[k] * v[k];
            }
        }
        Integer[] order = new Integer[g];
        for (int j = 0; j < g; j++) order[j] = j;
        Arrays.sort(
                order,
                (a, b) -> Double.compare(sq[b] / n - sum[b] * sum[b] / n / n, sq[a] / n - sum[a] * sum[a] / n / n));
        int d = Math.min(g, MAX_FEATURES);
        boolean[] keep = new boolean[g];
        for (int k = 0; k < d; k++) keep[order[k]] = true;
        int[] col = new int[g]; // feature index of a kept gene: its rank among kept genes in gene order
        for (int j = 0, f = 0; j < g; j++) col[j] = keep[j] ? f++ : -1;
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            float[] v = norm.rowValues(i);
            int[] idx = norm.rowIndices(i);
            int m = 0;
            for (int k = norm.rowStart(i); k < norm.rowEnd(i); k++) if (col[idx[k]] >= 0 && v[k] != 0) m++;
            int[] fi = new int[m];
            double[] fv = new double[m];
            m = 0;
            for (int k = norm.rowStart(i); k < norm.rowEnd(i); k++)
                if (col[idx[k]] >= 0 && v[k] != 0) {
                    fi[m] = col[idx[k]];
                    fv[m++] = v[k];
                }
            sortByIndex(fi, fv);
            rows[i] = new Row(fi, fv);
        }
        return rows;
    }

    static void sortByIndex(int[] idx, double[] val) { // insertion sort: rows arrive nearly sorted
        for (int a = 1; a < idx.length; a++) {
            int ki = idx[a];
            double kv = val[a];
            int b = a - 1;
            while (b >= 0 && idx[b] > ki) {
                idx[b + 1] = idx[b];
                val[b + 1] = val[b];
                b--;
            }
            idx[b + 1] = ki;
            val[b + 1] = kv;
        }
    }

    /** Number of features (columns) of the rows. */
    private static int width(SparseMatrix counts) {
        return Math.min(counts.cols(), MAX_FEATURES);
    }

    /** Stripe of each cell: cells sorted by x, cut into {@code folds} runs of equal count. */
    static int[] stripes(double[] x, int folds) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        int[] s = new int[n];
        for (int r = 0; r < n; r++) s[order[r]] = (int) ((long) r * folds / n);
        return s;
    }

    static DenseMatrix crossValidate(Row[] f, int d, DenseMatrix target, int[] stripe, int folds) {
        Stats[] per = new Stats[folds];
        IntStream.range(0, folds).parallel().forEach(s -> {
            per[s] = new Stats(d, target.cols());
            for (int i = 0; i < f.length; i++) if (stripe[i] == s) per[s].add(f[i], target.row(i));
        });
        DenseMatrix out = new DenseMatrix(target.rows(), target.cols());
        IntStream.range(0, folds).parallel().forEach(test -> {
            int inner = (test + 1) % folds;
            Stats innerTrain = Stats.sum(per, test, inner);
            double bestScore = Double.NEGATIVE_INFINITY, bestAlpha = RELATIVE_ALPHAS[0];
            for (double a : RELATIVE_ALPHAS) {
                Fit fit = innerTrain.fit(a * innerTrain.n);
                double score = medianPearson(fit, f, target, stripe, inner);
                if (score > bestScore) {
                    bestScore = score;
                    bestAlpha = a;
                }
            }
            Stats train = Stats.sum(per, test, -1);
            Fit fit = train.fit(bestAlpha * train.n);
            for (int i = 0; i < f.length; i++)
                if (stripe[i] == test) {
                    double[] p = fit.apply(f[i]);
                    for (int j = 0; j < p.length; j++) out.set(i, j, (float) p[j]);
                }
        });
        return out;
    }

    private static double medianPearson(Fit fit, Row[] f, DenseMatrix target, int[] stripe, int s) {
        int m = 0;
        for (int v : stripe) if (v == s) m++;
        int p = target.cols();
        float[][] pred = new float[p][m], truth = new float[p][m];
        int r = 0;
        for (int i = 0; i < f.length; i++)
            if (stripe[i] == s) {
                double[] y = fit.apply(f[i]);
                for (int j = 0; j < p; j++) {
                    pred[j][r] = (float) y[j];
                    truth[j][r] = target.get(i, j);
                }
                r++;
            }
        double[] rs = new double[p];
        int k = 0;
        for (int j = 0; j < p; j++) {
            double c = Correlation.pearson(pred[j], truth[j]);
            if (!Double.isNaN(c)) rs[k++] = c;
        }
        double[] sorted = Arrays.copyOf(rs, k);
        Arrays.sort(sorted);
        return Evaluation.quantile(sorted, 0.5);
    }

    /** Ridge with an unpenalised intercept: W = (Xc'Xc + αI)⁻¹ Xc'Yc on centred data, b = ȳ − x̄W. */
    record Fit(double[][] w, double[] b) {
        double[] apply(Row x) {
            double[] y = b.clone();
            for (int k = 0; k < x.idx().length; k++) {
                double v = x.val()[k];
                double[] row = w[x.idx()[k]];
                for (int j = 0; j < y.length; j++) y[j] += v * row[j];
            }
            return y;
        }
    }

    /** Sufficient statistics of a set of cells: n, Σx, Σy, X'X (upper triangle filled on use), X'Y. */
    static final class Stats {
        final int d, p;
        long n;
        final double[] sx, sy;
        final double[][] xx, xy;

        Stats(int d, int p) {
            this.d = d;
            this.p = p;
            sx = new double[d];
            sy = new double[p];
            xx = new double[d][d];
            xy = new double[d][p];
        }

        void add(Row x, float[] y) {
            n++;
            for (int j = 0; j < p; j++) sy[j] += y[j];
            int[] idx = x.idx();
            double[] val = x.val();
            for (int k = 0; k < idx.length; k++) {
                int a = idx[k];
                double v = val[k];
                sx[a] += v;
                double[] row = xx[a];
                for (int l = k; l < idx.length; l++) row[idx[l]] += v * val[l]; // idx ascending: upper triangle
                double[] r2 = xy[a];
                for (int j = 0; j < p; j++) r2[j] += v * y[j];
            }
        }

        /** The sum over all stripes except {@code skipA} and {@code skipB} (-1 for none). */
        static Stats sum(Stats[] per, int skipA, int skipB) {
            Stats t = new Stats(per[0].d, per[0].p);
            for (int s = 0; s < per.length; s++) {
                if (s == skipA || s == skipB) continue;
                Stats o = per[s];
                t.n += o.n;
                for (int j = 0; j < t.p; j++) t.sy[j] += o.sy[j];
                for (int a = 0; a < t.d; a++) {
                    t.sx[a] += o.sx[a];
                    for (int b = a; b < t.d; b++) t.xx[a][b] += o.xx[a][b];
                    for (int j = 0; j < t.p; j++) t.xy[a][j] += o.xy[a][j];
                }
            }
            return t;
        }

        Fit fit(double alpha) {
            double[] mx = new double[d], my = new double[p];
            for (int a = 0; a < d; a++) mx[a] = sx[a] / n;
            for (int j = 0; j < p; j++) my[j] = sy[j] / n;
            double[][] a = new double[d][d];
            for (int i = 0; i < d; i++)
                for (int k = i; k < d; k++) {
                    a[i][k] = xx[i][k] - n * mx[i] * mx[k];
                    a[k][i] = a[i][k];
                }
            for (int i = 0; i < d; i++) a[i][i] += alpha;
            double[][] rhs = new double[d][p];
            for (int i = 0; i < d; i++) for (int j = 0; j < p; j++) rhs[i][j] = xy[i][j] - n * mx[i] * my[j];
            double[][] w = Cholesky.solve(a, rhs);
            double[] b = my.clone();
            for (int i = 0; i < d; i++) for (int j = 0; j < p; j++) b[j] -= mx[i] * w[i][j];
            return new Fit(w, b);
        }
    }

    /** Solves A W = B for symmetric positive definite A (the ridge normal equations). */
    static final class Cholesky {
        static double[][] solve(double[][] a, double[][] b) {
            int d = a.length, p = b[0].length;
            double[][] l = new double[d][];
            for (int i = 0; i < d; i++) {
                l[i] = new double[i + 1];
                for (int k = 0; k <= i; k++) {
                    double s = a[i][k];
                    double[] li = l[i], lk = l[k];
                    for (int m = 0; m < k; m++) s -= li[m] * lk[m];
                    if (i == k) {
                        // a gene with no variance in the training cells and a tiny penalty: keep it solvable
                        li[i] = Math.sqrt(Math.max(s, 1e-12));
                    } else li[k] = s / lk[k];
                }
            }
            double[][] w = new double[d][p];
            for (int j = 0; j < p; j++) {
                double[] y = new double[d];
                for (int i = 0; i < d; i++) {
                    double s = b[i][j];
                    for (int m = 0; m < i; m++) s -= l[i][m] * y[m];
                    y[i] = s / l[i][i];
                }
                for (int i = d - 1; i >= 0; i--) {
                    double s = y[i];
                    for (int m = i + 1; m < d; m++) s -= l[m][i] * w[m][j];
                    w[i][j] = s / l[i][i];
                }
            }
            return w;
        }
    }
}
