package org.scxm.model;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.scxm.ScxmException;

/**
 * The SCXM architecture (paper 3.2, 4.3). Defaults are the paper's: the last 4 encoder blocks
 * trainable, a 2-layer head on {@code <cls>} with sigmoid, a 4-layer decoder G_D and a 5-layer critic D.
 * The brain variant (fully frozen backbone, 3-layer head, one decoder layer less) is
 * {@link #frozenBackbone()}, a configuration rather than a fork.
 *
 * @param encoder         the BERT shape
 * @param panel           the spatial panel size P (the own-panel input; the outputs of a bulked target)
 * @param trainableBlocks encoder blocks trained from the top (0 = fully frozen backbone)
 * @param headLayers      linear layers of the head MLP on {@code <cls>}
 * @param decoderLayers   linear layers of G_D
 * @param criticLayers    linear layers of D
 * @param width           hidden width of head, decoder and critic
 * @param ownPanel        the head also reads the cell's own binarised panel beside {@code <cls>}, and a linear map of it
 *                        is added to the head's output before the sigmoid (not in the paper:
 *                        rank tokens cut at max_length can drop panel genes, and the bulked target starts from the
 *                        cell itself; false is the paper's head)
 * @param outputs         the width K of the prediction, the decoder and the critic's input: the panel for a bulked
 *                        expression target, the training slide's cell types for a composition target
 * @param target          what the head predicts: {@link Target#BULKED} expression (sigmoid per gene) or the
 *                        neighbourhood's {@link Target#COMPOSITION} (softmax over cell types)
 */
public record ScxmConfig(
        BertConfig encoder,
        int panel,
        int trainableBlocks,
        int headLayers,
        int decoderLayers,
        int criticLayers,
        int width,
        boolean ownPanel,
        int outputs,
        Target target) {

    /** What the head predicts for a cell. */
    public enum Target {
        /** The spatially bulked binarised (or log) panel, one sigmoid per gene (the paper). */
        BULKED,
        /**
         * The neighbourhood's cell-type composition, a softmax over the training slide's types (the paper's future
         * work); the decoder then reads it back to the cell's own type.
         */
        COMPOSITION
    }

    public ScxmConfig {
        if (target == null) target = Target.BULKED;
        if (outputs < 1)
            throw new ScxmException("the model needs at least one output column, got " + outputs
                    + "; bulk a target first (a composition needs at least one cell type).");
        if (panel < 1)
            throw new ScxmException(
                    "the model needs a spatial panel of at least one gene, got " + panel + "; run harmonise first.");
        if (trainableBlocks < 0)
            throw new ScxmException(
                    "trainable=" + trainableBlocks + " must be 0 (frozen backbone) or more encoder blocks.");
        if (headLayers < 1 || decoderLayers < 1)
            throw new ScxmException(
                    "head and decoder need at least one layer (got " + headLayers + " and " + decoderLayers + ").");
        if (criticLayers < 2)
            throw new ScxmException(
                    "the critic needs at least two layers (got " + criticLayers + "); the paper uses 5.");
        if (width < 1) throw new ScxmException("width=" + width + " must be a positive layer width, e.g. 256.");
    }

    /** A bulked expression target: the outputs are the panel. */
    public ScxmConfig(
            BertConfig encoder,
            int panel,
            int trainableBlocks,
            int headLayers,
            int decoderLayers,
            int criticLayers,
            int width,
            boolean ownPanel) {
        this(
                encoder,
                panel,
                trainableBlocks,
                headLayers,
                decoderLayers,
                criticLayers,
                width,
                ownPanel,
                panel,
                Target.BULKED);
    }

    /** The paper's head, on {@code <cls>} only. */
    public ScxmConfig(
            BertConfig encoder,
            int panel,
            int trainableBlocks,
            int headLayers,
            int decoderLayers,
            int criticLayers,
            int width) {
        this(encoder, panel, trainableBlocks, headLayers, decoderLayers, criticLayers, width, false);
    }

    public static ScxmConfig paper(BertConfig encoder, int panel) {
        return new ScxmConfig(encoder, panel, 4, 2, 4, 5, 256);
    }

    /** The brain-dataset variant: frozen backbone, 3-layer head, a decoder layer less. */
    public ScxmConfig frozenBackbone() {
        return with(encoder, 0, 3, decoderLayers - 1, width, ownPanel);
    }

    public ScxmConfig withEncoder(BertConfig e) {
        return with(e, trainableBlocks, headLayers, decoderLayers, width, ownPanel);
    }

    public ScxmConfig withTrainableBlocks(int k) {
        return with(encoder, k, headLayers, decoderLayers, width, ownPanel);
    }

    public ScxmConfig withWidth(int w) {
        return with(encoder, trainableBlocks, headLayers, decoderLayers, w, ownPanel);
    }

    public ScxmConfig withOwnPanel(boolean own) {
        return with(encoder, trainableBlocks, headLayers, decoderLayers, width, own);
    }

    /** The same architecture predicting another target of {@code k} columns (k = panel for a bulked target). */
    public ScxmConfig withTarget(Target t, int k) {
        return new ScxmConfig(
                encoder, panel, trainableBlocks, headLayers, decoderLayers, criticLayers, width, ownPanel, k, t);
    }

    /** The one copy of every component, for the withers above (panel, outputs and critic never change after sizing). */
    private ScxmConfig with(BertConfig e, int trainable, int head, int decoder, int w, boolean own) {
        return new ScxmConfig(e, panel, trainable, head, decoder, criticLayers, w, own, outputs, target);
    }

    /** True when the head predicts a neighbourhood composition. */
    public boolean composition() {
        return target == Target.COMPOSITION;
    }

    public JsonObject toJson() {
        JsonObject o = new Gson().toJsonTree(this).getAsJsonObject();
        o.add("encoder", encoder.toJson());
        return o;
    }

    public static ScxmConfig fromJson(JsonObject o) {
        JsonObject e = o.getAsJsonObject("encoder");
        BertConfig b = new BertConfig(
                e.get("vocab_size").getAsInt(),
                e.get("hidden_size").getAsInt(),
                e.get("num_hidden_layers").getAsInt(),
                e.get("num_attention_heads").getAsInt(),
                e.get("intermediate_size").getAsInt(),
                e.get("max_position_embeddings").getAsInt(),
                e.get("type_vocab_size").getAsInt(),
                e.get("layer_norm_eps").getAsDouble(),
                e.get("hidden_act").getAsString(),
                e.get("pad_token_id").getAsInt());
        return new ScxmConfig(
                b,
                o.get("panel").getAsInt(),
                o.get("trainableBlocks").getAsInt(),
                o.get("headLayers").getAsInt(),
                o.get("decoderLayers").getAsInt(),
                o.get("criticLayers").getAsInt(),
                o.get("width").getAsInt(),
                o.has("ownPanel") && o.get("ownPanel").getAsBoolean(),
                // checkpoints written before composition targets predicted the panel
                o.has("outputs") ? o.get("outputs").getAsInt() : o.get("panel").getAsInt(),
                o.has("target") ? Target.valueOf(o.get("target").getAsString()) : Target.BULKED);
    }
}
