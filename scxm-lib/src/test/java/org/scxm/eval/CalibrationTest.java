package org.scxm.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.data.DemoTissue;
import org.scxm.data.DenseMatrix;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.testing.Python;
import tech.tablesaw.api.Table;

class CalibrationTest {
    @Test
    void energyDistanceAndAucAreScipysAndSklearns(@TempDir Path dir) throws Exception {
        String py = Python.require("numpy", "scipy", "sklearn");
        SplittableRandom r = new SplittableRandom(5);
        float[] u = new float[300], v = new float[171];
        for (int i = 0; i < u.length; i++)
            u[i] = (float) Math.floor(r.nextDouble() * 20) / 20; // ties, as bulked values have
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.3 + 0.5 * r.nextDouble());
        Path a = dir.resolve("u.txt"), b = dir.resolve("v.txt"), script = dir.resolve("e.py");
        Files.writeString(a, join(u));
        Files.writeString(b, join(v));
        Files.writeString(script, """
                import sys, numpy as np
                from scipy.stats import energy_distance
                u = np.loadtxt(sys.argv[1], dtype=np.float32).astype(np.float64)
                v = np.loadtxt(sys.argv[2], dtype=np.float32).astype(np.float64)
                from sklearn.metrics import roc_auc_score
                print(repr(energy_distance(u, v)), repr(energy_distance(u, u[:7])),
                      repr(roc_auc_score(np.r_[np.ones(len(u)), np.zeros(len(v))], np.r_[u, v])))
                """);
        String[] want =
                Python.run(py, script, a.toString(), b.toString()).trim().split(" ");
        assertEquals(Double.parseDouble(want[0]), Calibration.energyDistance(u, v), 1e-6);
        assertEquals(Double.parseDouble(want[1]), Calibration.energyDistance(u, java.util.Arrays.copyOf(u, 7)), 1e-6);
        assertEquals(0, Calibration.energyDistance(u, u.clone()), 1e-12);
        assertEquals(Double.parseDouble(want[2]), Calibration.auc(u, v), 1e-9, "a one-feature classifier's AUC");
        assertEquals(0.5, Calibration.auc(u, u.clone()), 1e-12);
    }

    private static String join(float[] v) {
        StringBuilder s = new StringBuilder();
        for (float x : v) s.append(x).append('\n');
        return s.toString();
    }

    /** The demo's training target: the st slide's bulked binarised panel at the paper's 25 µm. */
    static DenseMatrix target(DemoTissue d) {
        var st = d.st();
        return Bulker.binarised(st.counts(), NeighbourGraph.radius(st.x(), st.y(), 25), Kernel.gaussian(12.5));
    }

    @Test
    void aMisScaledPredictionIsFlaggedAndHalfTheTargetAgainstTheOtherIsNot() {
        DemoTissue d = DemoTissue.generate(0);
        DenseMatrix t = target(d);
        String[] genes = d.st().geneNames();
        int n = t.rows();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom r = new SplittableRandom(11);
        for (int i = n - 1; i > 0; i--) {
            int k = r.nextInt(i + 1), x = perm[i];
            perm[i] = perm[k];
            perm[k] = x;
        }
        DenseMatrix a = t.selectRows(java.util.Arrays.copyOf(perm, n / 2)),
                b = t.selectRows(java.util.Arrays.copyOfRange(perm, n / 2, n));
        Table quiet = Calibration.compare("st half", a, b, genes, 1);
        assertEquals(genes.length, quiet.rowCount());
        assertEquals(
                0,
                quiet.stringColumn("flagged").isEqualTo("yes").size(),
                quiet.where(quiet.stringColumn("flagged").isEqualTo("yes")).print());
        assertTrue(Calibration.warnings(quiet).isEmpty());
        for (double auc : quiet.doubleColumn("auc").asDoubleArray())
            assertEquals(0.5, auc, 0.05, "halves of one slide are not told apart by value");

        DenseMatrix bad =
                a.selectRows(java.util.stream.IntStream.range(0, a.rows()).toArray());
        float[] v = bad.data();
        for (int i = 0; i < v.length; i++) v[i] = v[i] * 0.3f + 0.5f;
        Table loud = Calibration.compare("sc", bad, b, genes, 1);
        int nonConstant = 0;
        for (int j = 0; j < genes.length; j++) if (Evaluation.sd(b.column(j)) > 0) nonConstant++;
        assertEquals(genes.length, loud.stringColumn("flagged").isEqualTo("yes").size(), "every gene is off scale");
        assertTrue(
                loud.stringColumn("reason").get(0).contains("SD ratio 0.30"),
                loud.stringColumn("reason").get(0));
        assertTrue(nonConstant > 50);
        Table both = quiet.copy().append(loud);
        Table s = Calibration.summary(both);
        assertEquals(2, s.rowCount());
        assertEquals(0, s.intColumn("flagged").getInt(0));
        assertEquals(genes.length, s.intColumn("flagged").getInt(1));
        assertEquals(0.3, s.doubleColumn("median_sd_ratio").getDouble(1), 0.01); // 0.3 x sd(half a) / sd(half b)
        var w = Calibration.warnings(both);
        assertEquals(1, w.size());
        assertTrue(w.get(0).startsWith(genes.length + " of " + genes.length + " predicted features on sc"), w.get(0));
    }

    @Test
    void aShiftOfTheMeanAloneIsFlaggedAndTheRuleNamesIt() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 2000;
        DenseMatrix t = new DenseMatrix(n, 1), p = new DenseMatrix(n, 1);
        for (int i = 0; i < n; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            t.set(i, 0, (float) (0.4 + 0.1 * g));
            p.set(i, 0, (float) (0.47 + 0.1 * g)); // 0.7 SD higher, same spread
        }
        Table c = Calibration.compare("sc", p, t, new String[] {"CXCR4"}, 3);
        assertEquals("yes", c.stringColumn("flagged").get(0));
        assertTrue(
                c.stringColumn("reason").get(0).startsWith("mean shifted by +0.7"),
                c.stringColumn("reason").get(0));
        assertEquals(0.7, c.doubleColumn("shift_sd").getDouble(0), 0.02);
    }
}
