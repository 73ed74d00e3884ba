package org.scxm.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;

/** Against scikit-learn's Ridge run through the same stripes and penalty choice (make_ridge_fixture.py). */
class PairedRidgeTest {

    static float[][] rows(JsonArray a) {
        float[][] m = new float[a.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonArray r = a.get(i).getAsJsonArray();
            m[i] = new float[r.size()];
            for (int j = 0; j < m[i].length; j++) m[i][j] = r.get(j).getAsFloat();
        }
        return m;
    }

    static DenseMatrix dense(float[][] m) {
        DenseMatrix d = new DenseMatrix(m.length, m[0].length);
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[0].length; j++) d.set(i, j, m[i][j]);
        return d;
    }

    @Test
    void crossValidatedPredictionsMatchScikitLearn() throws Exception {
        JsonObject f = JsonParser.parseString(Files.readString(Path.of("src/test/resources/eval/ridge_fixture.json")))
                .getAsJsonObject();
        float[][] counts = rows(f.getAsJsonArray("counts"));
        JsonArray xs = f.getAsJsonArray("x");
        double[] x = new double[xs.size()];
        for (int i = 0; i < x.length; i++) x[i] = xs.get(i).getAsDouble();
        DenseMatrix target = dense(rows(f.getAsJsonArray("target")));
        float[][] expected = rows(f.getAsJsonArray("expected"));
        DenseMatrix got = PairedRidge.predict(SparseMatrix.fromDense(counts, counts[0].length), x, target, 5);
        for (int i = 0; i < expected.length; i++)
            for (int j = 0; j < expected[0].length; j++)
                assertEquals(expected[i][j], got.get(i, j), 1e-4, "cell " + i + " gene " + j);
    }

    @Test
    void noLeakOnATargetTheExpressionCannotExplain() {
        // Pure noise targets: fitted and scored on the same cells a ridge would correlate (~sqrt(d/n));
        // predicted stripe by stripe it must not.
        Random r = new Random(3);
        int n = 400, g = 40, p = 6;
        float[][] counts = new float[n][g];
        double[] x = new double[n];
        DenseMatrix target = new DenseMatrix(n, p);
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() * 1000;
            for (int j = 0; j < g; j++) counts[i][j] = r.nextInt(6);
            counts[i][0] += 1;
            for (int j = 0; j < p; j++) target.set(i, j, (float) r.nextGaussian());
        }
        DenseMatrix pred = PairedRidge.predict(SparseMatrix.fromDense(counts, g), x, target, 5);
        for (int j = 0; j < p; j++)
            assertTrue(
                    Correlation.pearson(pred.column(j), target.column(j)) < 0.15,
                    "gene " + j + " leaks: " + Correlation.pearson(pred.column(j), target.column(j)));
    }

    @Test
    void tooFewCellsIsOneClearSentence() {
        DenseMatrix t = new DenseMatrix(20, 2);
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> PairedRidge.predict(SparseMatrix.fromDense(new float[20][3], 3), new double[20], t, 5));
        assertTrue(e.getMessage().contains("10 cells per stripe"), e.getMessage());
    }
}
