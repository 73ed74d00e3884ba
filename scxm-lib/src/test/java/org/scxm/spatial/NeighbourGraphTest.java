package org.scxm.spatial;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;

class NeighbourGraphTest {

    /** O(n²) reference: every pair within the radius, inclusive. */
    private static List<List<Integer>> brute(double[] x, double[] y, double r) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            List<Integer> row = new ArrayList<>();
            for (int j = 0; j < x.length; j++) {
                double dx = x[i] - x[j], dy = y[i] - y[j];
                if (dx * dx + dy * dy <= r * r) row.add(j);
            }
            out.add(row);
        }
        return out;
    }

    private static void assertSameAsBrute(double[] x, double[] y, double r) {
        NeighbourGraph g = NeighbourGraph.radius(x, y, r);
        List<List<Integer>> ref = brute(x, y, r);
        for (int i = 0; i < x.length; i++) {
            List<Integer> got = new ArrayList<>();
            for (int e = g.indptr()[i]; e < g.indptr()[i + 1]; e++) got.add(g.neighbours()[e]);
            assertEquals(ref.get(i), got, "neighbours of cell " + i);
            assertTrue(got.contains(i), "self loop of cell " + i);
        }
    }

    @Test
    void matchesBruteForceOnRandomLayoutsWithDuplicatesAndIsolatedCells() {
        Random r = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(400);
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextDouble() * 300;
                y[i] = r.nextDouble() * 300;
                if (i > 0 && r.nextDouble() < 0.1) {
                    x[i] = x[i - 1];
                    y[i] = y[i - 1];
                } // identical positions
            }
            if (n > 2) {
                x[n - 1] = 5000;
                y[n - 1] = 5000;
            } // an isolated cell far away (sparse-grid path)
            assertSameAsBrute(x, y, 25);
        }
    }

    @Test
    void cellsExactlyAtTheRadiusOnGridBordersAreNeighbours() {
        double[] x = {0, 25, 50, 0, 25}, y = {0, 0, 0, 25, 25};
        assertSameAsBrute(x, y, 25);
        NeighbourGraph g = NeighbourGraph.radius(x, y, 25);
        assertEquals(3, g.degree(0)); // itself, (25,0) and (0,25); (25,25) is 35 µm away
        assertSameAsBrute(new double[] {7}, new double[] {3}, 25); // a single cell
    }

    @Test
    void knnGivesTheKClosestIncludingSelf() {
        Random r = new Random(1);
        int n = 300;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() * 200;
            y[i] = r.nextDouble() * 200;
        }
        NeighbourGraph g = NeighbourGraph.knn(x, y, 6);
        for (int i = 0; i < n; i++) {
            assertEquals(6, g.degree(i));
            double maxIn = 0;
            for (int e = g.indptr()[i]; e < g.indptr()[i + 1]; e++) maxIn = Math.max(maxIn, g.distances()[e]);
            int closer = 0;
            for (int j = 0; j < n; j++) if (Math.hypot(x[i] - x[j], y[i] - y[j]) < maxIn - 1e-4) closer++;
            assertTrue(closer <= 5, "cell " + i + " has " + closer + " cells strictly closer than its 6th neighbour");
        }
    }

    @Test
    void bulkedBinarisedExpressionIsTheNormalisedKernelAverage() {
        Random r = new Random(3);
        int n = 200, p = 5;
        double[] x = new double[n], y = new double[n];
        float[][] dense = new float[n][p];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() * 150;
            y[i] = r.nextDouble() * 150;
            for (int c = 0; c < p; c++) dense[i][c] = r.nextDouble() < 0.3 ? r.nextInt(5) + 1 : 0;
        }
        Kernel k = Kernel.gaussian(12.5);
        DenseMatrix z = Bulker.binarised(SparseMatrix.fromDense(dense, p), NeighbourGraph.radius(x, y, 25), k);
        for (int i = 0; i < n; i++) {
            double wsum = 0;
            double[] acc = new double[p];
            for (int j = 0; j < n; j++) {
                double d = Math.hypot(x[i] - x[j], y[i] - y[j]);
                if (d > 25) continue;
                double w = Math.exp(-d * d / (2 * 12.5 * 12.5));
                wsum += w;
                for (int c = 0; c < p; c++) acc[c] += w * (dense[j][c] > 0 ? 1 : 0);
            }
            for (int c = 0; c < p; c++) {
                assertEquals(acc[c] / wsum, z.get(i, c), 1e-6);
                assertTrue(z.get(i, c) >= 0 && z.get(i, c) <= 1);
            }
        }
    }

    @Test
    void badRadiusIsOneClearSentence() {
        double[] x = {0, 1}, y = {0, 1};
        ScxmException e = assertThrows(ScxmException.class, () -> NeighbourGraph.radius(x, y, 0));
        assertTrue(e.getMessage().contains("radius must be a positive"));
        assertThrows(ScxmException.class, () -> NeighbourGraph.radius(null, null, 25));
    }

    @Test
    void moransIIsOneForTwoCompleteBlocksAndGearyBelowOne() {
        // scanpy's golden property: two far-apart complete cliques, values 1 in one and 0 in the other -> I = 1
        int n = 20;
        double[] x = new double[n], y = new double[n];
        float[][] v = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i] = (i < 10 ? 0 : 1000) + i % 10;
            y[i] = 0;
            v[i][0] = i < 10 ? 1 : 0;
        }
        NeighbourGraph g = NeighbourGraph.radius(x, y, 25);
        var t = SpatialAutocorrelation.table(SparseMatrix.fromDense(v, 1), new String[] {"g"}, g);
        assertEquals(1.0, t.doubleColumn("morans_i").get(0), 1e-12);
        assertEquals(0.0, t.doubleColumn("gearys_c").get(0), 1e-12);
    }

    @Test
    void radiusWarningsNameTheMeanNeighbourCount() {
        Random r = new Random(2);
        double[] x = new double[400], y = new double[400];
        for (int i = 0; i < 400; i++) {
            x[i] = r.nextDouble() * 200;
            y[i] = r.nextDouble() * 200;
        }
        assertNull(NeighbourGraph.radius(x, y, 25).radiusWarning(25));
        String big = NeighbourGraph.radius(x, y, 500).radiusWarning(500);
        assertTrue(big.contains("400 neighbours per cell"), big);
        String tiny = NeighbourGraph.radius(x, y, 0.5).radiusWarning(0.5);
        assertTrue(tiny.contains("microns (not pixels)"), tiny);
    }

    @Test
    void aRadiusWhoseGraphWouldNotFitIsRefusedBeforeItIsBuiltNamingTheNeighboursPerCell() {
        int n = 2000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 50) * 10.0; // a 500 x 400 µm slide, one cell per 10 µm
            y[i] = (i / 50) * 10.0;
        }
        // every cell is every cell's neighbour: 2000 x 2000 pairs at 12 bytes = 48 MB, more than 0.8 x 32 MB
        org.scxm.ScxmException e =
                assertThrows(org.scxm.ScxmException.class, () -> NeighbourGraph.radius(x, y, 1e9, 32L << 20));
        assertTrue(
                e.getMessage()
                        .startsWith("radius 1.0E9 µm gives 2000 neighbours per cell on average (4000000 pairs for"
                                + " 2000 cells, about 0.0 GiB), more than the 0.0 GiB of heap left"),
                e.getMessage());
        // the same radius fits a larger heap, and 25 µm (21 neighbours in the interior, self included) fits this one
        assertEquals(2000.0, NeighbourGraph.radius(x, y, 1e9, 1L << 30).meanDegree(), 1e-9);
        assertTrue(NeighbourGraph.radius(x, y, 25, 32L << 20).meanDegree() <= 21);
    }
}
