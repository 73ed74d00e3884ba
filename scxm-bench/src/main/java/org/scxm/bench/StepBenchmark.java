package org.scxm.bench;

import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.scxm.model.BertConfig;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.model.Torch;
import org.scxm.model.TrainConfig;
import org.scxm.model.Trainer;
import org.scxm.model.TrainingData;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Role;
import org.scxm.workbench.Workbench;

/**
 * `./scxm bench step [CELLS,CELLS,...] [rounds] [steps per turn] [threads] [max_length]`: seconds per training step on the demo
 * tissue at several sizes (default 4,000, 12,000 and 100,000 cells, built through the Workbench verbs:
 * load demo, harmonise, bulk, tokenize vocab=data max_length=256, or the fifth argument) with one model (the quickstart's:
 * 2 x 128, width 256, last 2 blocks trainable), batch 32 and 5 critic steps. A step must not cost more
 * because the slides hold more cells. On a shared machine the load drifts by more than the effect being
 * measured, so the sizes take turns within one process, round after round (each round starting at the next size),
 * and each size's median
 * round is reported, in wall time and in the CPU time of the training thread. By default PyTorch computes
 * on that one thread (threads = 1), so its CPU time is the step's own work, whatever else holds the cores;
 * the verdict uses it. (With more threads, waiting threads spin and CPU time follows the load too.) Each
 * size's mean padded length over the measured steps is printed: batches are padded to their longest cell,
 * so a step's cost also varies with which cells it drew.
 */
public final class StepBenchmark extends Benchmark {
    static final int BATCH = 32;

    public StepBenchmark() {
        super(
                "step",
                "s/step of the quickstart model on demo tissues of 4k, 12k and 100k cells (same model, batch, max_length): flat in the data size");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        int[] sizes = args.integers(0, 4000, 12000, 100000);
        int rounds = args.integer(1, 8), per = args.integer(2, 1), threads = args.integer(3, 1);
        // max_length 64: every demo cell fills all 64 positions, so every size pads to the same length and a step's
        // cost cannot differ by which cells it drew
        int maxLength = args.integer(4, 256);
        Torch.threadReady("auto", threads);
        List<Workbench> wbs = new ArrayList<>();
        try {
            TrainingData[] data = new TrainingData[sizes.length];
            long[][] seen = new long[sizes.length][];
            int vocab = 0;
            for (int i = 0; i < sizes.length; i++) {
                long t0 = System.nanoTime();
                Workbench wb = new Workbench(new Workbench.Settings(0, "auto", 0));
                wbs.add(wb);
                wb.loadDemo(Options.Demo.of(0).withCells(sizes[i]));
                wb.harmonise(Options.Harmonise.defaults());
                wb.bulk(Options.Bulk.defaults());
                wb.tokenize(Options.Tokenize.fromData(maxLength));
                DatasetState sc = wb.harmonisedDataset(Role.SC), st = wb.harmonisedDataset(Role.ST);
                RankValueEncoder enc = wb.encoder(sc);
                GeneformerVocabulary v = wb.state().tokens().vocabulary();
                vocab = Math.max(vocab, v.size());
                long[] tokens = seen[i] = new long[2];
                data[i] = new TrainingData(
                        cells -> { // counts the padded lengths the encoder reads
                            var b = enc.batch(cells);
                            tokens[0] += b.length();
                            tokens[1]++;
                            return b;
                        },
                        sc.binarised(),
                        st.target(),
                        st.binarised());
                out.printf(
                        Locale.ROOT,
                        "%,d cells: %,d scRNA and %,d spatial cells after harmonise, mean padded length of a batch %.1f tokens (prepared in %.0f s)%n",
                        sizes[i],
                        sc.nCells(),
                        st.nCells(),
                        meanLength(data[i], 50),
                        (System.nanoTime() - t0) / 1e9);
            }
            BertConfig small = BertConfig.small(vocab, maxLength);
            BertConfig bert = new BertConfig(
                    small.vocabSize(),
                    128,
                    2,
                    small.heads(),
                    256,
                    small.maxPositions(),
                    small.typeVocabSize(),
                    small.layerNormEps(),
                    small.hiddenAct(),
                    small.padTokenId());
            ScxmConfig paper = ScxmConfig.paper(bert, data[0].panel());
            ScxmConfig cfg = new ScxmConfig(
                    bert, paper.panel(), 2, paper.headLayers(), paper.decoderLayers(), paper.criticLayers(), 256);
            try (ScxmModel model = new ScxmModel(cfg, 0, Torch.device("auto"))) {
                out.printf(
                        Locale.ROOT,
                        "model on %s, %d intra-op threads: %s; batch %d, 5 critic steps, max_length %d; %d rounds of %d steps per size, sizes in turn%n",
                        Torch.describe(model.device()),
                        JniUtils.getNumThreads(),
                        model.describe(),
                        BATCH,
                        maxLength,
                        rounds,
                        per);
                Trainer[] trainers = new Trainer[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    trainers[i] = new Trainer(
                            model, new TrainConfig(1, Integer.MAX_VALUE, BATCH, 1.5e-3, 1e-4, 5, 10, 1, 10, 0, 0, 1));
                    trainers[i].step(data[i]); // warm-up: first-call allocations
                }
                java.lang.management.ThreadMXBean os = java.lang.management.ManagementFactory.getThreadMXBean();
                double[][] wall = new double[sizes.length][rounds],
                        cpu = new double[sizes.length][rounds],
                        alloc = new double[sizes.length][rounds];
                // bytes the training thread allocates on the Java heap: the Java side's own work (sampling, token
                // batches, panel rows), which the load of a shared machine does not change
                com.sun.management.ThreadMXBean heap = (com.sun.management.ThreadMXBean) os;
                for (long[] c : seen) Arrays.fill(c, 0);
                for (int r = 0; r < rounds; r++)
                    for (int j = 0; j < sizes.length; j++) {
                        // each round starts at the next size: whichever goes first after a switch pays for it (caches,
                        // the collector), and a fixed order would charge that to the smallest size every round
                        int i = (j + r) % sizes.length;
                        long t0 = System.nanoTime(),
                                c0 = os.getCurrentThreadCpuTime(),
                                a0 = heap.getCurrentThreadAllocatedBytes();
                        for (int k = 0; k < per; k++) trainers[i].step(data[i]);
                        alloc[i][r] = (heap.getCurrentThreadAllocatedBytes() - a0) / (double) per;
                        wall[i][r] = (System.nanoTime() - t0) / 1e9 / per;
                        cpu[i][r] = (os.getCurrentThreadCpuTime() - c0) / 1e9 / per;
                    }
                double baseWall = Reference.median(wall[0]), baseCpu = Reference.median(cpu[0]), worst = 0;
                for (int i = 0; i < sizes.length; i++) {
                    double w = Reference.median(wall[i]), c = Reference.median(cpu[i]);
                    worst = Math.max(worst, Math.abs(c / baseCpu - 1));
                    out.printf(
                            Locale.ROOT,
                            "  %,9d cells: %.3f s/step wall (%.2fx), %.3f s/step thread CPU (%.2fx the %,d-cell step), Java heap %.2f MB/step (%.2fx), mean padded length %.1f; thread CPU per round %s%n",
                            sizes[i],
                            w,
                            w / baseWall,
                            c,
                            c / baseCpu,
                            sizes[0],
                            Reference.median(alloc[i]) / 1e6,
                            Reference.median(alloc[i]) / Reference.median(alloc[0]),
                            seen[i][0] / (double) Math.max(1, seen[i][1]),
                            Arrays.toString(Arrays.stream(cpu[i])
                                    .map(x -> Math.round(x * 100) / 100.0)
                                    .toArray()));
                }
                out.printf(
                        Locale.ROOT,
                        "  CPU time per step differs from the %,d-cell one by at most %.0f%% (%s)%n",
                        sizes[0],
                        100 * worst,
                        worst <= 0.10 ? "flat within 10%" : "NOT flat within 10%");
            }
        } finally {
            wbs.forEach(Workbench::close);
        }
    }

    /** Mean padded length of random batches: tokens per sequence the encoder actually processes. */
    static double meanLength(TrainingData d, int batches) {
        Random r = new Random(5);
        long sum = 0;
        for (int b = 0; b < batches; b++) {
            int[] cells = new int[BATCH];
            for (int k = 0; k < cells.length; k++) cells[k] = r.nextInt(d.scCells());
            sum += d.scTokens().apply(cells).length();
        }
        return sum / (double) batches;
    }
}
