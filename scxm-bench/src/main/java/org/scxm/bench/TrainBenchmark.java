package org.scxm.bench;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.scxm.data.DenseMatrix;
import org.scxm.model.BertConfig;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.model.Torch;
import org.scxm.model.TrainConfig;
import org.scxm.model.Trainer;
import org.scxm.model.TrainingData;
import org.scxm.tokenize.TokenBatch;

/**
 * `./scxm bench train [small|v2|memory|all] [steps] [device=auto|cpu|gpu:N] [seq=128,...] [batch=8]`: cells per second of full SCXM training steps
 * ({@link Trainer}: shared generated batch, 5 critic updates with the gradient penalty, one generator
 * update) for the demo's small encoder and for a Geneformer-V2-shaped encoder (12 layers, hidden 768,
 * 12 heads, intermediate 3072, last 4 blocks trainable) at reduced sequence length, next to the same
 * model and step in PyTorch (bench/train_reference.py) with the same thread count. `memory` runs
 * 2,000 steps of a tiny model and samples resident memory, which must stay flat. {@code device=} runs both
 * sides on that device (PyTorch's side as cuda:N for gpu:N); {@code seq=} and {@code batch=} reshape the V2
 * runs (bench/gpu-check.sh: seq=512,2048 on a GPU).
 */
public final class TrainBenchmark extends Benchmark {
    static final int VOCAB = 20275, PANEL = 200, WIDTH = 256, CRITIC = 5;

    public TrainBenchmark() {
        super(
                "train",
                "cells/s of full WGAN-GP training steps (small and Geneformer-V2-shaped encoders) vs PyTorch; RSS over 2,000 steps");
    }

    /** One benchmarked shape. */
    record Shape(String label, BertConfig bert, int trainable, int seq, int batch) {}

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        String which = args.word(0, "all");
        int steps = args.integer(1, 0);
        ai.djl.engine.Engine.getInstance(); // loads the native library before asking it anything
        ai.djl.Device device = Torch.device(args.option("device", "auto"));
        int threads = JniUtils.getNumThreads();
        out.printf(
                "device: %s (DJL %s, libtorch %s from %s); threads: %d intra-op on both sides%n",
                Torch.describe(device),
                ai.djl.engine.Engine.getDjlVersion(),
                ai.djl.engine.Engine.getInstance().getVersion(),
                System.getenv("PYTORCH_LIBRARY_PATH") != null ? "PYTORCH_LIBRARY_PATH" : "the Maven native jar",
                threads);
        int v2Batch = args.option("batch", 8);
        List<Shape> shapes = new ArrayList<>();
        if (which.equals("all") || which.equals("small"))
            shapes.add(new Shape(
                    "small (4 x 128, all trainable)",
                    new BertConfig(VOCAB, 128, 4, 4, 256, 256, 2, 1e-12, "relu", 0),
                    4,
                    256,
                    16));
        if (which.equals("all") || which.equals("v2"))
            for (String seq : args.option("seq", "128").split(","))
                shapes.add(new Shape(
                        "Geneformer-V2-shaped (12 x 768, last 4 trainable)",
                        new BertConfig(VOCAB, 768, 12, 12, 3072, 4096, 2, 1e-12, "relu", 0),
                        4,
                        Integer.parseInt(seq.trim()),
                        v2Batch));
        String py = Reference.pythonOrSkip(out, "torch");
        for (Shape s : shapes) {
            int n = steps > 0 ? steps : (s.bert().layers() > 4 ? 4 : 10), warm = 2;
            double ours = secondsPerStep(s, warm, n, device);
            out.printf(
                    "%s, seq %d, batch %d, %d critic steps, panel %d:%n", s.label(), s.seq(), s.batch(), CRITIC, PANEL);
            out.printf(
                    "  ours:      %.3f s/step = %.1f cells/s (%d steps after %d warm-up), peak RSS %.0f MiB%n",
                    ours, s.batch() / ours, n, warm, Reference.peakRssMiB());
            if (py == null) continue;
            BertConfig b = s.bert();
            String[] res = Reference.exec(List.of(
                            py,
                            root.resolve("bench/train_reference.py").toString(),
                            "" + b.layers(),
                            "" + b.hidden(),
                            "" + b.heads(),
                            "" + b.intermediate(),
                            "" + b.vocabSize(),
                            "" + s.seq(),
                            "" + s.batch(),
                            "" + PANEL,
                            "" + WIDTH,
                            "" + CRITIC,
                            "" + s.trainable(),
                            "" + n,
                            "" + warm,
                            "" + threads,
                            device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu"))
                    .trim()
                    .split("\\s+");
            double ref = Double.parseDouble(res[0]);
            out.printf(
                    "  PyTorch:   %.3f s/step = %.1f cells/s, peak %s %s MiB%n",
                    ref, s.batch() / ref, device.isGpu() ? "GPU memory" : "RSS", res[1]);
            out.printf(
                    "  ratio:     ours runs at %.2fx PyTorch's speed (%s)%n",
                    ref / ours, ours <= ref * 1.10 ? "within 10% or faster" : "slower by more than 10%");
        }
        if (which.equals("all") || which.equals("memory")) memory(steps > 0 ? steps : 2000, out);
    }

    static double secondsPerStep(Shape s, int warm, int n, ai.djl.Device device) {
        ScxmConfig cfg = new ScxmConfig(s.bert(), PANEL, s.trainable(), 2, 4, 5, WIDTH);
        try (ScxmModel model = new ScxmModel(cfg, 0, device)) {
            Trainer t =
                    new Trainer(model, new TrainConfig(1, warm + n, s.batch(), 1e-4, 1e-4, CRITIC, 10, 1, 1, 0, 0, 1));
            long[] start = new long[1];
            t.train(randomData(s.seq(), VOCAB, PANEL, 512, 512), (f, msg) -> {
                if (start[0] == 0 && Math.round(f * (warm + n)) == warm) start[0] = System.nanoTime();
            });
            return (System.nanoTime() - start[0]) / 1e9 / n;
        }
    }

    /** Resident memory of a long run of a tiny model: it must plateau (no per-step leak of native arrays). */
    static void memory(int steps, PrintStream out) throws IOException {
        BertConfig tiny = new BertConfig(1000, 64, 2, 4, 128, 64, 2, 1e-12, "relu", 0);
        try (ScxmModel model = new ScxmModel(new ScxmConfig(tiny, 60, 2, 2, 4, 5, 128), 0)) {
            Trainer t = new Trainer(model, new TrainConfig(1, steps, 32, 1e-4, 1e-4, CRITIC, 10, 1, 1, 0, 0, 1));
            StringBuilder samples = new StringBuilder();
            double[] first = new double[1], last = new double[1];
            int every = Math.max(1, steps / 8);
            long t0 = System.nanoTime();
            t.train(randomData(64, tiny.vocabSize(), 60, 2000, 2000), (f, msg) -> {
                int step = (int) Math.round(f * steps);
                if (step % every == 0) {
                    double rss = rssMiB();
                    if (step == every) first[0] = rss;
                    last[0] = rss;
                    samples.append(String.format(" %d:%.0f", step, rss));
                }
            });
            out.printf(
                    "memory: tiny model (2 x 64, panel 60, seq 64, batch 32), %d steps in %.0f s; RSS MiB at step:%s%n",
                    steps, (System.nanoTime() - t0) / 1e9, samples);
            out.printf(
                    "  growth after the first %d steps: %.0f MiB (%.3f MiB per step)%n",
                    every, last[0] - first[0], (last[0] - first[0]) / Math.max(1, steps - every));
        }
    }

    static double rssMiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("VmRSS")) return Long.parseLong(l.replaceAll("\\D+", "")) / 1024.0;
        } catch (IOException e) {
            /* not Linux */
        }
        return -1;
    }

    /** Random tokens (full-length sequences, no padding) and random panels of the benchmark's shapes. */
    static TrainingData randomData(int seq, int vocab, int panel, int nSc, int nSt) {
        Random r = new Random(11);
        int[][] seqs = new int[nSc][seq];
        for (int[] s : seqs) {
            s[0] = 2;
            for (int k = 1; k < seq; k++) s[k] = 4 + r.nextInt(vocab - 4);
        }
        DenseMatrix scPanel = new DenseMatrix(nSc, panel),
                stTarget = new DenseMatrix(nSt, panel),
                stPanel = new DenseMatrix(nSt, panel);
        for (int i = 0; i < scPanel.data().length; i++) scPanel.data()[i] = r.nextFloat() < 0.3f ? 1 : 0;
        for (int i = 0; i < stTarget.data().length; i++) {
            stTarget.data()[i] = r.nextFloat();
            stPanel.data()[i] = r.nextFloat() < 0.3f ? 1 : 0;
        }
        return new TrainingData(TokenBatch.fromRows(seqs), scPanel, stTarget, stPanel);
    }
}
