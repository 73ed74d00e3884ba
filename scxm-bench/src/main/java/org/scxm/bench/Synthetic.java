package org.scxm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.tokenize.GeneformerVocabulary;

/** The generated inputs benchmarks share, so that two benchmarks said to use the same data do. */
final class Synthetic {
    private Synthetic() {}

    /** Entry (i, j)'s chance to be present, or its value once present (the value may draw from the same random). */
    interface Entry {
        double at(int i, int j);
    }

    /** n rows over g columns, drawn row by row: entry (i, j) is present when a draw falls below p, with value v. */
    static SparseMatrix rows(SplittableRandom r, int n, int g, Entry p, Entry v) {
        SparseMatrix.Builder b = new SparseMatrix.Builder(g);
        int[] idx = new int[g];
        float[] val = new float[g];
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int j = 0; j < g; j++)
                if (r.nextDouble() < p.at(i, j)) {
                    idx[k] = j;
                    val[k] = (float) v.at(i, j);
                    k++;
                }
            b.addRow(idx, val, 0, k);
        }
        return b.build();
    }

    /** The first g Ensembl ids of Geneformer V2's vocabulary (data/geneformer) that have a gene median. */
    static List<String> vocabularyGenes(Path geneformer, GeneformerVocabulary vocab, int g) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(geneformer.resolve("token_dictionary_gc95M.tsv"))
                .subList(1, 20276)) {
            String id = line.split("\t")[0];
            if (vocab.median(id) > 0 && ids.size() < g) ids.add(id);
        }
        return ids;
    }

    /**
     * Counts with a skewed gene popularity (a few genes in most cells, most in few), about perCell genes detected per
     * cell, each count 1 plus an exponential of mean 3.
     */
    static SparseMatrix skewedCounts(SplittableRandom r, int n, int g, int perCell) {
        double[] popularity = new double[g];
        for (int j = 0; j < g; j++) popularity[j] = Math.pow(r.nextDouble(), 3);
        double norm = 0;
        for (double p : popularity) norm += p;
        double[] prob = new double[g];
        for (int j = 0; j < g; j++) prob[j] = Math.min(0.95, popularity[j] / norm * perCell);
        return rows(r, n, g, (i, j) -> prob[j], (i, j) -> 1 + (int) (-Math.log(1 - r.nextDouble()) * 3));
    }

    /** A modality "bench" of the counts, cells named c0, c1, ..., genes named by their ids. */
    static Modality modality(SparseMatrix counts, List<String> genes) {
        String[] names = genes.toArray(new String[0]);
        return new Modality(
                "bench",
                counts,
                IntStream.range(0, counts.rows()).mapToObj(i -> "c" + i).toArray(String[]::new),
                names,
                names.clone(),
                null,
                null,
                null);
    }
}
