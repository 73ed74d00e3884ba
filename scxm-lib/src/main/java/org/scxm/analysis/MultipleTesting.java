package org.scxm.analysis;

import java.util.Arrays;

/** Benjamini–Hochberg adjustment (as statsmodels' fdr_bh / R's p.adjust "BH"). */
public final class MultipleTesting {
    private MultipleTesting() {}

    /** BH-adjusted p-values in the input order; NaN p-values count as 1. */
    public static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        double[] q = new double[m];
        Arrays.sort(order, (a, b) -> Double.compare(val(p[a]), val(p[b])));
        double running = 1.0;
        for (int k = m - 1; k >= 0; k--) {
            int i = order[k];
            running = Math.min(running, val(p[i]) * m / (k + 1));
            q[i] = Math.min(1.0, running);
        }
        return q;
    }

    private static double val(double p) {
        return Double.isNaN(p) ? 1.0 : p;
    }
}
