package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.scxm.ScxmException;

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
        MEAN(
                "the mean of the last hidden states over the cell's non-pad tokens (the vocabulary has no <cls>, as Geneformer V1)");

        private final String description;

        CellEmbedding(String description) {
            this.description = description;
        }
        /** A phrase for the user, e.g. in the model's summary line. */
        public String description() {
            return description;
        }
    }

    private final BertConfig c;
    private final Weights w;
    private CellEmbedding cellEmbedding = CellEmbedding.CLS;

    /** A new encoder with BERT's initialisation: matrices Normal(0, 0.02) from {@code init}, biases 0, LayerNorm 1 and 0. */
    public BertEncoder(BertConfig config, Weights weights, Random init) {
        this.c = config;
        this.w = weights;
        for (var e : layout(c).entrySet()) {
            String n = e.getKey();
            if (n.endsWith(".weight") && !n.contains("LayerNorm")) w.normal(n, e.getValue(), 0.02, init);
            else w.constant(n, e.getValue(), n.endsWith("LayerNorm.weight") ? 1f : 0f);
        }
    }

    private BertEncoder(BertConfig config, Weights weights) {
        this.c = config;
        this.w = weights;
    }

    /** The parameters a config implies, name -> shape, in initialisation order (the order of the random draws). */
    static Map<String, Shape> layout(BertConfig c) {
        Map<String, Shape> m = new java.util.LinkedHashMap<>();
        int h = c.hidden();
        m.put("embeddings.word_embeddings.weight", new Shape(c.vocabSize(), h));
        m.put("embeddings.position_embeddings.weight", new Shape(c.maxPositions(), h));
        m.put("embeddings.token_type_embeddings.weight", new Shape(c.typeVocabSize(), h));
        m.put("embeddings.LayerNorm.weight", new Shape(h));
        m.put("embeddings.LayerNorm.bias", new Shape(h));
        for (int l = 0; l < c.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            for (String n : new String[] {
                "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"
            }) {
                m.put(p + n + ".weight", new Shape(h, h));
                m.put(p + n + ".bias", new Shape(h));
            }
            m.put(p + "attention.output.LayerNorm.weight", new Shape(h));
            m.put(p + "attention.output.LayerNorm.bias", new Shape(h));
            m.put(p + "intermediate.dense.weight", new Shape(c.intermediate(), h));
            m.put(p + "intermediate.dense.bias", new Shape(c.intermediate()));
            m.put(p + "output.dense.weight", new Shape(h, c.intermediate()));
            m.put(p + "output.dense.bias", new Shape(h));
            m.put(p + "output.LayerNorm.weight", new Shape(h));
            m.put(p + "output.LayerNorm.bias", new Shape(h));
        }
        return m;
    }

    /**
     * An encoder made directly from checkpoint tensors (checked as {@link #loadWeights} does), without first filling
     * weights that would be overwritten: for Geneformer V2's 104M parameters that saves seconds and a copy in memory.
     */
    public static BertEncoder fromTensors(
            BertConfig config, Weights weights, Map<String, SafeTensors.Tensor> tensors, String source) {
        BertEncoder e = new BertEncoder(config, weights);
        Map<String, Shape> layout = layout(config);
        Map<String, String> keys = match(shapes(tensors, SafeTensors.Tensor::shape), source, layout);
        for (var l : layout.entrySet())
            weights.add(
                    l.getKey(), l.getValue(), tensors.get(keys.get(l.getKey())).data());
        return e;
    }

    /**
     * As {@link #fromTensors}, from a memory-mapped safetensors file: float32 tensors go from the file's pages to the
     * engine in one copy, with no Java array in between; other dtypes are decoded first.
     */
    public static BertEncoder fromMapped(
            BertConfig config, Weights weights, Map<String, SafeTensors.Raw> tensors, java.nio.file.Path file) {
        BertEncoder e = new BertEncoder(config, weights);
        Map<String, Shape> layout = layout(config);
        Map<String, String> keys = match(shapes(tensors, SafeTensors.Raw::shape), file.toString(), layout);
        for (var l : layout.entrySet()) {
            String key = keys.get(l.getKey());
            SafeTensors.Raw r = tensors.get(key);
            if (r.dtype().equals("F32"))
                weights.adopt(l.getKey(), Tensors.ofFloat32(weights.manager(), r.bytes(), l.getValue()));
            else
                weights.add(
                        l.getKey(),
                        l.getValue(),
                        SafeTensors.decode(key, r, file).data());
        }
        return e;
    }

    private static <T> Map<String, long[]> shapes(
            Map<String, T> tensors, java.util.function.Function<T, long[]> shape) {
        Map<String, long[]> out = new java.util.LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, shape.apply(v)));
        return out;
    }

    public BertConfig config() {
        return c;
    }

    public Weights weights() {
        return w;
    }

    public CellEmbedding cellEmbedding() {
        return cellEmbedding;
    }
    /** Sets the cell embedding (a pretrained folder's vocabulary decides it: {@link PretrainedFolder#cellEmbedding}). */
    public void cellEmbedding(CellEmbedding e) {
        this.cellEmbedding = java.util.Objects.requireNonNull(e);
    }

    /**
     * Loads a Hugging Face folder (config.json + model.safetensors or pytorch_model.bin) into a new encoder,
     * with the cell embedding its dictionary implies when one is in the folder ({@code <cls>} otherwise).
     */
    public static BertEncoder load(Path folder, NDManager manager) {
        BertConfig cfg = BertConfig.fromJson(folder.resolve("config.json"));
        return PretrainedFolder.weightsFile(folder).load(cfg, new Weights(manager));
    }

    /**
     * Copies weights from tensors named as in BertForMaskedLM ({@code bert.} prefix optional). Heads
     * that the encoder does not use (cls.predictions.*, pooler) are ignored; any other unknown,
     * missing or mis-shaped key is an error naming it.
     */
    public void loadWeights(Map<String, SafeTensors.Tensor> tensors, String source) {
        Map<String, Shape> have = new java.util.LinkedHashMap<>();
        w.all().forEach((k, v) -> have.put(k, v.getShape()));
        match(shapes(tensors, SafeTensors.Tensor::shape), source, have)
                .forEach((k, key) -> w.set(k, tensors.get(key).data()));
    }

    /**
     * The checkpoint key of each expected parameter ({@code bert.} prefix optional; cls.*, pooler.* and position_ids
     * ignored), or an error naming the first unknown, missing or mis-shaped key.
     */
    private static Map<String, String> match(Map<String, long[]> shapes, String source, Map<String, Shape> expected) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (var e : shapes.entrySet()) {
            String k = e.getKey().startsWith("bert.") ? e.getKey().substring(5) : e.getKey();
            if (k.startsWith("cls.") || k.startsWith("pooler.") || k.endsWith("position_ids")) continue;
            if (!expected.containsKey(k)) {
                unknown.add(e.getKey());
                continue;
            }
            long[] want = expected.get(k).getShape();
            if (!java.util.Arrays.equals(want, e.getValue()))
                throw new ScxmException(source + ": tensor " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(e.getValue()) + " but config.json implies "
                        + java.util.Arrays.toString(want) + "; the weights and config.json do not belong together.");
            out.put(k, e.getKey());
        }
        if (!unknown.isEmpty())
            throw new ScxmException(source + " has " + unknown.size() + " tensors this BERT does not know, e.g. "
                    + unknown.iterator().next() + "; is it a BertForMaskedLM (Geneformer) checkpoint?");
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(out.keySet());
        if (!missing.isEmpty())
            throw new ScxmException(source + " lacks " + missing.size() + " tensors, e.g. bert."
                    + missing.iterator().next() + "; the file is incomplete or from another architecture.");
        return out;
    }

    /**
     * Freezes the embeddings and all blocks but the last {@code trainableBlocks} (paper 4.3: k = 4 of 12).
     * When k covers every block the whole encoder trains, embeddings included: that is the setting
     * for a small encoder trained from scratch (the demo), whose random embeddings must learn.
     */
    public void freezeAllBut(int trainableBlocks) {
        boolean all = trainableBlocks >= c.layers();
        w.setTrainable("", all);
        for (int l = Math.max(0, c.layers() - trainableBlocks); l < c.layers(); l++)
            w.setTrainable("encoder.layer." + l + ".", true);
    }

    /**
     * Hidden states of the last layer.
     * @param ids  (B, T) token ids, int64
     * @param mask (B, T) 1 for tokens, 0 for padding
     * @return (B, T, hidden)
     */
    public NDArray forward(NDArray ids, NDArray mask) {
        long b = ids.getShape().get(0), t = ids.getShape().get(1);
        if (t > c.maxPositions())
            throw new ScxmException("sequences of " + t + " tokens exceed the model's " + c.maxPositions()
                    + " positions; lower max_length.");
        int h = c.hidden();
        NDArray x = ids.getNDArrayInternal()
                .embedding(ids, w.get("embeddings.word_embeddings.weight"), SparseFormat.DENSE)
                .singletonOrThrow();
        x = x.add(w.get("embeddings.position_embeddings.weight").get(new NDIndex("0:" + t)));
        x = x.add(w.get("embeddings.token_type_embeddings.weight").get(new NDIndex("0")));
        x = layerNorm(x, "embeddings.LayerNorm");
        // additive mask: 0 for tokens, a large negative number for padding, broadcast over heads and queries
        NDArray maskAdd =
                mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(-1e9f).reshape(b, 1, 1, t);
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
        return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f));
    }

    private NDArray linear(NDArray x, String name) {
        return x.getNDArrayInternal()
                .linear(x, w.get(name + ".weight"), w.get(name + ".bias"))
                .singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String name) {
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(c.hidden()), w.get(name + ".weight"), w.get(name + ".bias"), (float)
                        c.layerNormEps())
                .singletonOrThrow();
    }

    private static NDArray split(NDArray x, long b, long t, int heads, int dh) {
        return x.reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
    }
}
