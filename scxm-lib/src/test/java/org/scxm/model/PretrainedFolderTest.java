package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scxm.ScxmException;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.TokenizerFiles;

/**
 * Pretrained folders written by real PyTorch (src/test/resources/fixtures/make_bert_fixtures.py, python3-torch 1.13):
 * weights from either file format give PyTorch's hidden states and cell embeddings; the folder's tokenizer fits the model.
 */
class PretrainedFolderTest {
    static final Path FIX = Path.of("src/test/resources/fixtures");
    static final Path GF = Path.of("../data/geneformer");

    /** A copy of a fixture folder holding only one of the two weights files. */
    static Path only(Path dir, String folder, String weights) throws IOException {
        Path d = dir.resolve(folder + "-" + weights);
        Files.createDirectories(d);
        try (var s = Files.list(FIX.resolve(folder))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if ((n.equals("model.safetensors") || n.equals("pytorch_model.bin")) && !n.equals(weights)) continue;
                Files.copy(p, d.resolve(n));
            }
        }
        return d;
    }

    static JsonObject expected(String folder) throws IOException {
        return JsonParser.parseString(Files.readString(FIX.resolve(folder).resolve("expected.json")))
                .getAsJsonObject();
    }

    static double maxDiff(float[] got, JsonArray exp, long[] ids, int perToken, boolean skipPad) {
        double max = 0;
        float[] flat = flatten(exp);
        assertEquals(flat.length, got.length);
        for (int i = 0; i < got.length; i++) {
            if (skipPad && ids[i / perToken] == 0) continue; // padding rows are never read downstream
            max = Math.max(max, Math.abs(got[i] - flat[i]));
        }
        return max;
    }

    static float[] flatten(JsonArray a) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        flattenInto(a, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) f[i] = out.get(i);
        return f;
    }

    private static void flattenInto(com.google.gson.JsonElement e, java.util.List<Float> out) {
        if (e.isJsonArray()) for (var x : e.getAsJsonArray()) flattenInto(x, out);
        else out.add(e.getAsFloat());
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
        "bert_v2, model.safetensors",
        "bert_v2, pytorch_model.bin",
        "bert_v1, model.safetensors",
        "bert_v1, pytorch_model.bin"
    })
    void eitherWeightsFormatGivesPyTorchsHiddenStatesAndCellEmbedding(String folder, String weights, @TempDir Path dir)
            throws Exception {
        PretrainedFolder pf = PretrainedFolder.open(only(dir, folder, weights), TokenizerFiles.Named.none());
        assertEquals(weights, pf.weights().file().getFileName().toString());
        JsonObject exp = expected(folder);
        BertEncoderTest.Tokens in = BertEncoderTest.tokens(exp);
        int b = in.b(), t = in.t();
        long[] ids = in.ids();
        float[] mask = in.mask();
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder enc = pf.loadEncoder(m);
            var idA = Tensors.of(m, ids, new Shape(b, t));
            var maskA = Tensors.of(m, mask, new Shape(b, t));
            int h = enc.config().hidden();
            double hidden = maxDiff(enc.forward(idA, maskA).toFloatArray(), exp.getAsJsonArray("hidden"), ids, h, true);
            assertTrue(hidden < 1e-5, "hidden states: max |java - pytorch| = " + hidden);
            double emb = maxDiff(
                    enc.embed(idA, maskA).toFloatArray(), exp.getAsJsonArray("embedding"), new long[b], h, false);
            assertTrue(emb < 1e-5, "cell embedding: max |java - pytorch| = " + emb);
        }
    }

    @Test
    void aV1FolderEmbedsByMeanPoolingAndAV2FolderByCls() throws Exception {
        PretrainedFolder v1 = PretrainedFolder.open(FIX.resolve("bert_v1"), TokenizerFiles.Named.none());
        PretrainedFolder v2 = PretrainedFolder.open(FIX.resolve("bert_v2"), TokenizerFiles.Named.none());
        assertFalse(v1.hasCls());
        assertEquals(BertEncoder.CellEmbedding.MEAN, v1.cellEmbedding());
        assertTrue(v2.hasCls());
        assertEquals(BertEncoder.CellEmbedding.CLS, v2.cellEmbedding());
        assertTrue(v1.describe().contains("mean of the last hidden states"), v1.describe());
        assertTrue(v2.describe().contains("<cls> token's last hidden state"), v2.describe());
        // the V1 embedding PyTorch computed is the mean, and it is not the first token's state: the test can tell them
        // apart
        JsonObject exp = expected("bert_v1");
        float[] first = flatten(
                exp.getAsJsonArray("hidden").get(0).getAsJsonArray().get(0).getAsJsonArray());
        float[] mean = flatten(exp.getAsJsonArray("embedding").get(0).getAsJsonArray());
        double d = 0;
        for (int k = 0; k < first.length; k++) d = Math.max(d, Math.abs(first[k] - mean[k]));
        assertTrue(d > 0.1, "mean pooling differs from the first token");
        // a model built on the V1 folder uses it, and says so
        ScxmConfig cfg = ScxmConfig.paper(v1.config(), 5);
        try (ScxmModel model = new ScxmModel(cfg, 0)) {
            model.loadEncoder(v1);
            assertEquals(BertEncoder.CellEmbedding.MEAN, model.encoder().cellEmbedding());
            assertTrue(model.describe().contains("mean of the last hidden states"), model.describe());
        }
        try (ScxmModel model = ScxmModel.fromPretrained(cfg, 0, v1)) {
            assertEquals(BertEncoder.CellEmbedding.MEAN, model.encoder().cellEmbedding());
            assertEquals(
                    cfg.trainableBlocks() >= v1.config().layers(),
                    model.encoder().weights().isTrainable("embeddings.word_embeddings.weight"),
                    "the paper's freezing applies to a pretrained encoder");
        }
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> ScxmModel.fromPretrained(ScxmConfig.paper(BertConfig.small(40, 24), 5), 0, v1));
        assertTrue(e.getMessage().contains("another encoder shape"), e.getMessage());
    }

    @Test
    void theFoldersTokenizerSetsTheInputSize() {
        PretrainedFolder v2 = PretrainedFolder.open(FIX.resolve("bert_v2"), TokenizerFiles.Named.none());
        assertEquals(24, v2.maxLength(), "max_position_embeddings of the fixture");
        assertEquals(40, v2.vocabulary().size());
        assertEquals(
                "token_dictionary_demo104M.pkl",
                v2.tokenizer().tokenFile().getFileName().toString());
        assertEquals(
                "gene_median_dictionary_demo104M.pkl",
                v2.tokenizer().medianFile().getFileName().toString());
        assertTrue(v2.warnings().isEmpty());
        // numpy float64 medians, as Geneformer pickles them
        String gene = v2.vocabulary().tokenGenes().iterator().next();
        assertTrue(
                v2.vocabulary().median(gene) >= 0.5 && v2.vocabulary().median(gene) <= 5,
                "median " + v2.vocabulary().median(gene));
    }

    @Test
    void tokenizeTakesAModelFoldersTokenizerOrAFolderOfDictionaries() {
        PretrainedFolder.Tokenizer t = PretrainedFolder.tokenizer(FIX.resolve("bert_v1"), TokenizerFiles.Named.none());
        assertEquals(24, t.maxLength(), "the model's max_position_embeddings");
        assertEquals(38, t.vocabulary().size(), "<pad>, <mask> and 36 genes");
        assertFalse(t.vocabulary().hasSpecialTokens());
        assertTrue(
                t.describe()
                        .contains(
                                "token_dictionary_demo30M.pkl (38 tokens, no <cls>, V1-style) with gene_median_dictionary_demo30M.pkl"),
                t.describe());
        PretrainedFolder.Tokenizer g = PretrainedFolder.tokenizer(
                GF, new TokenizerFiles.Named(GF.resolve("token_dictionary_gc30M.pkl"), null, null));
        assertEquals(0, g.maxLength(), "no model in a folder of dictionaries");
        assertEquals(25426, g.vocabulary().size());
        assertEquals(25424, g.vocabulary().medianGenes().size(), "V1's own medians, found by their tag");
    }

    @Test
    void binHoldsTheSafetensorsTensorsPlusTheTiedDecoder() {
        Map<String, SafeTensors.Tensor> st = SafeTensors.read(FIX.resolve("bert_v2/model.safetensors"));
        Map<String, SafeTensors.Tensor> bin = TorchCheckpoint.read(FIX.resolve("bert_v2/pytorch_model.bin"));
        for (var e : st.entrySet()) {
            assertArrayEquals(e.getValue().shape(), bin.get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), bin.get(e.getKey()).data(), e.getKey());
        }
        assertArrayEquals(
                bin.get("bert.embeddings.word_embeddings.weight").data(),
                bin.get("cls.predictions.decoder.weight").data(),
                "tied decoder");
        assertArrayEquals(
                new long[] {1, 24}, bin.get("bert.embeddings.position_ids").shape(), "int64 buffer read too");
        assertEquals(23f, bin.get("bert.embeddings.position_ids").data()[23]);
    }

    @Test
    void stridedViewsAndHalfPrecisionReadAsPyTorchHasThem() {
        Map<String, SafeTensors.Tensor> t = TorchCheckpoint.read(FIX.resolve("strided.bin"));
        assertArrayEquals(new long[] {4, 3}, t.get("transposed").shape());
        assertArrayEquals(
                new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11},
                t.get("transposed").data());
        assertArrayEquals(new float[] {0.5f, -2f, 1024f}, t.get("half").data());
        assertArrayEquals(new float[] {6, 7, 10, 11}, t.get("sliced").data());
        // the loader's path (bytes straight into direct buffers) gives the same values
        for (Path f : new Path[] {FIX.resolve("strided.bin"), FIX.resolve("bert_v2/pytorch_model.bin")}) {
            Map<String, SafeTensors.Tensor> decoded = TorchCheckpoint.read(f);
            Map<String, SafeTensors.Raw> mapped = TorchCheckpoint.map(f);
            assertEquals(decoded.keySet(), mapped.keySet());
            for (var e : decoded.entrySet())
                assertArrayEquals(
                        e.getValue().data(),
                        SafeTensors.decode(e.getKey(), mapped.get(e.getKey()), f)
                                .data(),
                        f + " " + e.getKey());
        }
    }

    @Test
    void relativePositionEmbeddingsAreRefused(@TempDir Path dir) throws Exception {
        Path d = only(dir, "bert_v2", "model.safetensors");
        JsonObject c = JsonParser.parseString(Files.readString(d.resolve("config.json")))
                .getAsJsonObject();
        c.addProperty("position_embedding_type", "relative_key");
        Files.writeString(d.resolve("config.json"), c.toString());
        ScxmException e =
                assertThrows(ScxmException.class, () -> PretrainedFolder.open(d, TokenizerFiles.Named.none()));
        assertTrue(
                e.getMessage().contains("position_embedding_type 'relative_key'")
                        && e.getMessage().contains("only 'absolute'"),
                e.getMessage());
    }

    @Test
    void aFileThatIsNotAPyTorchZipIsRefusedInOneSentence(@TempDir Path dir) throws Exception {
        Path legacy = dir.resolve("pytorch_model.bin");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c
        }); // a pickle stream, as torch.save < 1.6 wrote
        ScxmException e = assertThrows(ScxmException.class, () -> TorchCheckpoint.read(legacy));
        assertTrue(
                e.getMessage().contains("not in PyTorch's zip format")
                        && e.getMessage().contains("model.safetensors"),
                e.getMessage());
        Path noWeights = dir.resolve("empty");
        Files.createDirectories(noWeights);
        Files.copy(FIX.resolve("bert_v2/config.json"), noWeights.resolve("config.json"));
        e = assertThrows(ScxmException.class, () -> PretrainedFolder.open(noWeights, TokenizerFiles.Named.none()));
        assertTrue(e.getMessage().contains("neither model.safetensors nor pytorch_model.bin"), e.getMessage());
    }

    @Test
    void aTokenDictionaryThatDoesNotFitTheEmbeddingMatrixIsRefused(@TempDir Path dir) throws Exception {
        // Geneformer's real V1 dictionary beside the tiny V2-style model
        Path d = only(dir, "bert_v2", "model.safetensors");
        Files.delete(d.resolve("token_dictionary_demo104M.pkl"));
        Files.copy(GF.resolve("token_dictionary_gc30M.pkl"), d.resolve("token_dictionary_gc30M.pkl"));
        ScxmException e =
                assertThrows(ScxmException.class, () -> PretrainedFolder.open(d, TokenizerFiles.Named.none()));
        assertTrue(
                e.getMessage()
                                .contains(
                                        "has 25,426 tokens (no <cls>, V1-style) but the model's embedding matrix has 40 rows (vocab_size in config.json)")
                        && e.getMessage().contains("give the token dictionary the model was trained with"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(".") && !e.getMessage().contains(". "), "one sentence: " + e.getMessage());
    }

    @Test
    void cellsTokenisedWithAnotherVocabularyAreRefused() {
        PretrainedFolder v2 = PretrainedFolder.open(FIX.resolve("bert_v2"), TokenizerFiles.Named.none());
        v2.requireSameTokens(v2.vocabulary(), "the folder's own dictionary"); // the model's own: accepted
        Map<String, Integer> shuffled =
                new java.util.LinkedHashMap<>(v2.vocabulary().tokenMap());
        String a = "ENSG00000000003", b = "ENSG00000000005";
        int ta = shuffled.get(a), tb = shuffled.get(b);
        shuffled.put(a, tb);
        shuffled.put(b, ta);
        GeneformerVocabulary other =
                new GeneformerVocabulary(shuffled, v2.vocabulary().medianMap(), null);
        ScxmException e = assertThrows(
                ScxmException.class, () -> v2.requireSameTokens(other, "the vocabulary built from the data"));
        assertTrue(
                e.getMessage()
                                .contains(
                                        "the vocabulary built from the data (40 tokens), not with this model's token dictionary")
                        && e.getMessage().contains("2 of them with another id"),
                e.getMessage());
    }
}
