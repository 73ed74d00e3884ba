package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;

/** Configuration, freeze policy, the frozen-backbone variant and batched prediction. */
class ModelTest {

    @Test
    void configJsonProblemsAreNamed(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("config.json");
        Files.writeString(
                cfg,
                "{\"vocab_size\": 50, \"hidden_size\": 32, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
                        + " \"intermediate_size\": 64, \"max_position_embeddings\": 40, \"hidden_act\": \"relu\", \"layer_norm_eps\": 1e-5}");
        BertConfig ok = BertConfig.fromJson(cfg);
        assertEquals("relu", ok.hiddenAct());
        assertEquals(1e-5, ok.layerNormEps(), 0);
        Files.writeString(cfg, "{\"vocab_size\": 50, \"hidden_size\": 32}");
        ScxmException e = assertThrows(ScxmException.class, () -> BertConfig.fromJson(cfg));
        assertTrue(e.getMessage().contains("'num_hidden_layers'"), e.getMessage());
        Files.writeString(
                cfg,
                "{\"vocab_size\": 50, \"hidden_size\": 32, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
                        + " \"intermediate_size\": 64, \"max_position_embeddings\": 40, \"hidden_act\": \"silu\"}");
        e = assertThrows(ScxmException.class, () -> BertConfig.fromJson(cfg));
        assertTrue(e.getMessage().contains("hidden_act 'silu'"), e.getMessage());
        Files.writeString(cfg, "not json {");
        e = assertThrows(ScxmException.class, () -> BertConfig.fromJson(cfg));
        assertTrue(e.getMessage().contains("not a readable config.json"), e.getMessage());
        e = assertThrows(ScxmException.class, () -> BertConfig.fromJson(dir.resolve("absent/config.json")));
        assertTrue(e.getMessage().contains("no config.json"), e.getMessage());
    }

    @Test
    void geneformerV2ShapeFitsItsTokenDictionary() throws Exception {
        BertConfig v2 = BertConfig.geneformerV2();
        assertEquals("relu", v2.hiddenAct());
        assertEquals(4096, v2.maxPositions());
        long tokens = Files.readAllLines(Path.of("../data/geneformer/token_dictionary_gc95M.tsv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("key\t"))
                .count();
        assertEquals(tokens, v2.vocabSize(), "one embedding row per token of the V2 dictionary");
    }

    @Test
    void allButTheLastKBlocksAreFrozenAndTheBrainVariantFreezesTheBackbone() {
        BertConfig enc = new BertConfig(50, 16, 6, 2, 32, 16, 2, 1e-12, "relu", 0);
        try (ScxmModel m = new ScxmModel(ScxmConfig.paper(enc, 5), 0)) {
            Weights w = m.encoder().weights();
            assertFalse(w.isTrainable("embeddings.word_embeddings.weight"));
            assertFalse(w.isTrainable("encoder.layer.1.output.dense.weight"));
            for (int l = 2; l < 6; l++)
                assertTrue(w.isTrainable("encoder.layer." + l + ".attention.self.query.weight"), "block " + l);
            assertEquals(2, m.head().layers());
            assertEquals(4, m.decoder().layers());
            assertEquals(5, m.critic().layers());
        }
        ScxmConfig brain = ScxmConfig.paper(enc, 5).frozenBackbone();
        try (ScxmModel m = new ScxmModel(brain, 0)) {
            assertEquals(0, m.encoder().weights().count(true), "no encoder weight trains");
            assertEquals(3, m.head().layers());
            assertEquals(3, m.decoder().layers());
            float[] before = m.encoder()
                    .weights()
                    .get("encoder.layer.5.output.dense.weight")
                    .toFloatArray();
            float[] headBefore = m.headWeights().get("head.0.weight").toFloatArray();
            new Trainer(m, TrainerTest.toyTrain(2)).train(toyDataFor(5), Progress.NONE);
            assertArrayEquals(
                    before,
                    m.encoder()
                            .weights()
                            .get("encoder.layer.5.output.dense.weight")
                            .toFloatArray());
            assertFalse(
                    java.util.Arrays.equals(
                            headBefore, m.headWeights().get("head.0.weight").toFloatArray()),
                    "the head trains");
        }
    }

    static TrainingData toyDataFor(int panel) {
        TrainingData d = TrainerTest.toyData();
        int[] cols = java.util.stream.IntStream.range(0, panel).toArray();
        return new TrainingData(
                d.scTokens(),
                d.scPanel().selectCols(cols),
                d.stTarget().selectCols(cols),
                d.stPanel().selectCols(cols));
    }

    @Test
    void badConfigurationsAreOneSentence() {
        BertConfig enc = new BertConfig(30, 16, 2, 2, 32, 16, 2, 1e-12, "relu", 0);
        assertThrows(ScxmException.class, () -> new ScxmConfig(enc, 0, 2, 2, 4, 5, 64));
        assertThrows(ScxmException.class, () -> new ScxmConfig(enc, 5, 2, 2, 4, 1, 64));
        assertThrows(ScxmException.class, () -> new BertConfig(30, 15, 2, 2, 32, 16, 2, 1e-12, "relu", 0));
        ScxmException e =
                assertThrows(ScxmException.class, () -> new TrainConfig(1, 10, 0, 1e-3, 1e-3, 5, 10, 1, 1, 0, 0, 1));
        assertTrue(e.getMessage().startsWith("batch=0 must be at least 1"), e.getMessage());
        TrainingData d = TrainerTest.toyData();
        e = assertThrows(
                ScxmException.class,
                () -> new TrainingData(
                        d.scTokens(), d.scPanel(), d.stTarget(), d.stPanel().selectCols(new int[] {0, 1})));
        assertTrue(e.getMessage().contains("differ in genes"), e.getMessage());
    }

    @Test
    void predictionsLandOnTheirCellsRowsAndDecodeThroughTheDecoder() {
        TrainingData d = TrainerTest.toyData();
        try (ScxmModel m = new ScxmModel(TrainerTest.toyConfig(), 2)) {
            // batches in a shuffled cell order, the last one short
            int[] order = {5, 0, 3, 7, 1, 6, 2, 4, 9, 8};
            List<TokenBatch> batches = new ArrayList<>();
            for (int s = 0; s < order.length; s += 4)
                batches.add(d.scTokens().apply(java.util.Arrays.copyOfRange(order, s, Math.min(order.length, s + 4))));
            List<Double> fractions = new ArrayList<>();
            Predictor.Prediction p = Predictor.predict(m, batches.iterator(), 10, (f, msg) -> fractions.add(f));
            assertEquals(1.0, fractions.get(fractions.size() - 1), 1e-12);
            try (NDScope scope = new NDScope()) {
                NDArray z = m.encode(d.scTokens().apply(new int[] {7}));
                float[] direct = z.toFloatArray(),
                        decoded = m.decoder().forward(z).toFloatArray();
                DenseMatrix bulked = p.bulked();
                for (int j = 0; j < direct.length; j++) {
                    assertEquals(direct[j], bulked.get(7, j), 1e-6);
                    assertEquals(decoded[j], p.decoded().get(7, j), 1e-6);
                    assertTrue(bulked.get(7, j) > 0 && bulked.get(7, j) < 1, "sigmoid head");
                }
            }
        }
    }
}
