package org.scxm.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.data.DenseMatrix;
import org.scxm.testing.Python;
import tech.tablesaw.api.Table;

class CompositionEvaluationTest {
    /** Random non-negative rows, unnormalised, about a third of the entries zero, one row all zero. */
    static DenseMatrix rows(long seed, int n, int k) {
        SplittableRandom r = new SplittableRandom(seed);
        DenseMatrix m = new DenseMatrix(n, k);
        for (int i = 1; i < n; i++)
            for (int j = 0; j < k; j++) m.set(i, j, r.nextDouble() < 0.33 ? 0 : (float) (r.nextDouble() * 3));
        for (int i = 1; i < n; i++) if (m.row(i)[0] + m.row(i)[1] + m.row(i)[2] + m.row(i)[3] == 0) m.set(i, 0, 1);
        return m;
    }

    @Test
    void jensenShannonIsScipysSquaredBase2Distance(@TempDir Path dir) throws Exception {
        String py = Python.require("numpy", "scipy");
        int n = 40, k = 6;
        DenseMatrix p = rows(1, n, k), q = rows(2, n, k);
        p.set(3, 0, -0.2f); // a linear model's negative share counts as 0
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i < n; i++) { // row 0 (all zero) has no defined divergence
            for (int j = 0; j < k; j++) csv.append(Math.max(0, p.get(i, j))).append(',');
            for (int j = 0; j < k; j++) csv.append(q.get(i, j)).append(j < k - 1 ? "," : "\n");
        }
        Path data = dir.resolve("rows.csv"), script = dir.resolve("jsd.py");
        Files.writeString(data, csv);
        Files.writeString(script, """
                import sys, numpy as np
                from scipy.spatial.distance import jensenshannon
                a = np.loadtxt(sys.argv[1], delimiter=',', dtype=np.float64)
                k = a.shape[1] // 2
                for row in a:
                    print(repr(jensenshannon(row[:k], row[k:], base=2) ** 2))
                """);
        String[] want = Python.run(py, script, data.toString()).trim().split("\n");
        double[] got = CompositionEvaluation.jensenShannon(p, q);
        assertTrue(Double.isNaN(got[0]), "an all-zero row has no divergence");
        for (int i = 1; i < n; i++) assertEquals(Double.parseDouble(want[i - 1]), got[i], 1e-6, "row " + i);
        // extremes: identical rows 0, disjoint supports 1 bit
        assertEquals(0, CompositionEvaluation.jensenShannon(new float[] {1, 2, 0}, new float[] {2, 4, 0}), 1e-12);
        assertEquals(1, CompositionEvaluation.jensenShannon(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
    }

    @Test
    void perTypePearsonSummaryAndTheCellTypeMeanReference() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 500;
        String[] types = {"B cell", "T cell", "Other"};
        String[] cellTypes = new String[n];
        DenseMatrix truth = new DenseMatrix(n, 3), good = new DenseMatrix(n, 3);
        for (int i = 0; i < n; i++) {
            cellTypes[i] = types[i % 3];
            double b = r.nextDouble() * (i % 3 == 0 ? 0.8 : 0.3), t = r.nextDouble() * (1 - b);
            float[] row = {(float) b, (float) t, (float) (1 - b - t)};
            for (int j = 0; j < 3; j++) {
                truth.set(i, j, row[j]);
                good.set(i, j, (float) Math.max(0, row[j] + 0.05 * (r.nextDouble() - 0.5)));
            }
        }
        var scxm = CompositionEvaluation.evaluate("scxm", good, truth, types);
        var ref = CompositionEvaluation.evaluate(
                CompositionEvaluation.CELL_TYPE_MEAN,
                CompositionEvaluation.cellTypeMean(truth, cellTypes, cellTypes),
                truth,
                types);
        // per type, the Pearson of the type's column (textbook definition, computed here independently)
        for (int j = 0; j < 3; j++) {
            float[] a = good.column(j), b = truth.column(j);
            double ma = 0, mb = 0;
            for (int i = 0; i < n; i++) {
                ma += a[i] / n;
                mb += b[i] / n;
            }
            double sab = 0, saa = 0, sbb = 0;
            for (int i = 0; i < n; i++) {
                sab += (a[i] - ma) * (b[i] - mb);
                saa += (a[i] - ma) * (a[i] - ma);
                sbb += (b[i] - mb) * (b[i] - mb);
            }
            assertEquals(
                    sab / Math.sqrt(saa * sbb),
                    scxm.perType().doubleColumn("pearson").getDouble(j),
                    1e-6);
            assertEquals(types[j], scxm.perType().stringColumn("type").get(j));
        }
        Table s = CompositionEvaluation.summary(scxm, ref);
        assertEquals(2, s.rowCount());
        assertEquals(3, s.doubleColumn("types").getDouble(0));
        assertTrue(s.columnNames().containsAll(java.util.List.of("best_type", "mean_jsd", "median_jsd", "spread")));
        assertTrue(s.doubleColumn("median_pearson").getDouble(0) > 0.9);
        assertTrue(
                s.doubleColumn("median_jsd").getDouble(0)
                        < s.doubleColumn("median_jsd").getDouble(1),
                "a close prediction diverges less than the cell-type mean: " + s.print());
        // the cell-type mean of B cells' B share is the mean over B cells
        double mean = 0;
        int nb = 0;
        for (int i = 0; i < n; i += 3) {
            mean += truth.get(i, 0);
            nb++;
        }
        assertEquals(
                mean / nb,
                CompositionEvaluation.cellTypeMean(truth, cellTypes, new String[] {"B cell"})
                        .get(0, 0),
                1e-5);
        assertEquals(
                2 * n,
                CompositionEvaluation.perCell(java.util.List.of(scxm, ref)).rowCount());
    }
}
