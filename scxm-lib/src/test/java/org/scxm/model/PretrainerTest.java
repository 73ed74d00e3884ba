package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.testing.Python;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.tokenize.TokenBatch;
import org.scxm.tokenize.TokenizerFiles;

/**
 * Masked-gene pretraining on real scRNA-seq: the mouse hypothalamus reference (Moffitt 2018, 1,308 cells x 134 genes,
 * 14 cell types), where which genes a cell expresses depends on its type, so context predicts a masked gene. (On the
 * demo tissue, whose cells differ by a few markers among ~600 noisy genes, a 2-layer model barely beats the baseline
 * in the minutes a test may take.) Torch runs on one thread here: the test machine's cores are shared, and
 * oversubscribed threads made steps 20x slower.
 */
class PretrainerTest {
    static final Modality SC = org.scxm.io.Readers.load(
            Path.of("../data/real/moffitt_hypothalamus/sc.h5ad") /* the copy in this repository */,
            "sc",
            org.scxm.io.LoadOptions.defaults());
    static int threads;

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        ai.djl.engine.Engine.getInstance();
        threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    }

    @org.junit.jupiter.api.AfterAll
    static void restoreThreads() {
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    static RankValueEncoder tokens(int maxLength) {
        return new RankValueEncoder(GeneformerVocabulary.fromData(SC), maxLength, SC);
    }

    /** Logits at every non-pad position of the given cells, as a flat array (tokens x vocabulary). */
    static float[] allLogits(Pretrainer p, TokenBatch b) {
        int n = 0;
        for (int m : b.mask()) n += m;
        int[] pos = new int[n];
        long[] ids = new long[b.ids().length], labels = new long[n];
        for (int i = 0, k = 0; i < ids.length; i++) {
            ids[i] = b.ids()[i];
            if (b.mask()[i] == 1) {
                labels[k] = ids[i];
                pos[k++] = i;
            }
        }
        try (NDScope s = new NDScope()) {
            return p.logits(new Pretrainer.Masked(ids, pos, labels), b).toFloatArray();
        }
    }

    @Test
    void pretrainingBeatsTheFrequencyBaselineOnHeldOutCellsAndWritesAFolderThatReloads(@TempDir Path dir)
            throws Exception {
        RankValueEncoder enc = tokens(32);
        Pretrainer.Options o = new Pretrainer.Options(2, 64, 4, 128, 600, 16, 3e-3, 60, 0, 0.2);
        try (Pretrainer p = new Pretrainer(enc, o)) {
            int[] reports = {0};
            p.train((f, m) -> reports[0]++);
            assertEquals(600, reports[0], "progress after every step");
            assertEquals(600, p.losses().rowCount());
            double first = p.losses().doubleColumn("loss").first(20).mean(),
                    last = p.losses().doubleColumn("loss").last(20).mean();
            assertTrue(last < first - 0.5, "loss falls: first 20 steps " + first + ", last 20 " + last);
            Pretrainer.Evaluation ev = p.evaluate();
            assertEquals(262, ev.cells(), "20% of 1,308 cells held out");
            assertTrue(ev.maskedTokens() > 1500, ev.summary());
            // the baseline gets ~1.5%; the model must beat it clearly, not by noise (~1,500 tokens: 1 s.d. of 1.5% is
            // 0.3%)
            assertTrue(ev.accuracy() > 2 * ev.baseline() && ev.accuracy() > ev.baseline() + 0.03, ev.summary());
            System.out.println("pretrain on the hypothalamus reference: " + ev.summary());

            Path folder = dir.resolve("gf-demo");
            p.save(folder);
            JsonObject cfg = JsonParser.parseString(Files.readString(folder.resolve("config.json")))
                    .getAsJsonObject();
            assertEquals(
                    "BertForMaskedLM",
                    cfg.getAsJsonArray("architectures").get(0).getAsString());
            Map<String, SafeTensors.Tensor> w = SafeTensors.read(folder.resolve("model.safetensors"));
            assertTrue(
                    w.containsKey("bert.encoder.layer.1.output.LayerNorm.weight")
                            && w.containsKey("cls.predictions.transform.dense.weight")
                            && w.containsKey("cls.predictions.bias")
                            && !w.containsKey("cls.predictions.decoder.weight"),
                    w.keySet().toString());

            // our loader: the folder brings its tokenizer, input size and cell embedding; hidden states are the trained
            // ones
            PretrainedFolder pf = PretrainedFolder.open(folder, TokenizerFiles.Named.none());
            assertEquals(enc.vocabulary().tokenMap(), pf.vocabulary().tokenMap());
            assertEquals(enc.vocabulary().medianMap(), pf.vocabulary().medianMap(), "the medians it ranked with");
            assertEquals(32, pf.maxLength());
            assertEquals(BertEncoder.CellEmbedding.CLS, pf.cellEmbedding());
            pf.requireSameTokens(enc.vocabulary(), "the cells' vocabulary");
            TokenBatch b = enc.batch(new int[] {0, 1, 2});
            long[] ids = new long[b.ids().length];
            float[] mask = new float[ids.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = b.ids()[i];
                mask[i] = b.mask()[i];
            }
            try (NDManager m = NDManager.newBaseManager()) {
                BertEncoder reloaded = pf.loadEncoder(m);
                Shape s = new Shape(b.size(), b.length());
                assertArrayEquals(
                        p.encoder()
                                .embed(Tensors.of(m, ids, s), Tensors.of(m, mask, s))
                                .toFloatArray(),
                        reloaded.embed(Tensors.of(m, ids, s), Tensors.of(m, mask, s))
                                .toFloatArray(),
                        1e-6f);
            }

            // resuming reads back the same model: the same held-out evaluation
            try (Pretrainer again = Pretrainer.resume(folder, enc)) {
                assertEquals(600, again.step());
                assertEquals(600, again.losses().rowCount());
                assertEquals(ev, again.evaluate());
            }

            // PyTorch reads the folder with Hugging Face's key names and computes the same MLM logits
            String py = Python.find("torch", "numpy");
            if (py != null) {
                TokenBatch one = enc.batch(new int[] {3});
                JsonArray idsJ = new JsonArray(), row = new JsonArray();
                for (int t : one.ids()) row.add(t);
                idsJ.add(row);
                JsonObject out = JsonParser.parseString(Python.run(
                                py,
                                Path.of("src/test/resources/fixtures/read_pretrained_folder.py"),
                                folder.toString(),
                                idsJ.toString()))
                        .getAsJsonObject();
                assertEquals(
                        "[\"bert.embeddings.position_ids\",\"cls.predictions.decoder.weight\"]",
                        out.getAsJsonArray("missing").toString(),
                        "only the buffer and the tied decoder are not in the file");
                assertEquals(
                        0,
                        out.getAsJsonArray("unexpected").size(),
                        out.toString().substring(0, 200));
                assertEquals(enc.vocabulary().size(), out.get("vocab").getAsInt());
                float[] torch = PretrainedFolderTest.flatten(out.getAsJsonArray("logits"));
                float[] ours = allLogits(p, one);
                assertEquals(torch.length, ours.length);
                double max = 0;
                for (int i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i] - torch[i]));
                assertTrue(max < 1e-4, "max |java - pytorch| logit = " + max);
                System.out.println("PyTorch read the pretrain folder: max |java - pytorch| MLM logit = " + max);
            }
        }
    }

    @Test
    void stoppingSavingAndResumingGivesTheSameRunAsNotStopping(@TempDir Path dir) {
        RankValueEncoder enc = tokens(32);
        Pretrainer.Options o = new Pretrainer.Options(1, 32, 2, 64, 12, 8, 1e-3, 3, 7, 0.1);
        double[] straight;
        try (Pretrainer p = new Pretrainer(enc, o)) {
            straight = p.train(Progress.NONE).doubleColumn("loss").asDoubleArray();
        }
        Path folder = dir.resolve("run");
        try (Pretrainer p = new Pretrainer(enc, o)) {
            // cancel after step 5, as a user would; the state stays between whole steps
            assertThrows(
                    Progress.Cancelled.class,
                    () -> p.train((f, m) -> {
                        if (f >= 5 / 12.0 - 1e-9) throw new Progress.Cancelled();
                    }));
            assertEquals(5, p.step());
            p.save(folder);
        }
        try (Pretrainer p = Pretrainer.resume(folder, enc)) {
            double[] resumed = p.train(Progress.NONE).doubleColumn("loss").asDoubleArray();
            assertArrayEquals(straight, resumed, 0.0, "bit-identical losses");
        }
    }

    @Test
    void badSettingsAndFoldersAreRefusedInOneSentence(@TempDir Path dir) throws Exception {
        ScxmException e =
                assertThrows(ScxmException.class, () -> new Pretrainer.Options(2, 30, 4, 64, 10, 8, 1e-3, 0, 0, 0.1));
        assertEquals("hidden (30) must be a multiple of heads (4).", e.getMessage());
        Path foreign = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        try (Pretrainer p = new Pretrainer(tokens(16), new Pretrainer.Options(1, 16, 2, 32, 1, 4, 1e-3, 0, 0, 0.1))) {
            e = assertThrows(ScxmException.class, () -> p.save(foreign));
            assertTrue(
                    e.getMessage().contains("exists and was not written by pretrain; give a new folder"),
                    e.getMessage());
            assertEquals("keep me", Files.readString(foreign.resolve("notes.txt")));
        }
        Map<String, Integer> noMask = new java.util.LinkedHashMap<>(Map.of("<pad>", 0));
        int k = 1;
        for (String g : SC.geneNames()) noMask.put(g, k++);
        Map<String, Double> med = new java.util.HashMap<>();
        for (String g : SC.geneNames()) med.put(g, 1.0);
        RankValueEncoder v1 = new RankValueEncoder(new GeneformerVocabulary(noMask, med, null), 16, SC);
        e = assertThrows(ScxmException.class, () -> new Pretrainer(v1, Pretrainer.Options.small(10, 0)));
        assertTrue(e.getMessage().startsWith("the vocabulary has no <mask> token"), e.getMessage());
    }
}
