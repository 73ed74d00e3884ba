package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;

/** The extensions beyond the paper's objective: a head that also reads the cell's own panel, and L_pair. */
class OwnPanelTest {
    static final int P = 6, LEN = 12, N_ST = 200;

    /** The spatial slide's target follows its cells' own bits (0.15 + 0.7·y), and its tokens carry nothing. */
    static TrainingData pairedSlide(Random r) {
        TrainingData toy = TrainerTest.toyData();
        DenseMatrix stPanel = new DenseMatrix(N_ST, P), stTarget = new DenseMatrix(N_ST, P);
        for (int i = 0; i < N_ST * P; i++) {
            stPanel.data()[i] = r.nextBoolean() ? 1 : 0;
            stTarget.data()[i] = 0.15f + 0.7f * stPanel.data()[i];
        }
        return new TrainingData(toy.scTokens(), toy.scPanel(), stTarget, stPanel, cells -> {
            int[] ids = new int[cells.length * LEN], mask = new int[ids.length];
            for (int k = 0; k < cells.length; k++) ids[k * LEN] = 2; // <cls>, then padding: tokens say nothing
            for (int k = 0; k < cells.length; k++) mask[k * LEN] = 1;
            return new TokenBatch(cells, LEN, ids, mask);
        });
    }

    static double pairError(ScxmModel m, TrainingData d) {
        int[] cells = IntStream.range(0, N_ST).toArray();
        float[] z = m.encode(d.stTokens().apply(cells), d.stPanel()).toFloatArray();
        double s = 0;
        for (int i = 0; i < z.length; i++) s += Math.pow(z[i] - d.stTarget().data()[i], 2);
        return s / z.length;
    }

    @Test
    void theOwnPanelHeadReadsTheCellsBitsAndNeedsThem() {
        TrainingData d = pairedSlide(new Random(1));
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig().withOwnPanel(true), 3)) {
            TokenBatch one = d.stTokens().apply(new int[] {0});
            ScxmException e = assertThrows(ScxmException.class, () -> m.encode(one, null));
            assertTrue(e.getMessage().contains("own binarised panel"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> m.encode(one));
            DenseMatrix flipped = new DenseMatrix(N_ST, P);
            System.arraycopy(d.stPanel().data(), 0, flipped.data(), 0, flipped.data().length);
            for (int j = 0; j < P; j++) flipped.data()[j] = 1 - flipped.data()[j];
            assertFalse(
                    java.util.Arrays.equals(
                            m.encode(one, d.stPanel()).toFloatArray(),
                            m.encode(one, flipped).toFloatArray()),
                    "the same tokens with other bits give another prediction");
        }
    }

    @Test
    void lPairFitsTheSpatialSlidesOwnTargetsThroughTheOwnPanelHead() {
        TrainingData d = pairedSlide(new Random(2));
        TrainConfig base = new TrainConfig(1, 80, 16, 3e-3, 1e-3, 1, 10, 1, 1, 7, 3, 1);
        TrainConfig paired = base.withLambdaPair(10);
        double before, paper, withPairs;
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig().withOwnPanel(true), 3)) {
            before = pairError(m, d);
            assertTrue(
                    java.util.Arrays.stream(new Trainer(m, base)
                                    .train(d, Progress.NONE)
                                    .doubleColumn("pair")
                                    .asDoubleArray())
                            .allMatch(Double::isNaN),
                    "without L_pair its column is empty (NaN)");
            paper = pairError(m, d);
        }
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig().withOwnPanel(true), 3)) {
            tech.tablesaw.api.Table losses = new Trainer(m, paired).train(d, Progress.NONE);
            withPairs = pairError(m, d);
            double[] pair = losses.doubleColumn("pair").asDoubleArray();
            assertTrue(java.util.Arrays.stream(pair).allMatch(Double::isFinite), "every step logs its L_pair");
            assertTrue(pair[pair.length - 1] < pair[0], "and it falls: " + pair[0] + " -> " + pair[pair.length - 1]);
        }
        // the tokens say nothing, so only the own-panel path can fit 0.15 + 0.7·y (error 0 at best; a constant 0.245)
        assertTrue(
                withPairs < 0.02, "L_pair fits the slide's own targets: mse " + withPairs + " (before " + before + ")");
        assertTrue(withPairs < paper / 3, "and far better than without it: " + withPairs + " vs " + paper);
    }

    @Test
    void lPairWithoutTheSlidesTokensSaysWhatToDo() {
        TrainingData toy = TrainerTest.toyData();
        TrainConfig paired = new TrainConfig(1, 2, 8, 1e-3, 1e-3, 1, 10, 1, 1, 7, 0, 1, 1, 0);
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig(), 3)) {
            ScxmException e = assertThrows(ScxmException.class, () -> new Trainer(m, paired).train(toy, Progress.NONE));
            assertTrue(e.getMessage().contains("tokenize the spatial slide"), e.getMessage());
        }
    }

    @Test
    void theOwnPanelFlagSurvivesTheConfigsJson() {
        ScxmConfig c = TrainerTest.toyConfig().withOwnPanel(true);
        assertEquals(c, ScxmConfig.fromJson(c.toJson()));
        ScxmConfig paper = TrainerTest.toyConfig();
        com.google.gson.JsonObject old = paper.toJson();
        old.remove("ownPanel"); // a checkpoint saved before the flag existed
        assertEquals(paper, ScxmConfig.fromJson(old));
    }
}
