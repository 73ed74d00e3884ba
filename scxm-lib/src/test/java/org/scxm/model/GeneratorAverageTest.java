package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.Progress;
import org.scxm.ScxmException;

/** train ema=D: the model ends holding the average of its steps; training itself, continuing and resuming are unchanged. */
class GeneratorAverageTest {
    static final double DECAY = 0.7;

    /** Every generator weight (encoder, then head), flattened. */
    static float[] generator(ScxmModel m) {
        List<float[]> parts = new ArrayList<>();
        for (Weights w : new Weights[] {m.encoder().weights(), m.headWeights()})
            for (String n : w.trainableNames()) parts.add(w.get(n).toFloatArray());
        int size = parts.stream().mapToInt(p -> p.length).sum(), at = 0;
        float[] all = new float[size];
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void theModelEndsHoldingTheBiasCorrectedAverageOfItsSteps() {
        int n = 5;
        List<float[]> raw = new ArrayList<>();
        double[] rawLosses;
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig(), 1)) {
            Trainer t = new Trainer(m, TrainerTest.toyTrain(1));
            for (int k = 0; k < n; k++) {
                if (k > 0) t.extend(1);
                t.train(TrainerTest.toyData(), Progress.NONE);
                raw.add(generator(m));
            }
            rawLosses = t.losses().doubleColumn("generator").asDoubleArray();
        }
        float[] expected = new float[raw.get(0).length];
        double norm = 1 - Math.pow(DECAY, n);
        for (int k = 0; k < n; k++) {
            double weight = (1 - DECAY) * Math.pow(DECAY, n - 1 - k) / norm;
            for (int i = 0; i < expected.length; i++) expected[i] += (float) (weight * raw.get(k)[i]);
        }
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig(), 1)) {
            Trainer t = new Trainer(m, TrainerTest.toyTrain(n).withEma(DECAY));
            double[] losses = t.train(TrainerTest.toyData(), Progress.NONE)
                    .doubleColumn("generator")
                    .asDoubleArray();
            assertArrayEquals(rawLosses, losses, 1e-6, "the average does not change training");
            float[] held = generator(m);
            assertArrayEquals(expected, held, 1e-5f);
            assertFalse(
                    java.util.Arrays.equals(raw.get(n - 1), held), "the model holds the average, not the last step");
        }
    }

    /** Three more steps of {@code t} give the straight run's generator losses and its averaged generator. */
    private static void threeMoreEqualTheStraightRun(
            Trainer t, ScxmModel m, double[] straightLosses, float[] straight, String how) {
        t.extend(3);
        double[] losses = t.train(TrainerTest.toyData(), Progress.NONE)
                .doubleColumn("generator")
                .asDoubleArray();
        assertArrayEquals(straightLosses, losses, 1e-6, how);
        assertArrayEquals(straight, generator(m), 1e-6f);
    }

    @Test
    void continuingInASessionOrFromACheckpointTrainsOnTheRawWeights(@TempDir Path dir) {
        TrainConfig six = TrainerTest.toyTrain(6).withEma(DECAY), three = six.withSteps(3);
        double[] straightLosses;
        float[] straight, afterThree;
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig(), 1)) {
            straightLosses = new Trainer(m, six)
                    .train(TrainerTest.toyData(), Progress.NONE)
                    .doubleColumn("generator")
                    .asDoubleArray();
            straight = generator(m);
        }
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig(), 1)) {
            Trainer t = new Trainer(m, three);
            t.train(TrainerTest.toyData(), Progress.NONE);
            afterThree = generator(m);
            Checkpoint.save(dir.resolve("ck"), t);
            threeMoreEqualTheStraightRun(t, m, straightLosses, straight, "continuing in the session");
        }
        Trainer resumed = Checkpoint.load(dir.resolve("ck"));
        try (ScxmModel m = resumed.model()) {
            assertArrayEquals(afterThree, generator(m), 0f, "a saved model holds the average it predicted with");
            threeMoreEqualTheStraightRun(resumed, m, straightLosses, straight, "continuing from the checkpoint");
        }
    }

    @Test
    void aDecayOfOneOrMoreIsRefusedInOneSentence() {
        ScxmException e =
                assertThrows(ScxmException.class, () -> TrainerTest.toyTrain(3).withEma(1));
        assertTrue(e.getMessage().startsWith("ema=1.0 must be 0"), e.getMessage());
    }
}
