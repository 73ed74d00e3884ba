package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scxm.ScxmException;

class BertEncoderTest {
    static final Path FIXTURES = Path.of("src/test/resources/model");

    /** The reference's token ids (b cells x t positions, row-major) and their attention mask (non-padding). */
    record Tokens(int b, int t, long[] ids, float[] mask) {}

    /** The {@code ids} of a reference's expected.json with the mask Hugging Face builds from them (id 0 is padding). */
    static Tokens tokens(JsonObject exp) {
        JsonArray ids = exp.getAsJsonArray("ids");
        int b = ids.size(), t = ids.get(0).getAsJsonArray().size();
        long[] idv = new long[b * t];
        float[] mask = new float[b * t];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < t; j++) {
                idv[i * t + j] = ids.get(i).getAsJsonArray().get(j).getAsLong();
                mask[i * t + j] = idv[i * t + j] != 0 ? 1 : 0;
            }
        return new Tokens(b, t, idv, mask);
    }

    @Test
    void pytorchLoadsOfflineFromTheMavenNativeJar() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "tests run with the network unreachable for DJL");
        assertEquals("PyTorch", Engine.getInstance().getEngineName());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "gelu"})
    void hiddenStatesMatchPyTorchOnTheSameWeights(String act) throws Exception {
        Path folder = FIXTURES.resolve("tiny_bert_" + act);
        JsonObject exp = JsonParser.parseString(Files.readString(folder.resolve("expected.json")))
                .getAsJsonObject();
        JsonArray hidden = exp.getAsJsonArray("hidden");
        Tokens in = tokens(exp);
        int b = in.b(), t = in.t();
        long[] idv = in.ids();
        float[] mask = in.mask();
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder enc = BertEncoder.load(folder, m);
            assertEquals(act, enc.config().hiddenAct());
            float[] got = enc.forward(m.create(idv, new Shape(b, t)), m.create(mask, new Shape(b, t)))
                    .toFloatArray();
            int h = enc.config().hidden();
            double maxErr = 0;
            for (int i = 0; i < b; i++)
                for (int j = 0; j < t; j++) {
                    if (mask[i * t + j] == 0) continue; // padding positions are not used downstream
                    JsonArray row = hidden.get(i).getAsJsonArray().get(j).getAsJsonArray();
                    for (int k = 0; k < h; k++)
                        maxErr = Math.max(
                                maxErr,
                                Math.abs(got[(i * t + j) * h + k] - row.get(k).getAsDouble()));
                }
            assertTrue(maxErr < 1e-4, "max |java - pytorch| = " + maxErr);
        }
    }

    @Test
    void misShapedMissingAndUnknownKeysAreNamed() {
        Path folder = FIXTURES.resolve("tiny_bert_relu");
        Map<String, SafeTensors.Tensor> good = SafeTensors.read(folder.resolve("model.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder enc = new BertEncoder(
                    BertConfig.fromJson(folder.resolve("config.json")), new Weights(m), new java.util.Random(1));
            Map<String, SafeTensors.Tensor> bad = new LinkedHashMap<>(good);
            bad.put("bert.embeddings.LayerNorm.bias", new SafeTensors.Tensor(new long[] {3}, new float[3]));
            ScxmException e = assertThrows(ScxmException.class, () -> enc.loadWeights(bad, "x"));
            assertTrue(e.getMessage().contains("bert.embeddings.LayerNorm.bias has shape [3]"), e.getMessage());
            Map<String, SafeTensors.Tensor> missing = new LinkedHashMap<>(good);
            missing.remove("bert.encoder.layer.1.output.dense.weight");
            e = assertThrows(ScxmException.class, () -> enc.loadWeights(missing, "x"));
            assertTrue(
                    e.getMessage().contains("lacks 1 tensors, e.g. bert.encoder.layer.1.output.dense.weight"),
                    e.getMessage());
            Map<String, SafeTensors.Tensor> extra = new LinkedHashMap<>(good);
            extra.put("bert.encoder.layer.7.output.dense.weight", good.get("bert.encoder.layer.1.output.dense.weight"));
            e = assertThrows(ScxmException.class, () -> enc.loadWeights(extra, "x"));
            assertTrue(e.getMessage().contains("bert.encoder.layer.7.output.dense.weight"), e.getMessage());
        }
    }

    @Test
    void safetensorsRoundTrip(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("a", new SafeTensors.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        t.put("b", new SafeTensors.Tensor(new long[] {1}, new float[] {-7.5f}));
        SafeTensors.write(dir.resolve("x.safetensors"), t);
        Map<String, SafeTensors.Tensor> r = SafeTensors.read(dir.resolve("x.safetensors"));
        assertArrayEquals(new long[] {2, 3}, r.get("a").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.get("a").data());
        assertArrayEquals(new float[] {-7.5f}, r.get("b").data());
    }
}
