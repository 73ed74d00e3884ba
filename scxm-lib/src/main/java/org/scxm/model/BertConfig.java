package org.scxm.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scxm.ScxmException;

/**
 * The encoder's shape, read from a Hugging Face config.json and followed exactly: Geneformer's
 * hidden_act is relu (not BERT's usual gelu), layer_norm_eps 1e-12, 4,096 positions for V2.
 */
public record BertConfig(
        int vocabSize,
        int hidden,
        int layers,
        int heads,
        int intermediate,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        String hiddenAct,
        int padTokenId) {

    public BertConfig {
        if (hidden % heads != 0)
            throw new ScxmException(
                    "hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads + ".");
        if (!hiddenAct.equals("relu") && !hiddenAct.equals("gelu"))
            throw new ScxmException(
                    "hidden_act '" + hiddenAct + "' is not supported; use relu (Geneformer) or gelu (BERT).");
    }

    /** A small configuration for the demo and tests: Geneformer's shape rules, far fewer weights. */
    /** The same encoder with another width and depth; the feed-forward layer stays twice the width, as {@link #small}'s. */
    public BertConfig resized(int newHidden, int newLayers) {
        return new BertConfig(
                vocabSize,
                newHidden,
                newLayers,
                heads,
                newHidden * 2,
                maxPositions,
                typeVocabSize,
                layerNormEps,
                hiddenAct,
                padTokenId);
    }

    public static BertConfig small(int vocabSize, int maxPositions) {
        return new BertConfig(vocabSize, 128, 4, 4, 256, maxPositions, 2, 1e-12, "relu", 0);
    }

    /** Geneformer V2-104M's shape (12 layers, hidden 768, 12 heads, intermediate 3072, 4,096 positions, vocabulary 20,275). */
    public static BertConfig geneformerV2() {
        return new BertConfig(20275, 768, 12, 12, 3072, 4096, 2, 1e-12, "relu", 0);
    }

    public static BertConfig fromJson(Path file) {
        if (!Files.isRegularFile(file))
            throw new ScxmException(
                    "no config.json at " + file + "; a model folder needs config.json and model.safetensors.");
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            // BERT's other choices (relative_key, relative_key_query) add learned distance terms inside attention;
            // refusing
            // them beats running the model without its position information.
            if (o.has("position_embedding_type")
                    && !o.get("position_embedding_type").isJsonNull()
                    && !o.get("position_embedding_type").getAsString().equals("absolute"))
                throw new ScxmException(
                        file + " sets position_embedding_type '"
                                + o.get("position_embedding_type").getAsString()
                                + "', but this encoder supports only 'absolute' (learned positions, as BERT and Geneformer use); use a model with absolute positions.");
            return new BertConfig(
                    req(o, "vocab_size", file),
                    req(o, "hidden_size", file),
                    req(o, "num_hidden_layers", file),
                    req(o, "num_attention_heads", file),
                    req(o, "intermediate_size", file),
                    req(o, "max_position_embeddings", file),
                    o.has("type_vocab_size") ? o.get("type_vocab_size").getAsInt() : 2,
                    o.has("layer_norm_eps") ? o.get("layer_norm_eps").getAsDouble() : 1e-12,
                    o.has("hidden_act") ? o.get("hidden_act").getAsString() : "gelu",
                    o.has("pad_token_id") && !o.get("pad_token_id").isJsonNull()
                            ? o.get("pad_token_id").getAsInt()
                            : 0);
        } catch (IOException | IllegalStateException | com.google.gson.JsonParseException e) {
            throw new ScxmException(file + " is not a readable config.json (" + e.getMessage() + ").", e);
        }
    }

    private static int req(JsonObject o, String key, Path file) {
        if (!o.has(key)) throw new ScxmException(file + " has no '" + key + "'; is it a BERT config.json?");
        return o.get(key).getAsInt();
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("BertForMaskedLM");
        o.add("architectures", arch);
        o.addProperty("model_type", "bert");
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("hidden_size", hidden);
        o.addProperty("num_hidden_layers", layers);
        o.addProperty("num_attention_heads", heads);
        o.addProperty("intermediate_size", intermediate);
        o.addProperty("max_position_embeddings", maxPositions);
        o.addProperty("type_vocab_size", typeVocabSize);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("hidden_act", hiddenAct);
        o.addProperty("pad_token_id", padTokenId);
        o.addProperty("position_embedding_type", "absolute");
        o.addProperty("initializer_range", 0.02);
        o.addProperty("torch_dtype", "float32");
        return o;
    }
}
