package org.scxm.baseline;

/**
 * Entropic unbalanced optimal transport by log-domain Sinkhorn iterations (Chizat et al. 2018).
 * Marginal constraints are relaxed by KL penalties of strength {@code rho}; {@code rho = +inf}
 * gives balanced entropic OT. Used by the scConfluence-style baseline to align a minibatch of
 * scRNA cells with a minibatch of spatial cells; the plan carries no gradient (it is recomputed per
 * batch and treated as a constant weight, as scConfluence does).
 */
public final class UnbalancedSinkhorn {
    private UnbalancedSinkhorn() {}

    /** The result: the plan and the number of iterations used. */
    public record Result(double[][] plan, int iterations, boolean converged) {
        public double mass() {
            double m = 0;
            for (double[] r : plan) for (double v : r) m += v;
            return m;
        }

        public double[] rowSums() {
            double[] s = new double[plan.length];
            for (int i = 0; i < plan.length; i++) for (double v : plan[i]) s[i] += v;
            return s;
        }

        public double[] colSums() {
            double[] s = new double[plan.length == 0 ? 0 : plan[0].length];
            for (double[] r : plan) for (int j = 0; j < r.length; j++) s[j] += r[j];
            return s;
        }
    }

    /**
     * @param cost  n x m cost matrix
     * @param a     source weights (n, positive)
     * @param b     target weights (m, positive)
     * @param eps   entropic regularisation (> 0), in cost units
     * @param rho   marginal relaxation strength (> 0, or Double.POSITIVE_INFINITY for balanced)
     * @param maxIter iteration cap
     * @param tol   stop when the potentials move less than tol (sup norm, cost units)
     */
    public static Result solve(
            double[][] cost, double[] a, double[] b, double eps, double rho, int maxIter, double tol) {
        int n = a.length, m = b.length;
        if (cost.length != n || (n > 0 && cost[0].length != m))
            throw new IllegalArgumentException("cost must be " + n + " x " + m);
        if (!(eps > 0)) throw new IllegalArgumentException("eps must be positive, got " + eps);
        if (!(rho > 0)) throw new IllegalArgumentException("rho must be positive, got " + rho);
        double tau = Double.isInfinite(rho) ? 1.0 : rho / (rho + eps);
        double[] logA = new double[n], logB = new double[m];
        for (int i = 0; i < n; i++) logA[i] = Math.log(a[i]);
        for (int j = 0; j < m; j++) logB[j] = Math.log(b[j]);
        double[] f = new double[n], g = new double[m];
        double[] buf = new double[Math.max(n, m)];
        int it = 0;
        boolean converged = false;
        while (it < maxIter) {
            it++;
            double delta = 0;
            for (int i = 0; i < n; i++) {
                double[] ci = cost[i];
                for (int j = 0; j < m; j++) buf[j] = logB[j] + (g[j] - ci[j]) / eps;
                double nf = -tau * eps * logSumExp(buf, m);
                delta = Math.max(delta, Math.abs(nf - f[i]));
                f[i] = nf;
            }
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) buf[i] = logA[i] + (f[i] - cost[i][j]) / eps;
                double ng = -tau * eps * logSumExp(buf, n);
                delta = Math.max(delta, Math.abs(ng - g[j]));
                g[j] = ng;
            }
            if (delta < tol) {
                converged = true;
                break;
            }
        }
        double[][] plan = new double[n][m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) plan[i][j] = Math.exp(logA[i] + logB[j] + (f[i] + g[j] - cost[i][j]) / eps);
        return new Result(plan, it, converged);
    }

    private static double logSumExp(double[] v, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) max = Math.max(max, v[k]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (int k = 0; k < len; k++) s += Math.exp(v[k] - max);
        return max + Math.log(s);
    }

    /** Correlation distance 1 - Pearson(r_i, s_j) between the rows of two matrices (same columns). */
    public static double[][] correlationDistance(float[][] rows1, float[][] rows2) {
        double[][] c1 = centredUnit(rows1), c2 = centredUnit(rows2);
        double[][] d = new double[c1.length][c2.length];
        for (int i = 0; i < c1.length; i++)
            for (int j = 0; j < c2.length; j++) {
                double dot = 0;
                for (int k = 0; k < c1[i].length; k++) dot += c1[i][k] * c2[j][k];
                d[i][j] = 1 - dot;
            }
        return d;
    }

    /** Rows centred and scaled to unit norm; a constant row becomes all zeros (correlation 0, distance 1). */
    private static double[][] centredUnit(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            float[] r = rows[i];
            double mean = 0;
            for (float v : r) mean += v;
            mean /= Math.max(1, r.length);
            double[] c = new double[r.length];
            double ss = 0;
            for (int k = 0; k < r.length; k++) {
                c[k] = r[k] - mean;
                ss += c[k] * c[k];
            }
            double norm = Math.sqrt(ss);
            if (norm > 0) for (int k = 0; k < r.length; k++) c[k] /= norm;
            out[i] = c;
        }
        return out;
    }
}
