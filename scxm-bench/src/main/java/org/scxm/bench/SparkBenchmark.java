package org.scxm.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.scxm.Progress;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.io.H5adWriter;
import org.scxm.io.Readers;
import org.scxm.model.BertConfig;
import org.scxm.model.Checkpoint;
import org.scxm.model.Predictor;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.model.Torch;
import org.scxm.model.TrainConfig;
import org.scxm.model.Trainer;
import org.scxm.spark.ScxmSpark;
import org.scxm.spark.Vocabulary;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.tokenize.TokenBatch;

/**
 * `./scxm bench spark [cells] [predict cells] [folder]`: a generated .h5ad (default 200k cells x 5k genes, ~600 detected
 * genes per cell, Geneformer's V2 vocabulary and medians, max_length 4,096) tokenised, and a second one (default 20k
 * cells) predicted with a small saved checkpoint (1 x 32 BERT on V2's vocabulary), each three ways in one run: the
 * single-machine path (read the file, encode / predict every cell in memory), Spark local[1] and Spark local[2] (read
 * by row slices, written as Parquet). The files go to /tmp/scxm-spark-bench (never into the repository).
 */
public final class SparkBenchmark extends Benchmark {
    public SparkBenchmark() {
        super(
                "spark",
                "tokenize and predict a generated 200k-cell .h5ad: single machine vs Spark local[1] and local[2]");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        int n = args.integer(0, 200_000), np = args.integer(1, 20_000);
        Path dir = Path.of(args.word(2, "/tmp/scxm-spark-bench"));
        int threads = Integer.getInteger("scxm.threads", 1);
        Files.createDirectories(dir);
        Path gf = root.resolve("data/geneformer");
        GeneformerVocabulary vocab = GeneformerVocabulary.fromFiles(
                gf.resolve("token_dictionary_gc95M.pkl"), gf.resolve("gene_median_dictionary_gc30M.pkl"), null);
        Vocabulary v = Vocabulary.of(vocab, 4096);
        Path tokFile = dir.resolve("cells-" + n + ".h5ad"), predFile = dir.resolve("cells-" + np + ".h5ad");
        long t0 = System.nanoTime();
        if (!Files.exists(tokFile)) write(tokFile, n, vocab, gf, 7);
        if (!Files.exists(predFile)) write(predFile, np, vocab, gf, 8);
        out.printf(
                "data: %s (%d cells) and %s (%d cells), 5,000 genes, ~600 per cell; ready in %.1f s%n",
                tokFile, n, predFile, np, secs(t0));

        // a small checkpoint on V2's vocabulary (untrained weights: the cost of a forward pass is what is measured)
        Path ckpt = dir.resolve("ckpt");
        String[] panel = IntStream.range(0, 50).mapToObj(j -> "P" + j).toArray(String[]::new);
        Torch.threadReady("cpu", threads);
        if (!Files.exists(ckpt)) {
            ScxmConfig cfg =
                    ScxmConfig.paper(BertConfig.small(vocab.size(), 4096).resized(32, 1), panel.length);
            try (ScxmModel m = new ScxmModel(cfg, 0, Torch.device("cpu"))) {
                Checkpoint.save(
                        ckpt,
                        new Trainer(m, TrainConfig.defaults()),
                        new Checkpoint.Context(panel, vocab.fingerprint(), 4096, 0, null, false));
            }
        }

        // single machine: read the whole file, encode (and predict) every cell in memory
        t0 = System.nanoTime();
        Modality all = Readers.load(tokFile, "bench", null);
        double read1 = secs(t0);
        RankValueEncoder enc = new RankValueEncoder(vocab, 4096, all);
        long t1 = System.nanoTime();
        long tokens = 0;
        for (int i = 0; i < all.nCells(); i++) tokens += enc.encode(i).length;
        double enc1 = secs(t1);
        out.printf(
                "single machine tokenize: %.1f s (read %.1f s + encode %.1f s, %.0f tokens per cell, one thread)%n",
                read1 + enc1, read1, enc1, tokens / (double) n);
        all = null;
        enc = null;
        t0 = System.nanoTime();
        Modality pm = Readers.load(predFile, "bench", null);
        RankValueEncoder penc = new RankValueEncoder(vocab, 4096, pm);
        ScxmModel model =
                Checkpoint.restore(ckpt, Torch.device("cpu")).trainer().model();
        double load1 = secs(t0);
        t1 = System.nanoTime();
        Iterator<TokenBatch> batches = penc.batches(null, 64);
        Predictor.predict(model, batches, pm.nCells(), Progress.NONE);
        double pred1 = secs(t1);
        out.printf(
                "single machine predict: %.1f s (read + load %.1f s, predict %.1f s = %.3f ms per cell, %d torch thread(s))%n",
                load1 + pred1, load1, pred1, 1e3 * pred1 / np, threads);
        model.close();

        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder()
                    .master("local[" + cores + "]")
                    .appName("scxm-bench")
                    .config("spark.ui.enabled", "false")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                ScxmSpark.Written w = ScxmSpark.tokenize(
                        spark,
                        ScxmSpark.Input.of(tokFile),
                        v,
                        dir.resolve("tokens-local" + cores).toString(),
                        true);
                out.printf(
                        "spark local[%d] tokenize: %.1f s (%d cells in %d tasks, Parquet, %.1f µs per cell)%n",
                        cores, w.seconds(), w.rows(), w.tasks(), 1e6 * w.seconds() / w.rows());
                ScxmSpark.Written p = ScxmSpark.predict(
                        spark,
                        ScxmSpark.Input.of(predFile).withCellsPerTask(Math.max(1, np / 8)),
                        v,
                        ScxmSpark.Predicting.of(ckpt).withDevice("cpu").withThreads(1),
                        dir.resolve("pred-local" + cores).toString(),
                        true);
                out.printf(
                        "spark local[%d] predict: %.1f s (%d cells in %d tasks, %.3f ms per cell)%n",
                        cores, p.seconds(), p.rows(), p.tasks(), 1e3 * p.seconds() / p.rows());
            } finally {
                spark.stop();
            }
        }
        out.println("(the machine's other jobs share its cores: compare rows of one run, not across runs)");
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Counts as TokenizeBenchmark generates them: Ensembl genes of V2's vocabulary, skewed popularity. */
    static void write(Path file, int n, GeneformerVocabulary vocab, Path gf, long seed) throws Exception {
        int g = 5000;
        List<String> ids = Synthetic.vocabularyGenes(gf, vocab, g);
        SparseMatrix counts = Synthetic.skewedCounts(new SplittableRandom(seed), n, g, 600);
        H5adWriter.write(file, Synthetic.modality(counts, ids), Map.of(), Map.of());
    }
}
