package org.scxm.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;

/** Against a brute-force lookup written out here: full sort of all distances, ties to the lower index. */
class KnnLookupTest {

    static float[][] counts(Random r, int n, int g) {
        float[][] c = new float[n][g];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < g; j++) c[i][j] = r.nextDouble() < 0.5 ? 0 : r.nextInt(4);
            c[i][r.nextInt(g)] += 1;
        }
        return c;
    }

    /** log1p CP10k over the row, rounded to float as the library stores it. */
    static double[] norm(float[] c) {
        double t = 0;
        for (float v : c) t += v;
        double[] o = new double[c.length];
        for (int j = 0; j < c.length; j++) o[j] = (float) Math.log1p(c[j] * (1e4 / t));
        return o;
    }

    /** The k nearest of {@code q} among the rows allowed, by a full sort. */
    static Integer[] bruteNearest(double[] q, double[][] train, boolean[] allowed, int k) {
        Integer[] idx = new Integer[train.length];
        double[] d = new double[train.length];
        for (int t = 0; t < train.length; t++) {
            idx[t] = t;
            for (int j = 0; j < q.length; j++) d[t] += (q[j] - train[t][j]) * (q[j] - train[t][j]);
        }
        Integer[] ok = Arrays.stream(idx).filter(t -> allowed[t]).toArray(Integer[]::new);
        Arrays.sort(ok, Comparator.<Integer>comparingDouble(t -> d[t]).thenComparingInt(t -> t));
        return Arrays.copyOf(ok, k);
    }

    static float[] mean(Integer[] nn, float[][] target) {
        float[] out = new float[target[0].length];
        for (int j = 0; j < out.length; j++) {
            double s = 0;
            for (int t : nn) s += target[t][j];
            out[j] = (float) (s / nn.length);
        }
        return out;
    }

    @Test
    void lookupsAndTheChosenKMatchBruteForce() {
        Random r = new Random(5);
        int n = 150, g = 5, p = 3, nq = 40;
        float[][] c = counts(r, n, g), q = counts(r, nq, g); // few small counts: exact ties happen
        double[][] tf = new double[n][];
        for (int i = 0; i < n; i++) tf[i] = norm(c[i]);
        float[][] target = new float[n][p];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() * 1000;
            for (int j = 0; j < p; j++) target[i][j] = (float) (0.5 * tf[i][j] / 9 + 0.5 * r.nextDouble());
        }
        SparseMatrix sm = SparseMatrix.fromDense(c, g);
        DenseMatrix tm = PairedRidgeTest.dense(target);
        boolean[] all = new boolean[n];
        Arrays.fill(all, true);
        KnnLookup.Fitted five = KnnLookup.withK(sm, tm, 5);
        DenseMatrix got = five.predict(SparseMatrix.fromDense(q, g));
        int[][] nn = five.neighbours(SparseMatrix.fromDense(q, g));
        for (int i = 0; i < nq; i++) {
            Integer[] want = bruteNearest(norm(q[i]), tf, all, 5);
            assertArrayEquals(Arrays.stream(want).mapToInt(Integer::intValue).toArray(), nn[i], "query " + i);
            float[] m = mean(want, target);
            for (int j = 0; j < p; j++) assertEquals(m[j], got.get(i, j), 1e-6);
        }
        // k by leave-stripe-out, recomputed by brute force: stripes of equal count along x
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        int[] stripe = new int[n];
        for (int rank = 0; rank < n; rank++) stripe[order[rank]] = rank * 5 / n;
        double best = Double.NEGATIVE_INFINITY;
        int bestK = -1;
        for (int k : KnnLookup.K_GRID) {
            if (k > n - n / 5) continue; // more than the cells outside one stripe (30 per stripe)
            DenseMatrix pred = new DenseMatrix(n, p);
            for (int i = 0; i < n; i++) {
                boolean[] other = new boolean[n];
                for (int t = 0; t < n; t++) other[t] = stripe[t] != stripe[i];
                float[] m = mean(bruteNearest(tf[i], tf, other, k), target);
                for (int j = 0; j < p; j++) pred.set(i, j, m[j]);
            }
            double[] rs = new double[p];
            for (int j = 0; j < p; j++) rs[j] = Correlation.pearson(pred.column(j), tm.column(j));
            Arrays.sort(rs);
            if (rs[1] > best) {
                best = rs[1];
                bestK = k;
            }
        }
        KnnLookup.Fitted cv = KnnLookup.fit(sm, x, tm);
        assertEquals(bestK, cv.k(), cv.crossValidation().print());
        assertEquals(best, cv.cvScore(), 1e-9);
    }
}
