package org.scxm.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.model.BertEncoder;
import org.scxm.model.Pretrainer;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;

/**
 * `./scxm bench pretrain [read|step|all] [steps]`.
 * read: a random Geneformer-V2-104M-shaped BertForMaskedLM checkpoint (12 x 768, vocabulary 20,275, 4,096
 * positions; ~420 MB) written by PyTorch (bench/make_checkpoint.py) as pytorch_model.bin and model.safetensors,
 * loaded into the encoder from each file: seconds and resident memory, beside torch.load of the same .bin
 * (bench/read_reference.py).
 * step: seconds per masked-gene pretraining step ({@link Pretrainer}) for a small and a V2-shaped model, beside the
 * same step in PyTorch (bench/pretrain_reference.py) with the same thread count.
 */
public final class PretrainBenchmark extends Benchmark {
    static final int VOCAB = 20275;

    public PretrainBenchmark() {
        super(
                "pretrain",
                "reading a V2-104M-shaped checkpoint (.bin and .safetensors) vs torch.load; pretraining step time vs PyTorch");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        String which = args.word(0, "all");
        int steps = args.integer(1, 0);
        ai.djl.engine.Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        out.printf(
                "threads: %d intra-op on both sides (set with OMP_NUM_THREADS or the interpreter's threads setting)%n",
                threads);
        String py = Reference.pythonOrSkip(out, "torch");
        if (which.equals("all") || which.equals("read")) read(root, py, threads, out);
        if (which.equals("all") || which.equals("step")) step(root, py, threads, steps, out);
    }

    /** Loads the checkpoint from each format into a fresh encoder, sampling resident memory meanwhile. */
    static void read(Path root, String py, int threads, PrintStream out) throws Exception {
        if (py == null) {
            out.println("read: needs python3-torch to write the checkpoint; skipped.");
            return;
        }
        Path dir = Files.createTempDirectory("scxm-bench-ckpt");
        try {
            long t0 = System.nanoTime();
            String params = Reference.exec(List.of(
                            py,
                            root.resolve("bench/make_checkpoint.py").toString(),
                            dir.toString(),
                            "12",
                            "768",
                            "12",
                            "3072",
                            "" + VOCAB,
                            "4096"))
                    .trim();
            out.printf(
                    "checkpoint: V2-104M-shaped BertForMaskedLM, %,d parameters; pytorch_model.bin %.0f MB, model.safetensors %.0f MB (written by PyTorch in %.0f s)%n",
                    Long.parseLong(params),
                    Files.size(dir.resolve("pytorch_model.bin")) / 1e6,
                    Files.size(dir.resolve("model.safetensors")) / 1e6,
                    (System.nanoTime() - t0) / 1e9);
            for (String file : new String[] {"model.safetensors", "pytorch_model.bin"}) {
                Path one = Files.createDirectories(dir.resolve("only-" + file));
                Files.copy(dir.resolve("config.json"), one.resolve("config.json"));
                Files.createLink(one.resolve(file), dir.resolve(file));
                // a fresh JVM per format, so its peak resident memory is this read's alone (page cache warm from
                // writing)
                String java = ProcessHandle.current().info().command().orElse("java");
                String[] res = Reference.exec(List.of(
                                java,
                                "-Dai.djl.offline=true",
                                "--enable-native-access=ALL-UNNAMED",
                                "-Xmx" + Runtime.getRuntime().maxMemory() / (1 << 20) + "m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                PretrainBenchmark.class.getName(),
                                one.toString(),
                                "" + threads))
                        .trim()
                        .split("\\s+");
                out.printf(
                        "  ours, %-18s %s s into the encoder (%s tensors); resident memory %s MiB before (JVM + libtorch), %s MiB at peak%n",
                        file + ":", res[0], res[1], res[2], res[3]);
            }
            String[] res = Reference.exec(List.of(
                            py,
                            root.resolve("bench/read_reference.py").toString(),
                            dir.resolve("pytorch_model.bin").toString(),
                            "" + threads))
                    .trim()
                    .split("\\s+");
            out.printf(
                    "  PyTorch, torch.load(pytorch_model.bin): %s s, peak RSS %s MiB (whole process, %s tensors)%n",
                    res[0], res[1], res[2]);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /** Child process of {@link #read}: loads one folder into an encoder; prints seconds, tensors, RSS before and peak RSS (MiB). */
    public static void main(String[] args) {
        ai.djl.engine.Engine.getInstance();
        JniUtils.setNumThreads(Integer.parseInt(args[1]));
        double before = TrainBenchmark.rssMiB();
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder e = BertEncoder.load(Path.of(args[0]), m);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    java.util.Locale.ROOT,
                    "%.2f %d %.0f %.0f%n",
                    secs,
                    e.weights().all().size(),
                    before,
                    Reference.peakRssMiB());
        }
    }

    /** One benchmarked pretraining shape. */
    record Shape(String label, int layers, int hidden, int heads, int intermediate, int seq, int batch) {}

    static void step(Path root, String py, int threads, int steps, PrintStream out) throws Exception {
        List<Shape> shapes = List.of(
                new Shape("small (4 x 128)", 4, 128, 4, 256, 256, 16),
                new Shape("Geneformer-V2-shaped (12 x 768)", 12, 768, 12, 3072, 128, 8));
        for (Shape s : shapes) {
            int n = steps > 0 ? steps : (s.layers() > 4 ? 3 : 10), warm = 2;
            RankValueEncoder enc = cells(s.seq(), 512);
            double ours;
            try (Pretrainer p = new Pretrainer(
                    enc,
                    new Pretrainer.Options(
                            s.layers(), s.hidden(), s.heads(), s.intermediate(), warm + n, s.batch(), 1e-4, 0, 0, 0))) {
                long[] start = new long[1];
                p.train((f, msg) -> {
                    if (start[0] == 0 && Math.round(f * (warm + n)) == warm) start[0] = System.nanoTime();
                });
                ours = (System.nanoTime() - start[0]) / 1e9 / n;
            }
            out.printf(
                    "pretrain step, %s, seq %d, batch %d, vocabulary %,d, 15%% masked:%n",
                    s.label(), s.seq(), s.batch(), VOCAB);
            out.printf(
                    "  ours:      %.3f s/step = %.1f cells/s (%d steps after %d warm-up), peak RSS %.0f MiB%n",
                    ours, s.batch() / ours, n, warm, Reference.peakRssMiB());
            if (py == null) continue;
            String[] res = Reference.exec(List.of(
                            py,
                            root.resolve("bench/pretrain_reference.py").toString(),
                            "" + s.layers(),
                            "" + s.hidden(),
                            "" + s.heads(),
                            "" + s.intermediate(),
                            "" + VOCAB,
                            "" + s.seq(),
                            "" + s.batch(),
                            "" + n,
                            "" + warm,
                            "" + threads))
                    .trim()
                    .split("\\s+");
            double ref = Double.parseDouble(res[0]);
            out.printf("  PyTorch:   %.3f s/step = %.1f cells/s, peak RSS %s MiB%n", ref, s.batch() / ref, res[1]);
            out.printf("  ratio:     ours runs at %.2fx PyTorch's speed%n", ref / ours);
        }
    }

    /**
     * Random cells over VOCAB - 4 genes, each expressing more genes than fit, so every sequence is full length
     * ({@code <cls>}, seq - 2 genes, {@code <eos>}), as in the reference.
     */
    static RankValueEncoder cells(int seq, int n) {
        int g = VOCAB - 4;
        Random r = new Random(3);
        SparseMatrix.Builder b = new SparseMatrix.Builder(g);
        int per = seq + 50;
        for (int i = 0; i < n; i++) {
            int[] idx = r.ints(0, g).distinct().limit(per).sorted().toArray();
            float[] val = new float[per];
            for (int k = 0; k < per; k++) val[k] = 1 + r.nextInt(20);
            b.addRow(idx, val, 0, per);
        }
        String[] names = IntStream.range(0, g).mapToObj(j -> "G" + j).toArray(String[]::new);
        Modality m = new Modality(
                "bench",
                b.build(),
                IntStream.range(0, n).mapToObj(i -> "c" + i).toArray(String[]::new),
                names,
                null,
                null,
                null,
                null);
        return new RankValueEncoder(GeneformerVocabulary.fromData(m), seq, m);
    }
}
