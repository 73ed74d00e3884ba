package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.scxm.tokenize.TokenBatch;

/**
 * SCXM's networks (paper Figure 2): encoder G_E = BERT + MLP head with sigmoid on {@code <cls>},
 * decoder G_D (bulked panel z -> binarised panel), critic D (z -> score). Each network has its own
 * {@link Weights} so optimisers and freezing act per network. Owns its NDManager: close it when done.
 */
public final class ScxmModel implements AutoCloseable {
    private final ScxmConfig config;
    private final NDManager manager;
    private final BertEncoder encoder;
    private final Weights headW, decoderW, criticW;
    private final Mlp head, decoder, critic;
    /** The own-panel map's initial diagonal: an expressed gene starts 2 logits up (sigmoid 0.5 -> 0.88). */
    static final float OWN_PANEL_LOGIT = 2f;
    /** With {@link ScxmConfig#ownPanel}: a linear map from the cell's own panel to the output's logits, or null. */
    private final Mlp ownPanelSkip;

    /** A new model with seeded random weights on the default device ({@link Torch#device} "auto"). */
    public ScxmModel(ScxmConfig config, long seed) {
        this(config, seed, Torch.device("auto"), null);
    }

    /**
     * A new model with seeded random weights (the encoder may then be overwritten by {@link #loadEncoder}),
     * every weight, optimiser state and minibatch on {@code device}: all of them are made by this model's manager.
     */
    public ScxmModel(ScxmConfig config, long seed, ai.djl.Device device) {
        this(config, seed, device, null);
    }

    /** @param pretrained the encoder's folder, or null for a seeded random encoder */
    private ScxmModel(ScxmConfig config, long seed, ai.djl.Device device, PretrainedFolder pretrained) {
        this.config = config;
        this.manager = NDManager.newBaseManager(device);
        Random r = new Random(seed);
        if (pretrained != null && !pretrained.config().equals(config.encoder())) {
            manager.close();
            throw new org.scxm.ScxmException("the model was built with another encoder shape than "
                    + pretrained.folder() + "'s config.json; build it with that folder's config.");
        }
        try {
            this.encoder = pretrained == null
                    ? new BertEncoder(config.encoder(), new Weights(manager), r)
                    : pretrained.loadEncoder(manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        this.headW = new Weights(manager);
        this.decoderW = new Weights(manager);
        this.criticW = new Weights(manager);
        int h = config.encoder().hidden(), p = config.panel(), k = config.outputs(), w = config.width();
        // With the own panel, the MLP's output (no sigmoid) is added to a linear map of the cell's bits: the MLP's
        // hidden width may be narrower than the panel, and the bits must reach every output column. A composition
        // head ends in a softmax over cell types, applied in encode.
        this.head = new Mlp(
                headW,
                "head",
                widths(h + (config.ownPanel() ? p : 0), w, k, config.headLayers()),
                Mlp.Hidden.RELU,
                !config.ownPanel() && !config.composition(),
                r);
        this.ownPanelSkip = config.ownPanel()
                ? new Mlp(headW, "head_own_panel", new int[] {p, k}, Mlp.Hidden.RELU, false, r)
                : null;
        if (ownPanelSkip != null) {
            // a bulked panel target starts as a pass-through of the cell's bits (the bulked target starts from the
            // cell); any other target starts from the MLP alone, the map learning what the bits say of it
            boolean identity = k == p && !config.composition();
            float[] eye = new float[k * p];
            if (identity) for (int j = 0; j < p; j++) eye[j * p + j] = OWN_PANEL_LOGIT;
            headW.set("head_own_panel.0.weight", eye);
            headW.set("head_own_panel.0.bias", new float[k]);
        }
        this.decoder = new Mlp(decoderW, "decoder", widths(k, w, k, config.decoderLayers()), Mlp.Hidden.RELU, true, r);
        this.critic =
                new Mlp(criticW, "critic", widths(k, w, 1, config.criticLayers()), Mlp.Hidden.LEAKY_RELU, false, r);
        encoder.freezeAllBut(config.trainableBlocks());
    }

    private static int[] widths(int in, int hidden, int out, int layers) {
        int[] s = new int[layers + 1];
        s[0] = in;
        for (int k = 1; k < layers; k++) s[k] = hidden;
        s[layers] = out;
        return s;
    }

    /**
     * Replaces the encoder's weights with those of a Hugging Face folder (model.safetensors or pytorch_model.bin),
     * then re-applies the freeze policy. Weights only: {@link #loadEncoder(PretrainedFolder)} also takes the
     * folder's cell embedding and is the path for pretrained backbones.
     */
    public void loadEncoder(java.nio.file.Path folder) {
        PretrainedFolder.WeightsFile wf = PretrainedFolder.weightsFile(folder);
        encoder.loadWeights(wf.read(), wf.describe());
        encoder.freezeAllBut(config.trainableBlocks());
    }

    /**
     * A model whose encoder is a pretrained folder's (e.g. Geneformer V2, or one {@code pretrain} wrote), with its cell
     * embedding; head, decoder and critic seeded by {@code seed}. The encoder is not randomly initialised first (for
     * V2 that saves ~8 s), so the head's initial weights differ from {@code new ScxmModel(config, seed)}'s.
     * @param config built on {@code folder.config()} (e.g. {@code ScxmConfig.paper(folder.config(), panel)})
     * @throws org.scxm.ScxmException when config's encoder is not the folder's, or the weights do not load
     */
    public static ScxmModel fromPretrained(ScxmConfig config, long seed, PretrainedFolder folder) {
        return fromPretrained(config, seed, folder, Torch.device("auto"));
    }

    /** As {@link #fromPretrained(ScxmConfig, long, PretrainedFolder)}, on a device. */
    public static ScxmModel fromPretrained(
            ScxmConfig config, long seed, PretrainedFolder folder, ai.djl.Device device) {
        return new ScxmModel(config, seed, device, folder);
    }

    /**
     * Replaces the encoder's weights with a pretrained folder's (e.g. Geneformer V2, or one {@code pretrain} wrote),
     * takes its cell embedding ({@code <cls>} for V2, mean over tokens for V1), then re-applies the freeze policy.
     * The model must have been built with the folder's config ({@link PretrainedFolder#config()}).
     */
    public void loadEncoder(PretrainedFolder folder) {
        if (!folder.config().equals(config.encoder()))
            throw new org.scxm.ScxmException("the model was built with another encoder shape than " + folder.folder()
                    + "'s config.json; build it with that folder's config.");
        encoder.loadWeights(folder.weights().read(), folder.weights().describe());
        encoder.cellEmbedding(folder.cellEmbedding());
        encoder.freezeAllBut(config.trainableBlocks());
    }

    public ScxmConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    public ai.djl.Device device() {
        return manager.getDevice();
    }

    public BertEncoder encoder() {
        return encoder;
    }

    public Mlp head() {
        return head;
    }

    public Mlp decoder() {
        return decoder;
    }

    public Mlp critic() {
        return critic;
    }

    public Weights headWeights() {
        return headW;
    }

    public Weights decoderWeights() {
        return decoderW;
    }

    public Weights criticWeights() {
        return criticW;
    }

    /** ẑ = G_E(x): predicted spatially bulked panel in [0, 1] (B, K), or a composition (rows summing to 1), for a model whose head reads {@code <cls>} only. */
    public NDArray encode(TokenBatch batch) {
        if (config.ownPanel())
            throw new IllegalStateException(
                    "this model's head also reads the cells' own panel: use encode(batch, panel)");
        return encode(batch, null);
    }

    /**
     * ẑ = G_E(x) for a batch of cells of one dataset.
     * @param panel the dataset's binarised panel (cells x P, rows by {@link TokenBatch#cells}); read only when the
     *              head takes the cell's own panel ({@link ScxmConfig#ownPanel})
     */
    public NDArray encode(TokenBatch batch, org.scxm.data.DenseMatrix panel) {
        NDArray[] in = inputs(manager, batch);
        NDArray cls = encoder.embed(in[0], in[1]);
        NDArray logits;
        if (!config.ownPanel()) {
            if (!config.composition()) return head.forward(cls); // the head's own sigmoid
            logits = head.forward(cls);
        } else {
            if (panel == null || panel.cols() != config.panel())
                throw new org.scxm.ScxmException("the model's head reads each cell's own binarised panel of "
                        + config.panel() + " genes; harmonise the dataset before predicting it.");
            NDArray bits = Tensors.rows(manager, panel, batch.cells());
            logits = head.forward(cls.concat(bits, 1)).add(ownPanelSkip.forward(bits));
        }
        return config.composition() ? logits.softmax(1) : ai.djl.nn.Activation.sigmoid(logits);
    }

    /** A token batch as (ids int64, mask float) arrays. */
    static NDArray[] inputs(NDManager m, TokenBatch b) {
        long[] ids = new long[b.ids().length];
        float[] mask = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = b.ids()[i];
            mask[i] = b.mask()[i];
        }
        Shape s = new Shape(b.size(), b.length());
        return new NDArray[] {Tensors.of(m, ids, s), Tensors.of(m, mask, s)};
    }

    /** Parameter counts: total and trainable in the generator (encoder + head + decoder). */
    public String describe() {
        long enc = encoder.weights().count(false), encT = encoder.weights().count(true);
        return String.format(
                "encoder %,d parameters (%,d trainable, last %d of %d blocks), head %,d, decoder %,d, critic %,d; cell embedding: %s",
                enc,
                encT,
                Math.min(config.trainableBlocks(), config.encoder().layers()),
                config.encoder().layers(),
                headW.count(false),
                decoderW.count(false),
                criticW.count(false),
                encoder.cellEmbedding().description());
    }

    @Override
    public void close() {
        manager.close();
    }
}
