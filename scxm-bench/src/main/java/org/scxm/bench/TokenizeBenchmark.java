package org.scxm.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;

/**
 * `./scxm bench tokenize [cells] [genes] [nnz per cell]`: rank value encoding of generated counts
 * (default 200k cells x 5k genes, ~600 detected genes per cell) with Geneformer's real V2 vocabulary
 * and gene medians (data/geneformer), next to a vectorised numpy implementation of the same encoding on the
 * same data; cells per second, ratio, and an exact token-by-token comparison.
 */
public final class TokenizeBenchmark extends Benchmark {
    public TokenizeBenchmark() {
        super("tokenize", "Geneformer rank value encoding, 200k cells x 5k genes, vs vectorised numpy");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        int n = args.integer(0, 200_000), g = args.integer(1, 5000), perCell = args.integer(2, 600);
        Path gf = root.resolve("data/geneformer");
        GeneformerVocabulary vocab = GeneformerVocabulary.fromFiles(
                gf.resolve("token_dictionary_gc95M.pkl"), gf.resolve("gene_median_dictionary_gc30M.pkl"), null);
        // genes: Ensembl ids of the vocabulary that have a median, plus 1% unknown ids (reported, dropped)
        List<String> ids = Synthetic.vocabularyGenes(gf, vocab, g);
        for (int j = 0; j < g / 100; j++) ids.set(j * 100 + 7, "ENSG9" + String.format("%010d", j));
        SparseMatrix counts = Synthetic.skewedCounts(new SplittableRandom(7), n, g, perCell);
        Modality m = Synthetic.modality(counts, ids);
        RankValueEncoder enc = new RankValueEncoder(vocab, 4096, m);
        out.printf(
                "data: %,d cells x %,d genes, %,d non-zeros (%.0f per cell); %d genes not in the vocabulary%n",
                n,
                g,
                counts.nnz(),
                counts.nnz() / (double) n,
                enc.missingGenes().rowCount());
        int[][] seqs = new int[n][];
        double ours = 0;
        for (int rep = 0; rep < 2; rep++) { // the second run is the measurement
            long t0 = System.nanoTime();
            IntStream.range(0, n).parallel().forEach(i -> seqs[i] = enc.encode(i));
            ours = (System.nanoTime() - t0) / 1e9;
        }
        out.printf(
                "ours:      %.2f s, %,.0f cells/s (%d threads), peak RSS %.0f MiB%n",
                ours, n / ours, Runtime.getRuntime().availableProcessors(), Reference.peakRssMiB());

        String py = Reference.pythonOrSkip(out, "numpy");
        if (py == null) return;
        Path dir = Files.createTempDirectory("scxm-bench-tok");
        try {
            SparseMatrix.Csr csr = counts.toCsr();
            int[] tokenOf = new int[g];
            double[] invMedian = new double[g];
            for (int j = 0; j < g; j++) {
                tokenOf[j] =
                        vocab.token(ids.get(j)) >= 0 && vocab.median(ids.get(j)) > 0 ? vocab.token(ids.get(j)) : -1;
                invMedian[j] = tokenOf[j] >= 0 ? 1.0 / vocab.median(ids.get(j)) : 0;
            }
            Reference.writeInts(dir.resolve("indptr.i32"), csr.indptr());
            Reference.writeInts(dir.resolve("indices.i32"), csr.indices());
            Reference.writeFloats(dir.resolve("counts.f32"), csr.data());
            Reference.writeInts(dir.resolve("token_of.i32"), tokenOf);
            Reference.writeDoubles(dir.resolve("inv_median.f64"), invMedian);
            String[] res = Reference.exec(List.of(
                            py,
                            root.resolve("bench/tokenize_reference.py").toString(),
                            dir.toString(),
                            String.valueOf(n),
                            "4094",
                            String.valueOf(vocab.clsId()),
                            String.valueOf(vocab.eosId())))
                    .trim()
                    .split("\\s+");
            double refSecs = Double.parseDouble(res[0]);
            int[] refTokens = Reference.readInts(dir.resolve("ref_tokens.i32")),
                    refLengths = Reference.readInts(dir.resolve("ref_lengths.i32"));
            long mismatches = 0;
            for (int i = 0, p = 0; i < n; i++) {
                if (refLengths[i] != seqs[i].length) {
                    mismatches++;
                    p += refLengths[i];
                    continue;
                }
                for (int k = 0; k < seqs[i].length; k++)
                    if (refTokens[p + k] != seqs[i][k]) {
                        mismatches++;
                        break;
                    }
                p += refLengths[i];
            }
            out.printf(
                    "reference: %.2f s, %,.0f cells/s (numpy lexsort, vectorised), peak RSS %s MiB%n",
                    refSecs, n / refSecs, res[1]);
            out.printf(
                    "ratio:     ours is %.1fx %s than the reference%n",
                    Math.max(refSecs / ours, ours / refSecs), ours <= refSecs ? "faster" : "slower");
            out.printf(
                    "equality:  %s (%,d of %,d cells differ)%n",
                    mismatches == 0 ? "tokens identical" : "TOKENS DIFFER", mismatches, n);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }
}
