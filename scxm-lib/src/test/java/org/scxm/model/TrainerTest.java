package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.Progress;
import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;
import tech.tablesaw.api.Table;

class TrainerTest {

    /** Small random problem: 64 sc cells with token sequences, 80 spatial cells, panel of 6. */
    static TrainingData toyData() {
        Random r = new Random(5);
        int nSc = 64, nSt = 80, p = 6, len = 12;
        int[][] seqs = new int[nSc][len];
        for (int[] s : seqs) {
            s[0] = 2;
            for (int k = 1; k < len; k++) s[k] = 4 + r.nextInt(40);
        }
        DenseMatrix scPanel = new DenseMatrix(nSc, p),
                stTarget = new DenseMatrix(nSt, p),
                stPanel = new DenseMatrix(nSt, p);
        for (int i = 0; i < nSc * p; i++) scPanel.data()[i] = r.nextBoolean() ? 1 : 0;
        for (int i = 0; i < nSt * p; i++) {
            stTarget.data()[i] = r.nextFloat();
            stPanel.data()[i] = r.nextBoolean() ? 1 : 0;
        }
        return new TrainingData(TokenBatch.fromRows(seqs), scPanel, stTarget, stPanel);
    }

    static ScxmConfig toyConfig() {
        return ScxmConfig.paper(new BertConfig(50, 16, 2, 2, 32, 16, 2, 1e-12, "relu", 0), 6);
    }

    /** One loss column of a fresh toy model (seed 1) trained for {@code steps} steps on {@link #toyData}. */
    static double[] toyLosses(int steps, String column) {
        try (ScxmModel m = new ScxmModel(toyConfig(), 1)) {
            return new Trainer(m, toyTrain(steps))
                    .train(toyData(), Progress.NONE)
                    .doubleColumn(column)
                    .asDoubleArray();
        }
    }

    static TrainConfig toyTrain(int steps) {
        return new TrainConfig(1, steps, 8, 1e-3, 1e-3, 2, 10, 1, 1, 7, 3, 1);
    }

    @Test
    void criticInputGradientMatchesFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager();
                ScxmModel model = new ScxmModel(toyConfig(), 3)) {
            Mlp critic = model.critic();
            float[] x = new float[6];
            Random r = new Random(1);
            for (int i = 0; i < 6; i++) x[i] = r.nextFloat();
            float[] g = critic.inputGradient(model.manager().create(x, new Shape(1, 6)))
                    .toFloatArray();
            for (int i = 0; i < 6; i++) {
                double h = 1e-2;
                float[] xp = x.clone(), xm = x.clone();
                xp[i] += h;
                xm[i] -= h;
                double fp = critic.forward(model.manager().create(xp, new Shape(1, 6)))
                        .getFloat();
                double fm = critic.forward(model.manager().create(xm, new Shape(1, 6)))
                        .getFloat();
                assertEquals((fp - fm) / (2 * h), g[i], 2e-3, "dD/dz_" + i);
            }
        }
    }

    @Test
    void gradientPenaltyTrainsTheCriticThroughTheGradientNorm() {
        // d/dW of (||dD/dz|| - 1)^2 by autograd through the analytic input gradient equals finite differences in W.
        try (ScxmModel model = new ScxmModel(toyConfig(), 4)) {
            Mlp critic = model.critic();
            NDManager m = model.manager();
            float[] x = new float[3 * 6];
            Random r = new Random(2);
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
            NDArray z = m.create(x, new Shape(3, 6));
            String name = "critic.0.weight";
            NDArray w = model.criticWeights().get(name);
            java.util.function.Supplier<NDArray> gp = () -> critic.inputGradient(z)
                    .square()
                    .sum(new int[] {1})
                    .sqrt()
                    .sub(1f)
                    .square()
                    .mean();
            float[] autograd;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(gp.get());
            }
            autograd = w.getGradient().toFloatArray();
            float[] w0 = w.toFloatArray();
            w.set(w0);
            double f0 = gp.get().getFloat();
            int checked = 0;
            for (int idx = 0; idx < w0.length && checked < 8; idx += 5) {
                double h = 2e-3;
                float[] wp = w0.clone(), wm = w0.clone();
                wp[idx] += h;
                wm[idx] -= h;
                w.set(wp);
                double fp = gp.get().getFloat();
                w.set(wm);
                double fm = gp.get().getFloat();
                w.set(w0);
                // a (leaky) ReLU kink between w-h and w+h makes the one-sided slopes disagree: skip those
                if (Math.abs((fp - f0) - (f0 - fm)) > 0.2 * Math.abs(fp - fm) + 1e-6) continue;
                assertEquals(
                        (fp - fm) / (2 * h),
                        autograd[idx],
                        1e-3 + 0.05 * Math.abs(autograd[idx]),
                        "dGP/dW[" + idx + "]");
                checked++;
            }
            assertTrue(checked >= 4, "only " + checked + " smooth coordinates checked");
            assertTrue(
                    java.util.Arrays.stream(new double[] {autograd[0], autograd[7], autograd[40]})
                            .anyMatch(v -> v != 0),
                    "the penalty reaches the weights");
        }
    }

    @Test
    void sameSeedSameLosses() {
        double[] a, b;
        a = toyLosses(4, "sc");
        b = toyLosses(4, "sc");
        assertArrayEquals(a, b);
        assertEquals(4, a.length);
    }

    @Test
    void weightsAndBatchesLiveInPyTorchsAlignedMemory() {
        // MKL's products can round differently when an operand moves modulo 64 bytes (seen on CI as a
        // last-bit difference between two same-seed runs); a Java direct buffer is only 16-byte aligned.
        try (ScxmModel model = new ScxmModel(toyConfig(), 1)) {
            int checked = 0;
            for (Weights w : new Weights[] {
                model.encoder().weights(), model.headWeights(), model.decoderWeights(), model.criticWeights()
            })
                for (var e : w.all().entrySet()) {
                    assertEquals(0, alignment(e.getValue()), e.getKey() + " is not 64-byte aligned");
                    checked++;
                }
            assertTrue(checked > 20, checked + " parameters");
            for (int n = 1; n <= 9; n++) {
                assertEquals(
                        0, alignment(Tensors.of(model.manager(), new float[n], new Shape(n))), "a float batch of " + n);
                assertEquals(
                        0, alignment(Tensors.of(model.manager(), new long[n], new Shape(n))), "a token batch of " + n);
            }
        }
    }

    private static int alignment(NDArray a) {
        return ((ai.djl.pytorch.engine.PtNDArray) a).toByteBuffer(true).alignmentOffset(0, 64);
    }

    @Test
    void anOccasionalNonFiniteStepIsSkippedAndTrainingGoesOn() {
        TrainingData d = toyData();
        // one scRNA cell with a NaN panel value: the batches that draw it have a NaN SC loss
        DenseMatrix scPanel = new DenseMatrix(d.scPanel().rows(), d.scPanel().cols());
        System.arraycopy(d.scPanel().data(), 0, scPanel.data(), 0, scPanel.data().length);
        scPanel.data()[3 * scPanel.cols()] = Float.NaN;
        TrainingData poisoned = new TrainingData(d.scTokens(), scPanel, d.stTarget(), d.stPanel());
        try (ScxmModel m = new ScxmModel(toyConfig(), 1)) {
            Trainer t = new Trainer(m, toyTrain(30));
            Table losses = t.train(poisoned, Progress.NONE);
            assertNull(t.stoppedEarly(), t.stoppedEarly());
            assertEquals(30, t.step());
            assertEquals(30, losses.rowCount(), "one row per applied step");
            assertTrue(t.skippedSteps() > 0, "some batches (8 of 64 cells) draw the poisoned cell");
            for (double v : losses.doubleColumn("sc").asDoubleArray()) assertTrue(Double.isFinite(v));
            for (float v : m.encode(d.scTokens().apply(new int[] {0, 1, 2})).toFloatArray())
                assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void aNonFiniteStepIsNotAppliedAndTrainingStopsWithASentence() {
        TrainingData data = toyData();
        // lambda_sc = 1e39 overflows float: the generator's gradient is infinite on the first step
        TrainConfig exploding = new TrainConfig(1, 4, 8, 1e-3, 1e-3, 2, 10, 1, 1e39, 7, 3, 1);
        try (ScxmModel m = new ScxmModel(toyConfig(), 1)) {
            float[] before =
                    m.encode(data.scTokens().apply(new int[] {0, 1, 2})).toFloatArray();
            Trainer t = new Trainer(m, exploding);
            assertEquals(0, t.train(data, Progress.NONE).rowCount());
            assertEquals(0, t.step());
            assertTrue(
                    t.stoppedEarly()
                            .startsWith(
                                    "training stopped at step 1 of 4: the generator's loss or gradient became NaN or infinite"),
                    t.stoppedEarly());
            assertTrue(t.stoppedEarly().contains("NaN or infinite 5 times in a row"), t.stoppedEarly());
            assertEquals(Trainer.MAX_NON_FINITE_IN_A_ROW, t.skippedSteps());
            assertTrue(
                    t.stoppedEarly().contains("(Non-finite: the gradients of ")
                            && t.stoppedEarly().contains(" tensors, first embeddings.word_embeddings.weight.)"),
                    t.stoppedEarly());
            float[] after = m.encode(data.scTokens().apply(new int[] {0, 1, 2})).toFloatArray();
            assertArrayEquals(before, after, "the encoder keeps its weights");
            for (float v : after) assertTrue(Float.isFinite(v));
        }
        try (ScxmModel m = new ScxmModel(toyConfig(), 1)) {
            Trainer t = new Trainer(m, toyTrain(2));
            t.train(data, Progress.NONE);
            assertNull(t.stoppedEarly(), "an ordinary run says nothing");
        }
    }

    @Test
    void extendingARunEqualsOneLongerRun() {
        double[] straight, extended;
        straight = toyLosses(4, "critic");
        try (ScxmModel m = new ScxmModel(toyConfig(), 1)) {
            Trainer t = new Trainer(m, toyTrain(2));
            t.train(toyData(), Progress.NONE);
            t.extend(2);
            extended = t.train(toyData(), Progress.NONE).doubleColumn("critic").asDoubleArray();
        }
        assertArrayEquals(straight, extended);
    }

    @Test
    void resumingFromACheckpointContinuesExactly(@TempDir Path dir) {
        double[] straight;
        straight = toyLosses(6, "generator");
        try (ScxmModel m = new ScxmModel(toyConfig(), 1)) {
            Trainer first = new Trainer(m, toyTrain(6));
            assertThrows(
                    Progress.Cancelled.class,
                    () -> first.train(toyData(), (f, msg) -> {
                        if (f >= 0.5) throw new Progress.Cancelled();
                    }));
            assertEquals(3, first.step(), "cancel stops after a whole step");
            Checkpoint.save(dir.resolve("ck"), first);
            Checkpoint.save(dir.resolve("ck"), first); // overwriting keeps one valid folder
        }
        assertTrue(Files.isRegularFile(dir.resolve("ck/weights.safetensors")));
        Trainer resumed = Checkpoint.load(dir.resolve("ck"));
        try (ScxmModel ignored = resumed.model()) {
            double[] both = resumed.train(toyData(), Progress.NONE)
                    .doubleColumn("generator")
                    .asDoubleArray();
            assertArrayEquals(straight, both, 1e-6);
        }
        // a save that died between its renames: the previous checkpoint survives under its hidden name and still loads
        try {
            Files.move(dir.resolve("ck"), dir.resolve(".ck.old-12345"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Trainer recovered = Checkpoint.load(dir.resolve("ck"));
        try (ScxmModel ignored = recovered.model()) {
            assertEquals(3, recovered.step());
        }
        org.scxm.ScxmException e =
                assertThrows(org.scxm.ScxmException.class, () -> Checkpoint.load(dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("is not an SCXM checkpoint"), e.getMessage());
    }
}
