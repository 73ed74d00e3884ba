package org.scxm.tokenize;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.testing.Geneformer;

class RankValueEncoderTest {
    static final Path GF = Path.of("../data/geneformer");

    @Test
    void realPicklesAndTsvGiveTheSameVocabulary() {
        GeneformerVocabulary p = Geneformer.v2WithNames();
        GeneformerVocabulary t = GeneformerVocabulary.fromFiles(
                GF.resolve("token_dictionary_gc95M.tsv"),
                GF.resolve("gene_median_dictionary_gc30M.tsv"),
                GF.resolve("gene_name_id_dict_gc30M.tsv"));
        assertEquals(20275, p.size());
        assertEquals(0, p.padId());
        assertEquals(2, p.clsId());
        assertEquals(3, p.eosId());
        assertEquals(2.001186019549122, p.median("ENSG00000000003"), 1e-15); // a numpy.float64 in the pickle
        for (String id : new String[] {"ENSG00000000003", "ENSG00000121966", "ENSG00000204305"}) {
            assertEquals(t.token(id), p.token(id), id);
            assertEquals(t.median(id), p.median(id), 1e-12, id);
        }
        assertEquals("ENSG00000121966", p.idForName("cxcr4"));
    }

    @Test
    void encodesByNormalisedRankWithClsAndEos() {
        GeneformerVocabulary v = Geneformer.v2WithNames();
        String[] ids = {"ENSG00000121966", "ENSG00000204305", "ENSG00000000003", "ENSG99999999999"};
        String[] names = {"CXCR4", "AGER", "TSPAN6", "NOTAGENE"};
        float[][] counts = {{4, 0, 4, 9}, {0, 0, 0, 5}};
        Modality m = new Modality(
                "m", SparseMatrix.fromDense(counts, 4), new String[] {"a", "b"}, names, ids, null, null, null);
        RankValueEncoder enc = new RankValueEncoder(v, 4096, m);
        assertEquals(1, enc.missingGenes().rowCount());
        assertEquals("NOTAGENE", enc.missingGenes().stringColumn("gene").get(0));
        // cell a: equal counts for CXCR4 and TSPAN6, so the smaller median ranks first
        int[] seq = enc.encode(0);
        boolean cxcr4First = v.median(ids[0]) < v.median(ids[2]);
        int first = v.token(cxcr4First ? ids[0] : ids[2]), second = v.token(cxcr4First ? ids[2] : ids[0]);
        assertArrayEquals(new int[] {2, first, second, 3}, seq);
        // cell b has only an unknown gene: <cls><eos>; batches pad with <pad> and mask it
        TokenBatch b = enc.batch(new int[] {0, 1});
        assertEquals(4, b.length());
        assertArrayEquals(new int[] {2, 3, 0, 0}, java.util.Arrays.copyOfRange(b.ids(), 4, 8));
        assertArrayEquals(new int[] {1, 1, 0, 0}, java.util.Arrays.copyOfRange(b.mask(), 4, 8));
    }

    @Test
    void truncatesToTheModelInputSize() {
        GeneformerVocabulary v = Geneformer.v2WithNames();
        int g = 50;
        String[] ids = new String[g], names = new String[g];
        float[][] c = new float[1][g];
        var keys = new java.util.ArrayList<String>();
        for (String id : new String[] {"ENSG00000000003", "ENSG00000121966", "ENSG00000204305"}) keys.add(id);
        // use ids from the median dictionary that are in the vocabulary
        GeneformerVocabulary tsv = v;
        int k = 0;
        try (var lines = java.nio.file.Files.lines(GF.resolve("token_dictionary_gc95M.tsv"))) {
            for (String line : (Iterable<String>) lines.skip(5)::iterator) {
                String id = line.split("\t")[0];
                if (tsv.median(id) > 0 && k < g) {
                    ids[k] = id;
                    names[k] = "G" + k;
                    c[0][k] = k + 1;
                    k++;
                }
            }
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
        Modality m = new Modality("m", SparseMatrix.fromDense(c, g), new String[] {"a"}, names, ids, null, null, null);
        assertEquals(10, new RankValueEncoder(v, 10, m).encode(0).length);
        assertThrows(ScxmException.class, () -> new RankValueEncoder(v, 2, m));
    }

    @Test
    void noOverlapWithTheVocabularyIsOneClearSentence() {
        Modality m = new Modality(
                "xen",
                SparseMatrix.fromDense(new float[][] {{1}}, 1),
                new String[] {"a"},
                new String[] {"FOO1"},
                null,
                null,
                null,
                null);
        ScxmException e =
                assertThrows(ScxmException.class, () -> new RankValueEncoder(Geneformer.v2WithNames(), 4096, m));
        assertTrue(e.getMessage().startsWith("none of the 1 genes of 'xen'"));
    }

    @Test
    void topKSelectionThenSortEqualsTheFullSortsFirstK() {
        // a cell with more genes than max_length is selected, then only its top k sorted: the same tokens, same order
        java.util.Random r = new java.util.Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + r.nextInt(300), k = 1 + r.nextInt(n);
            double[] val = new double[n];
            int[] tok = new int[n];
            for (int i = 0; i < n; i++) {
                val[i] = r.nextInt(trial % 3 == 0 ? 4 : 1000); // many ties in a third of the trials
                tok[i] = i * 7 + 3;
            }
            for (int i = n - 1; i > 0; i--) { // distinct tokens in random order
                int j = r.nextInt(i + 1), t = tok[i];
                tok[i] = tok[j];
                tok[j] = t;
            }
            double[] fv = val.clone(), sv = val.clone();
            int[] ft = tok.clone(), st = tok.clone();
            RankValueEncoder.sortDescending(fv, ft, 0, n - 1);
            RankValueEncoder.selectTop(sv, st, 0, n - 1, k);
            RankValueEncoder.sortDescending(sv, st, 0, k - 1);
            assertArrayEquals(java.util.Arrays.copyOf(ft, k), java.util.Arrays.copyOf(st, k), "n=" + n + " k=" + k);
        }
    }
}
