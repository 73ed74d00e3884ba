package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.baseline.ScAct;
import org.scxm.baseline.ScConfluence;
import org.scxm.data.DenseMatrix;
import org.scxm.testing.Demo;
import org.scxm.tokenize.TokenBatch;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Workbench;

/**
 * The device option reaches every network: each parameter, gradient, minibatch and output of a model or
 * baseline built for a device lives there. CI has only the CPU; on a CUDA host the same checks run for
 * every GPU too (a tensor on the wrong device would also make the step itself fail in PyTorch).
 */
class DeviceTest {
    static final BertConfig TINY = new BertConfig(50, 16, 1, 2, 32, 16, 2, 1e-12, "relu", 0);

    /** The CPU, and every GPU PyTorch sees. */
    static List<Device> devices() {
        List<Device> d = new ArrayList<>(List.of(Device.cpu()));
        for (int i = 0; i < Torch.gpuCount(); i++) d.add(Device.gpu(i));
        return d;
    }

    @Test
    void deviceSettingsNameDevicesAndBadOnesAreOneSentence() {
        assertEquals(Device.cpu(), Torch.device("cpu"));
        assertEquals(Device.cpu(), Torch.device(" CPU "));
        assertEquals(Torch.gpuCount() > 0 ? Device.gpu(0) : Device.cpu(), Torch.device("auto"));
        assertEquals(Torch.device("auto"), Torch.device(null));
        for (String bad : new String[] {"tpu", "gpu:x", "gpu:-1", "cuda0", "cpu:1"}) {
            ScxmException e = assertThrows(ScxmException.class, () -> Torch.device(bad), bad);
            assertEquals(
                    "device '" + bad + "' is not auto, cpu, gpu or gpu:N (N a GPU index); fix scxm.device or device=.",
                    e.getMessage());
        }
        String missing = "gpu:" + Torch.gpuCount(); // one past the last GPU: refused before any native call
        ScxmException e = assertThrows(ScxmException.class, () -> Torch.device(missing));
        assertTrue(
                e.getMessage().startsWith("device " + missing + " asks for a GPU but PyTorch sees "), e.getMessage());
        if (Torch.gpuCount() == 0) assertThrows(ScxmException.class, () -> Torch.device("gpu"), "no GPU here");
    }

    @Test
    void cpuIsAcceptedOnEveryMachine() {
        assertDoesNotThrow(() -> Torch.threadReady("cpu", 0), "cpu on a GPU machine used to be refused");
        assertThrows(ScxmException.class, () -> Torch.threadReady("tpu", 0));
    }

    @Test
    void aModelsWeightsMinibatchesGradientsAndOutputsLiveOnItsDevice() {
        for (Device device : devices()) {
            try (ScxmModel model = new ScxmModel(new ScxmConfig(TINY, 6, 1, 2, 2, 2, 8), 0, device)) {
                assertEquals(device, model.device());
                List<Weights> all = List.of(
                        model.encoder().weights(), model.headWeights(), model.decoderWeights(), model.criticWeights());
                for (Weights w : all) allOn(device, w.all(), "parameter");
                TrainingData data = data(6, 40);
                Trainer t = new Trainer(model, new TrainConfig(1, 2, 4, 1e-3, 1e-3, 2, 10, 1, 1, 0, 1, 1));
                t.train(data, Progress.NONE);
                assertEquals(2, t.step());
                for (Weights w : all) allOn(device, w.all(), "trained parameter");
                try (NDScope scope = new NDScope()) {
                    for (String n : model.encoder().weights().trainableNames())
                        assertEquals(
                                device,
                                model.encoder().weights().get(n).getGradient().getDevice(),
                                "gradient of " + n);
                    assertEquals(
                            device,
                            Tensors.rows(model.manager(), data.stTarget(), new int[] {3, 1})
                                    .getDevice(),
                            "a panel minibatch");
                    NDArray[] in =
                            ScxmModel.inputs(model.manager(), data.scTokens().apply(new int[] {0, 1}));
                    assertEquals(device, in[0].getDevice(), "a token minibatch");
                    assertEquals(device, in[1].getDevice(), "its mask");
                    assertEquals(
                            device,
                            model.encode(data.scTokens().apply(new int[] {0, 1}))
                                    .getDevice(),
                            "the prediction");
                }
                for (Adam a : t.optimisers())
                    a.snapshot("").forEach((k, v) -> assertTrue(Float.isFinite(v.data()[0]), "optimiser state " + k));
                Predictor.Prediction p = Predictor.predict(
                        model,
                        List.of(data.scTokens().apply(new int[] {0, 1, 2})).iterator(),
                        3,
                        Progress.NONE);
                assertEquals(3, p.bulked().rows());
            }
        }
    }

    @Test
    void bothBaselinesTrainOnTheirDevice() {
        Random r = new Random(1);
        DenseMatrix expr = random(r, 30, 12),
                panel = random(r, 30, 6),
                target = random(r, 40, 6),
                stPanel = random(r, 40, 6);
        for (Device device : devices()) {
            try (ScConfluence m =
                    new ScConfluence(12, 6, new ScConfluence.Config(2, 8, 1e-3, 4, 8, 0.1, 0.05, 0.5, 0), device)) {
                assertEquals(device, m.device());
                allOn(device, m.parameters(), "scConfluence parameter");
                m.train(expr, panel, target, stPanel, Progress.NONE);
                allOn(device, m.parameters(), "trained scConfluence parameter");
                assertEquals(30, m.translate(expr).rows());
            }
            try (ScAct m = new ScAct(12, 6, new String[0], new ScAct.Config(2, 2, 8, 1e-3, 4, 3, 1, 1, 1, 0), device)) {
                assertEquals(device, m.device());
                allOn(device, m.parameters(), "scACT parameter");
                m.train(expr, new int[30], target, new int[40], Progress.NONE);
                allOn(device, m.parameters(), "trained scACT parameter");
                assertEquals(30, m.translate(expr).rows());
            }
        }
    }

    @Test
    void theModelVerbSaysWhichDeviceItUsesAndRefusesAnUnknownOne() {
        try (Workbench wb = Demo.tokenised(300, 32)) {
            Report auto = wb.model(Options.Model.small("m", 0).withShape(1, 16, 16, 1));
            String expected = Torch.gpuCount() > 0
                    ? "model 'm' on gpu:0 (auto: PyTorch sees "
                    : "model 'm' on cpu (auto: PyTorch sees no CUDA GPU)";
            assertTrue(auto.text().startsWith(expected), auto.text());
            Report cpu =
                    wb.model(Options.Model.small("c", 0).withShape(1, 16, 16, 1).withDevice("cpu"));
            assertTrue(cpu.text().startsWith("model 'c' on cpu: "), cpu.text());
            assertEquals(Device.cpu(), wb.modelEntry("c").model().device());
            assertEquals(Device.cpu(), wb.modelEntry("c").spec().device(), "fresh runs rebuild on the same device");
            ScxmException e = assertThrows(
                    ScxmException.class,
                    () -> wb.model(
                            Options.Model.small("t", 0).withShape(1, 16, 16, 1).withDevice("tpu")));
            assertTrue(e.getMessage().startsWith("device 'tpu' is not auto"), e.getMessage());
            assertFalse(wb.state().models().containsKey("t"), "a refused model is not built");
        }
    }

    private static void allOn(Device device, Map<String, NDArray> params, String what) {
        assertFalse(params.isEmpty());
        params.forEach((n, p) -> assertEquals(device, p.getDevice(), what + " " + n));
    }

    private static DenseMatrix random(Random r, int rows, int cols) {
        DenseMatrix m = new DenseMatrix(rows, cols);
        for (int i = 0; i < m.data().length; i++) m.data()[i] = r.nextFloat();
        return m;
    }

    /** Random full-length token sequences and panels: nSc scRNA cells, 40 spatial cells. */
    static TrainingData data(int panel, int nSc) {
        Random r = new Random(3);
        int len = 8;
        int[][] seqs = new int[nSc][len];
        for (int[] s : seqs) for (int k = 0; k < len; k++) s[k] = 4 + r.nextInt(TINY.vocabSize() - 4);
        return new TrainingData(
                TokenBatch.fromRows(seqs), random(r, nSc, panel), random(r, 40, panel), random(r, 40, panel));
    }
}
