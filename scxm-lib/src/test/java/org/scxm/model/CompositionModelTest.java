package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.data.DenseMatrix;

/** A neighbourhood composition as the model's target: K outputs on the simplex, the decoder reading the own type. */
class CompositionModelTest {
    static final int K = 3;

    static ScxmConfig composition() {
        return TrainerTest.toyConfig().withOwnPanel(true).withTarget(ScxmConfig.Target.COMPOSITION, K);
    }

    /** A random composition per spatial cell and a one-hot own type per cell; the last scRNA cells have no listed type. */
    static TrainingData toy(Random r) {
        TrainingData e = TrainerTest.toyData();
        int nSt = e.stCells(), nSc = e.scCells();
        DenseMatrix target = new DenseMatrix(nSt, K), stOwn = new DenseMatrix(nSt, K), scOwn = new DenseMatrix(nSc, K);
        for (int i = 0; i < nSt; i++) {
            double a = r.nextDouble(), b = r.nextDouble() * (1 - a);
            target.set(i, 0, (float) a);
            target.set(i, 1, (float) b);
            target.set(i, 2, (float) (1 - a - b));
            stOwn.set(i, r.nextInt(K), 1);
        }
        boolean[] listed = new boolean[nSc];
        for (int i = 0; i < nSc; i++) {
            listed[i] = i < nSc - 8;
            if (listed[i]) scOwn.set(i, r.nextInt(K), 1);
        }
        return new TrainingData(e.scTokens(), e.scPanel(), target, e.stPanel(), null, stOwn, scOwn, listed);
    }

    @Test
    void theHeadIsASoftmaxOverTheTypesAndItsOwnPanelMapStartsAtZero() {
        TrainingData d = toy(new Random(1));
        try (ScxmModel m = new ScxmModel(composition(), 3)) {
            for (float w : m.headWeights().get("head_own_panel.0.weight").toFloatArray())
                assertEquals(0f, w, "no pass-through of the panel's bits into a composition");
            int[] cells = IntStream.range(0, d.scCells()).toArray();
            Predictor.Prediction p = Predictor.predict(
                    m,
                    java.util.List.of(d.scTokens().apply(cells)).iterator(),
                    d.scPanel(),
                    cells.length,
                    false,
                    Progress.NONE);
            assertEquals(K, p.bulked().cols());
            assertEquals(K, p.decoded().cols());
            for (int i = 0; i < cells.length; i++) {
                double s = 0;
                for (int j = 0; j < K; j++) s += p.bulked().get(i, j);
                assertEquals(1, s, 1e-5);
            }
        }
    }

    @Test
    void cellsWithoutAListedTypeStayOutOfTheConsistencyTerm() {
        try (ScxmModel m = new ScxmModel(composition(), 3)) {
            var nd = m.manager();
            float[] pred = {0.2f, 0.3f, 0.5f, 0.6f, 0.2f, 0.2f, 0.1f, 0.1f, 0.8f, 1f, 0f, 0f};
            float[] own = {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
            NDArray p = Tensors.of(nd, pred, new Shape(4, K)), o = Tensors.of(nd, own, new Shape(4, K));
            NDArray w = Tensors.of(nd, new float[] {1, 0, 1, 0}, new Shape(4));
            float masked = Objective.consistency(m.decoder(), p, o, w).getFloat();
            float[] pl = {0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f};
            float[] ol = {1, 0, 0, 0, 0, 1};
            float listedOnly = Objective.consistency(
                            m.decoder(), Tensors.of(nd, pl, new Shape(2, K)), Tensors.of(nd, ol, new Shape(2, K)))
                    .getFloat();
            assertEquals(listedOnly, masked, 1e-6, "the mean over the listed cells alone");
            NDArray none = Tensors.of(nd, new float[4], new Shape(4));
            assertEquals(0f, Objective.consistency(m.decoder(), p, o, none).getFloat(), "a batch without one is 0");
        }
    }

    @Test
    void aCompositionModelTrainsToFiniteLosses() {
        TrainingData d = toy(new Random(2));
        try (ScxmModel m = new ScxmModel(composition(), 3)) {
            tech.tablesaw.api.Table losses = new Trainer(m, TrainerTest.toyTrain(4)).train(d, Progress.NONE);
            assertEquals(4, losses.rowCount());
            for (String c : new String[] {"critic", "st", "sc", "generator"})
                for (double v : losses.doubleColumn(c).asDoubleArray()) assertTrue(Double.isFinite(v), c + " " + v);
        }
    }
}
