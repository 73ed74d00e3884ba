package org.scxm.baseline;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/** Lloyd's k-means with k-means++ seeding, for cluster mode without cell types. */
final class KMeans {
    private KMeans() {}

    /** Cluster of each row (row-major {@code x}, {@code p} columns), renumbered 0.. without empty clusters. */
    static int[] cluster(float[] x, int p, int k, long seed) {
        int n = x.length / p;
        Random r = new Random(seed);
        float[] c = new float[k * p];
        double[] near = new double[n];
        Arrays.fill(near, Double.POSITIVE_INFINITY);
        int first = r.nextInt(n);
        System.arraycopy(x, first * p, c, 0, p);
        for (int m = 1; m <= k; m++) {
            int prev = m - 1;
            IntStream.range(0, n).parallel().forEach(i -> near[i] = Math.min(near[i], dist(x, i, c, prev, p)));
            if (m == k) break;
            double total = Arrays.stream(near).sum();
            int pick = n - 1;
            if (total > 0) { // k-means++: the next centre drawn in proportion to the squared distance
                double u = r.nextDouble() * total, acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += near[i];
                    if (acc >= u) {
                        pick = i;
                        break;
                    }
                }
            } else pick = r.nextInt(n);
            System.arraycopy(x, pick * p, c, m * p, p);
        }
        int[] a = new int[n];
        Arrays.fill(a, -1);
        for (int iter = 0; iter < 25; iter++) {
            int[] changed = new int[1];
            int[] next = IntStream.range(0, n)
                    .parallel()
                    .map(i -> {
                        int best = 0;
                        double bd = Double.POSITIVE_INFINITY;
                        for (int j = 0; j < k; j++) {
                            double dd = dist(x, i, c, j, p);
                            if (dd < bd) {
                                bd = dd;
                                best = j;
                            }
                        }
                        return best;
                    })
                    .toArray();
            for (int i = 0; i < n; i++) if (next[i] != a[i]) changed[0]++;
            a = next;
            double[] sum = new double[k * p];
            int[] size = new int[k];
            for (int i = 0; i < n; i++) {
                size[a[i]]++;
                for (int j = 0; j < p; j++) sum[a[i] * p + j] += x[i * p + j];
            }
            for (int j = 0; j < k; j++)
                if (size[j] > 0) for (int l = 0; l < p; l++) c[j * p + l] = (float) (sum[j * p + l] / size[j]);
            if (changed[0] <= n / 1000) break;
        }
        int[] id = new int[k];
        Arrays.fill(id, -1);
        int used = 0;
        for (int i = 0; i < n; i++) {
            if (id[a[i]] < 0) id[a[i]] = used++;
            a[i] = id[a[i]];
        }
        return a;
    }

    private static double dist(float[] x, int i, float[] c, int j, int p) {
        double s = 0;
        for (int l = 0; l < p; l++) {
            double e = x[i * p + l] - c[j * p + l];
            s += e * e;
        }
        return s;
    }
}
