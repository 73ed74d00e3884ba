package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import org.scxm.ScxmException;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A BERT encoder reproducing Hugging Face {@code BertModel} math: word + learned absolute position
 * + token-type embeddings, LayerNorm; post-LayerNorm blocks (self-attention with an additive mask over
 * padding, then a feed-forward network with the config's activation). Dropout is omitted: it is
 * zero at inference and the paper's fine-tuning results do not depend on it; leaving it out keeps
 * training bit-reproducible. Parameter names are BertForMaskedLM's without the {@code bert.} prefix.
 */
public final class BertEncoder {
    /** How a cell's token sequence becomes one vector: what the model defines as its cell embedding. */
    public enum CellEmbedding {
        /** Geneformer V2 (vocabulary with {@code <cls>}): the {@code <cls>} token's hidden state. */
        CLS("the <cls> token's last hidden state (the vocabulary has <cls>, as Geneformer V2)"),
        /** Geneformer V1 (no {@code <cls>}): the mean over the cell's tokens, as Geneformer's embedding extractor does. */
        MEAN("the mean of the last hidden states over the cell's non-pad tokens (the vocabulary has no <cls>, as Geneformer V1)");

        private final String description;
        CellEmbedding(String description) { this.description = description; }
        /** A phrase for the user, e.g. in the model's summary line. */
        public String description() { return description; }
    }

    private final BertConfig c;
    private final Weights w;
    private CellEmbedding cellEmbedding = CellEmbedding.CLS;

    public BertEncoder(BertConfig config, Weights weights, Random init) {
        this.c = config; this.w = weights;
        int h = c.hidden();
        w.normal("embeddings.word_embeddings.weight", new Shape(c.vocabSize(), h), 0.02, init);
        w.normal("embeddings.position_embeddings.weight", new Shape(c.maxPositions(), h), 0.02, init);
        w.normal("embeddings.token_type_embeddings.weight", new Shape(c.typeVocabSize(), h), 0.02, init);
        w.constant("embeddings.LayerNorm.weight", new Shape(h), 1f);
        w.constant("embeddings.LayerNorm.bias", new Shape(h), 0f);
        for (int l = 0; l < c.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[]{"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                w.normal(p + m + ".weight", new Shape(h, h), 0.02, init);
                w.constant(p + m + ".bias", new Shape(h), 0f);
            }
            w.constant(p + "attention.output.LayerNorm.weight", new Shape(h), 1f);
            w.constant(p + "attention.output.LayerNorm.bias", new Shape(h), 0f);
            w.normal(p + "intermediate.dense.weight", new Shape(c.intermediate(), h), 0.02, init);
            w.constant(p + "intermediate.dense.bias", new Shape(c.intermediate()), 0f);
            w.normal(p + "output.dense.weight", new Shape(h, c.intermediate()), 0.02, init);
            w.constant(p + "output.dense.bias", new Shape(h), 0f);
            w.constant(p + "output.LayerNorm.weight", new Shape(h), 1f);
            w.constant(p + "output.LayerNorm.bias", new Shape(h), 0f);
        }
    }

    public BertConfig config() { return c; }
    public Weights weights() { return w; }
    public CellEmbedding cellEmbedding() { return cellEmbedding; }
    /** Sets the cell embedding (a pretrained folder's vocabulary decides it: {@link PretrainedFolder#cellEmbedding}). */
    public void cellEmbedding(CellEmbedding e) { this.cellEmbedding = java.util.Objects.requireNonNull(e); }

    /**
     * Loads a Hugging Face folder (config.json + model.safetensors or pytorch_model.bin) into a new encoder,
     * with the cell embedding its dictionary implies when one is in the folder ({@code <cls>} otherwise).
     */
    public static BertEncoder load(Path folder, NDManager manager) {
        BertConfig cfg = BertConfig.fromJson(folder.resolve("config.json"));
        BertEncoder e = new BertEncoder(cfg, new Weights(manager), new Random(0));
        PretrainedFolder.WeightsFile wf = PretrainedFolder.weightsFile(folder);
        e.loadWeights(wf.read(), wf.describe());
        return e;
    }

    /**
     * Copies weights from tensors named as in BertForMaskedLM ({@code bert.} prefix optional). Heads
     * that the encoder does not use (cls.predictions.*, pooler) are ignored; any other unknown,
     * missing or mis-shaped key is an error naming it.
     */
    public void loadWeights(Map<String, SafeTensors.Tensor> tensors, String source) {
        Set<String> seen = new HashSet<>();
        Set<String> unknown = new TreeSet<>();
        for (var e : tensors.entrySet()) {
            String k = e.getKey().startsWith("bert.") ? e.getKey().substring(5) : e.getKey();
            if (k.startsWith("cls.") || k.startsWith("pooler.") || k.endsWith("position_ids")) continue;
            if (!w.all().containsKey(k)) { unknown.add(e.getKey()); continue; }
            long[] want = w.get(k).getShape().getShape();
            if (!java.util.Arrays.equals(want, e.getValue().shape()))
                throw new ScxmException(source + ": tensor " + e.getKey() + " has shape " + java.util.Arrays.toString(e.getValue().shape())
                        + " but config.json implies " + java.util.Arrays.toString(want) + "; the weights and config.json do not belong together.");
            w.set(k, e.getValue().data());
            seen.add(k);
        }
        if (!unknown.isEmpty())
            throw new ScxmException(source + " has " + unknown.size() + " tensors this BERT does not know, e.g. " + unknown.iterator().next()
                    + "; is it a BertForMaskedLM (Geneformer) checkpoint?");
        Set<String> missing = new TreeSet<>(w.all().keySet());
        missing.removeAll(seen);
        if (!missing.isEmpty())
            throw new ScxmException(source + " lacks " + missing.size() + " tensors, e.g. bert." + missing.iterator().next()
                    + "; the file is incomplete or from another architecture.");
    }

    /**
     * Freezes the embeddings and all blocks but the last {@code trainableBlocks} (paper 4.3: k = 4 of 12).
     * When k covers every block the whole encoder trains, embeddings included: that is the setting
     * for a small encoder trained from scratch (the demo), whose random embeddings must learn.
     */
    public void freezeAllBut(int trainableBlocks) {
        boolean all = trainableBlocks >= c.layers();
        w.setTrainable("", all);
        for (int l = Math.max(0, c.layers() - trainableBlocks); l < c.layers(); l++) w.setTrainable("encoder.layer." + l + ".", true);
    }

    /**
     * Hidden states of the last layer.
     * @param ids  (B, T) token ids, int64
     * @param mask (B, T) 1 for tokens, 0 for padding
     * @return (B, T, hidden)
     */
    public NDArray forward(NDArray ids, NDArray mask) {
        long b = ids.getShape().get(0), t = ids.getShape().get(1);
        if (t > c.maxPositions()) throw new ScxmException("sequences of " + t + " tokens exceed the model's " + c.maxPositions() + " positions; lower max_length.");
        int h = c.hidden();
        NDArray x = ids.getNDArrayInternal().embedding(ids, w.get("embeddings.word_embeddings.weight"), SparseFormat.DENSE).singletonOrThrow();
        x = x.add(w.get("embeddings.position_embeddings.weight").get(new NDIndex("0:" + t)));
        x = x.add(w.get("embeddings.token_type_embeddings.weight").get(new NDIndex("0")));
        x = layerNorm(x, "embeddings.LayerNorm");
        // additive mask: 0 for tokens, a large negative number for padding, broadcast over heads and queries
        NDArray maskAdd = mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(-1e9f).reshape(b, 1, 1, t);
        int heads = c.heads(), dh = h / heads;
        float scale = (float) (1.0 / Math.sqrt(dh));
        for (int l = 0; l < c.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            NDArray q = split(linear(x, p + "attention.self.query"), b, t, heads, dh);
            NDArray k = split(linear(x, p + "attention.self.key"), b, t, heads, dh);
            NDArray v = split(linear(x, p + "attention.self.value"), b, t, heads, dh);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(maskAdd);
            NDArray ctx = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, h);
            x = layerNorm(linear(ctx, p + "attention.output.dense").add(x), p + "attention.output.LayerNorm");
            NDArray inter = linear(x, p + "intermediate.dense");
            inter = c.hiddenAct().equals("relu") ? Activation.relu(inter) : Activation.gelu(inter);
            x = layerNorm(linear(inter, p + "output.dense").add(x), p + "output.LayerNorm");
        }
        return x;
    }

    /** The {@code <cls>} (first position) hidden state, (B, hidden). */
    public NDArray cls(NDArray ids, NDArray mask) {
        return forward(ids, mask).get(new NDIndex(":, 0, :"));
    }

    /** The cell embedding as this model defines it ({@link #cellEmbedding()}), (B, hidden). */
    public NDArray embed(NDArray ids, NDArray mask) {
        NDArray hidden = forward(ids, mask);
        if (cellEmbedding == CellEmbedding.CLS) return hidden.get(new NDIndex(":, 0, :"));
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2); // (B, T, 1)
        return hidden.mul(m).sum(new int[]{1}).div(m.sum(new int[]{1}).maximum(1f));
    }

    private NDArray linear(NDArray x, String name) {
        return x.getNDArrayInternal().linear(x, w.get(name + ".weight"), w.get(name + ".bias")).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String name) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(c.hidden()), w.get(name + ".weight"), w.get(name + ".bias"),
                (float) c.layerNormEps()).singletonOrThrow();
    }

    private static NDArray split(NDArray x, long b, long t, int heads, int dh) {
        return x.reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
    }
}
