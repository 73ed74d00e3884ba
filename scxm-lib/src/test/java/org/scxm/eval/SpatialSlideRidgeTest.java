package org.scxm.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import org.scxm.testing.Python;

class SpatialSlideRidgeTest {

    /** numpy's closed-form ridge with an unpenalised intercept on [bits | log1p CP10k over the panel]. */
    static final String NUMPY_RIDGE = """
            import json, sys
            import numpy as np
            a = json.load(open(sys.argv[1]))
            def feats(c):
                c = np.asarray(c, dtype=np.float64)
                tot = c.sum(1, keepdims=True)
                cp = np.where(tot > 0, c / np.where(tot > 0, tot, 1) * 1e4, 0)
                return np.hstack([(c != 0).astype(np.float64), np.log1p(cp)])
            X, Y = feats(a["counts"]), np.asarray(a["target"], dtype=np.float64)
            mx, my = X.mean(0), Y.mean(0)
            Xc, Yc = X - mx, Y - my
            W = np.linalg.solve(Xc.T @ Xc + a["alpha"] * np.eye(X.shape[1]), Xc.T @ Yc)
            b = my - mx @ W
            print(json.dumps((feats(a["new"]) @ W + b).tolist()))
            """;

    static float[][] counts(Random r, int n, int g) {
        float[][] c = new float[n][g];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < g; j++) c[i][j] = r.nextDouble() < 0.4 ? 0 : r.nextInt(8);
            c[i][r.nextInt(g)] += 1; // no empty cell
        }
        return c;
    }

    @Test
    void fixedPenaltyFitMatchesNumpysClosedForm() throws Exception {
        String py = Python.require("numpy");
        Random r = new Random(1);
        int n = 120, g = 6, p = 4;
        float[][] c = counts(r, n, g), fresh = counts(r, 30, g);
        float[][] t = new float[n][p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) t[i][j] = r.nextFloat();
        double alpha = 3.5;
        SpatialSlideRidge.Fitted f =
                SpatialSlideRidge.fitWithPenalty(SparseMatrix.fromDense(c, g), PairedRidgeTest.dense(t), alpha);
        DenseMatrix got = f.predict(SparseMatrix.fromDense(fresh, g));
        Path in = Files.createTempFile("ridge", ".json"), script = Files.createTempFile("ridge", ".py");
        Files.writeString(in, new Gson().toJson(Map.of("counts", c, "target", t, "new", fresh, "alpha", alpha)));
        Files.writeString(script, NUMPY_RIDGE);
        float[][] want = PairedRidgeTest.rows(
                JsonParser.parseString(Python.run(py, script, in.toString())).getAsJsonArray());
        Files.delete(in);
        Files.delete(script);
        for (int i = 0; i < want.length; i++)
            for (int j = 0; j < p; j++) assertEquals(want[i][j], got.get(i, j), 1e-4, "cell " + i + " gene " + j);
    }

    @Test
    void crossValidationPicksASmallPenaltyForAnExactSignalAndALargeOneForNoisyManyFeatures() {
        Random r = new Random(2);
        // exact: the target is a linear function of the features, so the least penalty wins
        int n = 300, g = 5;
        float[][] c = counts(r, n, g);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextDouble() * 500;
        SparseMatrix m = SparseMatrix.fromDense(c, g);
        DenseMatrix exact = new DenseMatrix(n, 2);
        DenseMatrix feat = featureMatrix(m);
        for (int i = 0; i < n; i++) {
            exact.set(i, 0, 0.3f * feat.get(i, 0) + 0.1f * feat.get(i, g + 1));
            exact.set(i, 1, 0.05f * feat.get(i, g + 2) - 0.2f * feat.get(i, 3));
        }
        SpatialSlideRidge.Fitted e = SpatialSlideRidge.fit(m, x, exact);
        assertTrue(
                e.relativePenalty() <= 1e-4,
                "exact signal: " + e.crossValidation().print());
        assertTrue(e.cvScore() > 0.999, e.describe());
        // noisy, 60 features for 100 cells: the unpenalised fit chases noise out of stripe
        int n2 = 100, g2 = 30;
        float[][] c2 = counts(r, n2, g2);
        double[] x2 = new double[n2];
        for (int i = 0; i < n2; i++) x2[i] = r.nextDouble() * 500;
        SparseMatrix m2 = SparseMatrix.fromDense(c2, g2);
        DenseMatrix f2 = featureMatrix(m2);
        DenseMatrix noisy = new DenseMatrix(n2, 3);
        for (int i = 0; i < n2; i++)
            for (int j = 0; j < 3; j++) noisy.set(i, j, (float) (0.3 * f2.get(i, g2 + j) + r.nextGaussian()));
        SpatialSlideRidge.Fitted nf = SpatialSlideRidge.fit(m2, x2, noisy);
        assertTrue(
                nf.relativePenalty() >= 1e-2,
                "noisy, many features: " + nf.crossValidation().print());
        double smallest = nf.crossValidation().doubleColumn("cv_median_pearson").get(0);
        assertTrue(nf.cvScore() > smallest + 0.05, nf.crossValidation().print());
    }

    private static DenseMatrix featureMatrix(SparseMatrix m) {
        PairedRidge.Row[] f = SpatialSlideRidge.features(m);
        DenseMatrix d = new DenseMatrix(f.length, 2 * m.cols());
        for (int i = 0; i < f.length; i++)
            for (int k = 0; k < f[i].idx().length; k++) d.set(i, f[i].idx()[k], (float) f[i].val()[k]);
        return d;
    }

    @Test
    void anotherPanelIsOneClearSentence() {
        Random r = new Random(3);
        float[][] c = counts(r, 60, 4);
        double[] x = new double[60];
        for (int i = 0; i < 60; i++) x[i] = i;
        SpatialSlideRidge.Fitted f = SpatialSlideRidge.fit(SparseMatrix.fromDense(c, 4), x, PairedRidgeTest.dense(c));
        ScxmException e =
                assertThrows(ScxmException.class, () -> f.predict(SparseMatrix.fromDense(counts(r, 5, 3), 3)));
        assertTrue(e.getMessage().contains("same panel genes"), e.getMessage());
    }
}
