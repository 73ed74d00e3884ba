package org.scxm.eval;

import java.util.Arrays;

/** Textbook Pearson and Spearman correlation (Spearman = Pearson of mid-ranks, ties averaged). */
public final class Correlation {
    private Correlation() {}

    /** Pearson's r; NaN when either vector is constant. */
    public static double pearson(float[] a, float[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    public static double spearman(float[] a, float[] b) {
        return pearson(ranks(a), ranks(b));
    }

    /** Mid-ranks (1-based, ties share their average rank). */
    public static float[] ranks(float[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Float.compare(v[x], v[y]));
        float[] r = new float[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) j++;
            float mid = (i + j) / 2f + 1;
            for (int k = i; k <= j; k++) r[order[k]] = mid;
            i = j + 1;
        }
        return r;
    }
}
