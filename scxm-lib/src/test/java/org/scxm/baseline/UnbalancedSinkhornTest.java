package org.scxm.baseline;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UnbalancedSinkhornTest {

    private static double[][] randomCost(int n, int m, long seed) {
        Random r = new Random(seed);
        double[][] c = new double[n][m];
        for (double[] row : c) for (int j = 0; j < m; j++) row[j] = r.nextDouble();
        return c;
    }

    private static double[] uniform(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0 / n);
        return a;
    }

    @Test
    void balancedPlanHasTheRequestedMarginals() {
        double[][] c = randomCost(7, 5, 1);
        double[] a = uniform(7), b = uniform(5);
        var res = UnbalancedSinkhorn.solve(c, a, b, 0.05, Double.POSITIVE_INFINITY, 5000, 1e-12);
        assertTrue(res.converged());
        double[] rs = res.rowSums(), cs = res.colSums();
        for (int i = 0; i < 7; i++) assertEquals(a[i], rs[i], 1e-9);
        for (int j = 0; j < 5; j++) assertEquals(b[j], cs[j], 1e-9);
    }

    @Test
    void smallEpsilonRecoversTheAssignmentOfAPermutationCost() {
        // Cost 0 on a permutation, 1 elsewhere: the optimal plan is that permutation with mass 1/n each.
        int n = 6;
        int[] perm = {3, 0, 5, 1, 4, 2};
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i][j] = perm[i] == j ? 0 : 1;
        var res = UnbalancedSinkhorn.solve(c, uniform(n), uniform(n), 0.01, Double.POSITIVE_INFINITY, 2000, 1e-12);
        for (int i = 0; i < n; i++) assertEquals(1.0 / n, res.plan()[i][perm[i]], 1e-6);
    }

    @Test
    void unbalancedPlanSatisfiesTheKlRelaxedFixedPoint() {
        // At the optimum of unbalanced OT, row sums r_i satisfy r_i = a_i^tau * (Σ_j b_j e^{(g_j - C_ij)/eps})^... ;
        // checkable consequence: with one target far away (high cost), unbalanced OT moves less mass to it than
        // balanced.
        double[][] c = {{0.0, 5.0}, {0.0, 5.0}};
        double[] a = uniform(2), b = uniform(2);
        var balanced = UnbalancedSinkhorn.solve(c, a, b, 0.1, Double.POSITIVE_INFINITY, 5000, 1e-12);
        var relaxed = UnbalancedSinkhorn.solve(c, a, b, 0.1, 0.5, 5000, 1e-12);
        double farBalanced = balanced.colSums()[1], farRelaxed = relaxed.colSums()[1];
        assertEquals(0.5, farBalanced, 1e-8);
        assertTrue(farRelaxed < 0.1 * farBalanced, "relaxed mass to the far target " + farRelaxed);
        // and as rho grows the relaxed marginals approach the balanced ones
        var stiff = UnbalancedSinkhorn.solve(c, a, b, 0.1, 1e4, 20000, 1e-13);
        assertEquals(0.5, stiff.colSums()[1], 2e-3);
    }

    @Test
    void correlationDistanceIsZeroForProportionalRowsAndTwoForOpposite() {
        float[][] x = {{1, 2, 3, 4}};
        float[][] y = {{2, 4, 6, 8}, {4, 3, 2, 1}, {1, 1, 1, 1}};
        double[][] d = UnbalancedSinkhorn.correlationDistance(x, y);
        assertEquals(0.0, d[0][0], 1e-12);
        assertEquals(2.0, d[0][1], 1e-12);
        assertEquals(1.0, d[0][2], 1e-12);
    }
}
