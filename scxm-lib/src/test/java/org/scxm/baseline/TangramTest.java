package org.scxm.baseline;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import org.scxm.model.Tensors;
import org.scxm.testing.Python;

class TangramTest {
    static int threads;

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() { // tiny tensors: a second intra-op thread only adds synchronisation
        Engine.getInstance();
        threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    }

    @org.junit.jupiter.api.AfterAll
    static void restoreThreads() {
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /**
     * Tangram's objective written out in numpy (float64) from its definition, and its gradient by central
     * differences: the reference for the DJL objective and its autograd gradient.
     */
    static final String NUMPY_OBJECTIVE = """
            import json, sys
            import numpy as np
            a = json.load(open(sys.argv[1]))
            S, G = np.array(a["S"]), np.array(a["G"])
            d = np.array(a["d"]); ds = np.array(a["ds"]) if a["ds"] else None
            l1, l2, ld, lr = a["l1"], a["l2"], a["ld"], a["lr"]
            def cos(x, y, axis):
                return (x * y).sum(axis) / np.sqrt(np.maximum((x * x).sum(axis) * (y * y).sum(axis), 1e-16))
            def loss(M):
                e = np.exp(M - M.max(1, keepdims=True)); P = e / e.sum(1, keepdims=True)
                Gp = P.T @ S
                dp = np.log(ds @ P) if ds is not None else np.log(P.sum(0) / M.shape[0])
                kl = np.sum(np.where(d > 0, d * (np.log(np.where(d > 0, d, 1)) - dp), 0))
                return -(l1 * cos(Gp, G, 0).mean() + l2 * cos(Gp, G, 1).mean()) + ld * kl + lr * -(P * np.log(P)).sum()
            M = np.array(a["M"]); g = np.zeros_like(M); h = 1e-6
            for i in range(M.shape[0]):
                for j in range(M.shape[1]):
                    Mp = M.copy(); Mp[i, j] += h; Mm = M.copy(); Mm[i, j] -= h
                    g[i, j] = (loss(Mp) - loss(Mm)) / (2 * h)
            print(json.dumps({"loss": loss(M), "grad": g.tolist()}))
            """;

    static float[] flat(float[][] m) {
        float[] o = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, o, i * m[0].length, m[0].length);
        return o;
    }

    static float[][] random(Random r, int n, int g, double scale) {
        float[][] m = new float[n][g];
        for (int i = 0; i < n; i++) for (int j = 0; j < g; j++) m[i][j] = (float) (r.nextDouble() * scale);
        return m;
    }

    private static void checkAgainstNumpy(int rows, boolean clusters, int blockWidth, int nBlocks) throws Exception {
        String py = Python.require("numpy");
        Random r = new Random(rows);
        int spots = 7, genes = 4;
        float[][] s = random(r, rows, genes, 3), g = random(r, spots, genes, 3), m = random(r, rows, spots, 2);
        double[] d = new double[spots];
        double sum = 0;
        for (int i = 0; i < spots; i++) sum += d[i] = i == 2 ? 0 : r.nextDouble(); // one zero-density cell
        for (int i = 0; i < spots; i++) d[i] /= sum;
        double[] ds = null;
        if (clusters) {
            ds = new double[rows];
            double t = 0;
            for (int i = 0; i < rows; i++) t += ds[i] = 1 + r.nextInt(5);
            for (int i = 0; i < rows; i++) ds[i] /= t;
        }
        Tangram.Config cfg =
                new Tangram.Config(1, 0.1, 1.0, 0.5, 0.7, 0.3, Tangram.Density.RNA_COUNT_BASED, 1000, 10, 0);
        double loss;
        float[] grad;
        try (NDManager nm = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            TangramObjective prob =
                    new TangramObjective(nm, flat(s), rows, flat(g), spots, genes, d, ds, cfg, blockWidth * rows);
            int[] from = prob.blockStarts(spots);
            assertEquals(nBlocks, from.length - 1);
            NDArray[] blocks = new NDArray[from.length - 1];
            for (int b = 0; b < blocks.length; b++) {
                int w = from[b + 1] - from[b];
                float[] v = new float[rows * w];
                for (int i = 0; i < rows; i++) System.arraycopy(m[i], from[b], v, i * w, w);
                blocks[b] = Tensors.of(nm, v, new Shape(rows, w));
                blocks[b].setRequiresGradient(true);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = prob.terms(blocks)[0];
                gc.backward(l);
                loss = l.getFloat();
            }
            grad = new float[rows * spots];
            for (int b = 0; b < blocks.length; b++) {
                int w = from[b + 1] - from[b];
                float[] v = blocks[b].getGradient().toFloatArray();
                for (int i = 0; i < rows; i++) System.arraycopy(v, i * w, grad, i * spots + from[b], w);
            }
        }
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("S", s);
        in.put("G", g);
        in.put("M", m);
        in.put("d", d);
        in.put("ds", ds);
        in.put("l1", cfg.lambdaG1());
        in.put("l2", cfg.lambdaG2());
        in.put("ld", cfg.lambdaD());
        in.put("lr", cfg.lambdaR());
        Path file = Files.createTempFile("tangram", ".json"), script = Files.createTempFile("tangram", ".py");
        Files.writeString(
                file, new Gson().newBuilder().serializeNulls().create().toJson(in));
        Files.writeString(script, NUMPY_OBJECTIVE);
        JsonObject want =
                JsonParser.parseString(Python.run(py, script, file.toString())).getAsJsonObject();
        Files.delete(file);
        Files.delete(script);
        assertEquals(want.get("loss").getAsDouble(), loss, 1e-5 * Math.max(1, Math.abs(loss)));
        JsonArray wg = want.getAsJsonArray("grad");
        double maxAbs = 0;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < spots; j++)
                maxAbs = Math.max(
                        maxAbs, Math.abs(wg.get(i).getAsJsonArray().get(j).getAsDouble()));
        assertTrue(maxAbs > 1e-3, "a gradient worth checking");
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < spots; j++)
                assertEquals(
                        wg.get(i).getAsJsonArray().get(j).getAsDouble(),
                        grad[i * spots + j],
                        1e-4 * maxAbs + 1e-6,
                        "dL/dM[" + i + "," + j + "]");
    }

    @Test
    void objectiveAndAutogradGradientMatchNumpyWithEveryTerm() throws Exception {
        checkAgainstNumpy(5, false, 7, 1);
        checkAgainstNumpy(5, false, 3, 3); // column blocks of 3 + 3 + 1 slide cells: the softmax across blocks
    }

    @Test
    void clusterModeObjectiveMatchesNumpy() throws Exception {
        checkAgainstNumpy(3, true, 7, 1);
        checkAgainstNumpy(3, true, 4, 2);
    }

    @Test
    void cellsThatAreCopiesOfSlideCellsMapOntoThem() {
        // more genes than slide cells: P^T S = G has the permutation as its only row-stochastic solution
        Random r = new Random(11);
        int spots = 24, genes = 30;
        float[][] st = new float[spots][genes];
        for (int i = 0; i < spots; i++)
            for (int j = 0; j < genes; j++) st[i][j] = r.nextDouble() < 0.5 ? 0 : 1 + r.nextInt(9);
        int[] source = new int[spots];
        for (int i = 0; i < spots; i++) source[i] = i;
        for (int i = spots - 1; i > 0; i--) {
            int k = r.nextInt(i + 1), t = source[i];
            source[i] = source[k];
            source[k] = t;
        }
        float[][] sc = new float[spots][];
        for (int i = 0; i < spots; i++) sc[i] = st[source[i]].clone();
        DenseMatrix target = new DenseMatrix(spots, 3);
        for (int i = 0; i < spots; i++) for (int j = 0; j < 3; j++) target.set(i, j, r.nextFloat());
        Tangram.Config cfg = new Tangram.Config(1000, 0.1, 1, 0, 1, 0, Tangram.Density.UNIFORM, 50_000_000L, 1000, 0);
        try (Tangram t = new Tangram(SparseMatrix.fromDense(st, genes), target, cfg, ai.djl.Device.cpu())) {
            Tangram.Result res = t.map(SparseMatrix.fromDense(sc, genes), null, Progress.NONE);
            assertFalse(res.clustered());
            assertTrue(res.meanGeneCosine() > 0.99, "gene cosine " + res.meanGeneCosine());
            var losses = res.losses();
            assertEquals(1000, losses.rowCount());
            assertTrue(losses.doubleColumn("loss").get(999)
                    < losses.doubleColumn("loss").get(0));
            for (int i = 0; i < spots; i++) {
                float[] row = res.mapping().row(i);
                int arg = 0;
                for (int j = 1; j < spots; j++) if (row[j] > row[arg]) arg = j;
                assertEquals(source[i], arg, "cell " + i);
                assertTrue(row[arg] > 0.5, "cell " + i + " puts " + row[arg] + " on its slide cell");
                for (int j = 0; j < 3; j++)
                    assertEquals(target.get(source[i], j), res.prediction().get(i, j), 0.1, "cell " + i);
            }
        }
    }

    @Test
    void tooManyEntriesMapClustersAndACellReadsItsClustersRow() {
        Random r = new Random(4);
        int spots = 30, genes = 8, n = 60;
        float[][] st = random(r, spots, genes, 5), sc = random(r, n, genes, 5);
        DenseMatrix target = new DenseMatrix(spots, 2);
        for (int i = 0; i < spots; i++) for (int j = 0; j < 2; j++) target.set(i, j, r.nextFloat());
        Tangram.Config cfg = Tangram.Config.defaults().withEpochs(50).withMaxEntries(spots * 10L);
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) labels[i] = "type" + (i % 4);
        try (Tangram t = new Tangram(SparseMatrix.fromDense(st, genes), target, cfg, ai.djl.Device.cpu())) {
            Tangram.Result typed = t.map(SparseMatrix.fromDense(sc, genes), labels, Progress.NONE);
            assertTrue(typed.clustered());
            assertEquals(4, typed.mapping().rows());
            for (int i = 0; i < n; i++) {
                assertEquals(i % 4, typed.rowOf()[i]);
                for (int j = 0; j < 2; j++)
                    assertEquals(
                            typed.prediction().get(i % 4, j), typed.prediction().get(i, j));
            }
            // the mapping row times the slide's targets
            float[] row = typed.mapping().row(1);
            double want = 0;
            for (int s = 0; s < spots; s++) want += row[s] * target.get(s, 0);
            assertEquals(want, typed.prediction().get(1, 0), 1e-5);
            Tangram.Result kmeans = t.map(SparseMatrix.fromDense(sc, genes), null, Progress.NONE);
            assertTrue(kmeans.clustered());
            assertTrue(
                    kmeans.mapping().rows() <= 10 && kmeans.mapping().rows() > 1,
                    "" + kmeans.mapping().rows());
        }
    }
}
