package org.scxm.spatial;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;

class BulkerCompositionTest {
    /** A toy slide: 300 cells scattered over 200 x 200 µm, four types, one label missing. */
    static final int N = 300;

    static double[][] positions() {
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[N], y = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = r.nextDouble() * 200;
            y[i] = r.nextDouble() * 200;
        }
        return new double[][] {x, y};
    }

    static String[] labels() {
        String[] types = {"T cell", "B cell", "AT1", "Macrophage"};
        SplittableRandom r = new SplittableRandom(8);
        String[] l = new String[N];
        for (int i = 0; i < N; i++) l[i] = types[r.nextInt(types.length)];
        return l;
    }

    /** Brute force: every pair's distance, weights exp(-d²/2σ²) (or 1) over d ≤ radius, self included. */
    static double[][] bruteForce(double[] x, double[] y, String[] l, String[] cats, double radius, double sigma) {
        double[][] out = new double[N][cats.length];
        for (int i = 0; i < N; i++) {
            double total = 0;
            double[] acc = new double[cats.length];
            for (int j = 0; j < N; j++) {
                double d = Math.hypot(x[i] - x[j], y[i] - y[j]);
                if (d > radius) continue;
                double w = Double.isNaN(sigma) ? 1 : Math.exp(-d * d / (2 * sigma * sigma));
                total += w;
                int c = java.util.Arrays.asList(cats).indexOf(l[j]);
                if (c >= 0) acc[c] += w;
            }
            for (int c = 0; c < cats.length; c++) out[i][c] = acc[c] / total;
        }
        return out;
    }

    @Test
    void fixedCategoriesMatchABruteForceNeighbourhoodCount() {
        double[][] p = positions();
        String[] l = labels();
        String[] cats = Bulker.categories(l);
        assertArrayEquals(new String[] {"AT1", "B cell", "Macrophage", "T cell"}, cats, "alphabetical order");
        NeighbourGraph g = NeighbourGraph.radius(p[0], p[1], 25);
        for (double sigma : new double[] {Double.NaN, 12.5}) {
            Kernel k = Double.isNaN(sigma) ? Kernel.uniform() : Kernel.gaussian(sigma);
            Bulker.Composition c = Bulker.composition(l, cats, g, k);
            double[][] want = bruteForce(p[0], p[1], l, cats, 25, sigma);
            assertArrayEquals(cats, c.categories());
            assertTrue(c.unlisted().isEmpty());
            for (int i = 0; i < N; i++) {
                double sum = 0;
                for (int j = 0; j < cats.length; j++) {
                    assertEquals(want[i][j], c.fractions().get(i, j), 1e-5, "cell " + i + " " + cats[j]);
                    sum += c.fractions().get(i, j);
                }
                assertEquals(1, sum, 1e-5, "a neighbourhood of listed types sums to 1");
            }
        }
    }

    @Test
    void theCellItselfCountsSoAnIsolatedCellIsAllItsOwnType() {
        double[] x = {0, 10, 500}, y = {0, 0, 0};
        String[] l = {"B cell", "T cell", "T cell"};
        Bulker.Composition c = Bulker.composition(
                l, new String[] {"B cell", "T cell"}, NeighbourGraph.radius(x, y, 25), Kernel.uniform());
        assertArrayEquals(new float[] {0.5f, 0.5f}, c.fractions().row(0));
        assertArrayEquals(new float[] {0f, 1f}, c.fractions().row(2), "the lone cell's neighbourhood is itself");
    }

    @Test
    void aTypeTheTrainingSlideLacksIsNamedAndDroppedWithoutInflatingTheOthers() {
        double[][] p = positions();
        String[] l = labels();
        String[] cats = {"T cell", "B cell", "AT1"}; // the training slide's types, in the stated order
        l[5] = null;
        Bulker.Composition c = Bulker.composition(l, cats, NeighbourGraph.radius(p[0], p[1], 25), Kernel.uniform());
        long macrophages =
                java.util.Arrays.stream(l).filter("Macrophage"::equals).count();
        assertEquals(Map.of("Macrophage", (int) macrophages, "NA", 1), c.unlisted());
        assertArrayEquals(cats, c.categories(), "columns keep the given order");
        double[][] want = bruteForce(p[0], p[1], l, cats, 25, Double.NaN);
        boolean someBelowOne = false;
        for (int i = 0; i < N; i++) {
            double sum = 0;
            for (int j = 0; j < cats.length; j++) {
                assertEquals(want[i][j], c.fractions().get(i, j), 1e-5);
                sum += c.fractions().get(i, j);
            }
            someBelowOne |= sum < 0.99;
        }
        assertTrue(someBelowOne, "rows with unlisted neighbours sum to less than 1");
    }

    @Test
    void aTypeListedTwiceIsRefusedInOneSentence() {
        double[][] p = positions();
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> Bulker.composition(
                        labels(),
                        new String[] {"AT1", "AT1"},
                        NeighbourGraph.radius(p[0], p[1], 25),
                        Kernel.uniform()));
        assertTrue(e.getMessage().contains("'AT1' is listed twice"), e.getMessage());
    }
}
