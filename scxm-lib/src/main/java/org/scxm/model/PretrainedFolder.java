package org.scxm.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.scxm.ScxmException;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.TokenizerFiles;

/**
 * A pretrained model folder as Hugging Face and Geneformer lay it out: {@code config.json}, weights
 * ({@code model.safetensors} or {@code pytorch_model.bin}, or their sharded {@code .index.json} forms) and
 * the tokenizer the model was trained with (token and median dictionaries, optionally gene names). A
 * pretrained backbone always travels with its tokenizer: opening the folder checks that the token
 * dictionary indexes the embedding matrix row for row and that the median dictionary is of the same
 * release (see {@link TokenizerFiles}); {@code pretrain} writes folders of this shape.
 */
public final class PretrainedFolder {
    /** The weights file of a folder and its format. */
    public record WeightsFile(Path file, Format format) {
        public enum Format {
            SAFETENSORS,
            PYTORCH,
            SAFETENSORS_SHARDED,
            PYTORCH_SHARDED
        }

        /** All tensors, keys as in the file ({@code bert.*}, {@code cls.*}). */
        public Map<String, SafeTensors.Tensor> read() {
            return switch (format) {
                case SAFETENSORS -> SafeTensors.read(file);
                case PYTORCH -> TorchCheckpoint.read(file);
                case SAFETENSORS_SHARDED, PYTORCH_SHARDED -> readSharded(file, format == Format.SAFETENSORS_SHARDED);
            };
        }

        public String describe() {
            return file.toString();
        }

        /** A new encoder of the given shape with these weights (a single file's float32 bytes go to the engine without Java arrays). */
        public BertEncoder load(BertConfig config, Weights weights) {
            if (format == Format.SAFETENSORS)
                return BertEncoder.fromMapped(config, weights, SafeTensors.map(file), file);
            if (format == Format.PYTORCH)
                return BertEncoder.fromMapped(config, weights, TorchCheckpoint.map(file), file);
            return BertEncoder.fromTensors(config, weights, read(), describe());
        }
    }

    private final Path folder;
    private final BertConfig config;
    private final WeightsFile weights;
    private final TokenizerFiles.Chosen tokenizer;

    private PretrainedFolder(Path folder, BertConfig config, WeightsFile weights, TokenizerFiles.Chosen tokenizer) {
        this.folder = folder;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
    }

    /**
     * Opens a model folder and its tokenizer.
     * @param folder the folder with config.json, weights and dictionaries
     * @param named  dictionaries the user named (null entries: choose from the folder); naming both token and
     *               median dictionary allows a mix of releases, with a warning in {@link #warnings()}
     * @throws ScxmException (one sentence saying what to give) when config.json, the weights or a dictionary is
     *                       missing, config.json asks for something unsupported, the token dictionary does not fit
     *                       the embedding matrix, or token and median dictionaries are of different releases
     */
    public static PretrainedFolder open(Path folder, TokenizerFiles.Named named) {
        if (!Files.isDirectory(folder))
            throw new ScxmException(
                    "model folder " + folder
                            + " does not exist; give the folder that holds config.json and model.safetensors (or pytorch_model.bin).");
        BertConfig cfg = BertConfig.fromJson(folder.resolve("config.json"));
        WeightsFile w = weightsFile(folder);
        TokenizerFiles.Chosen tok =
                TokenizerFiles.choose(folder, named == null ? TokenizerFiles.Named.none() : named, cfg.vocabSize());
        TokenizerFiles.requireFits(
                tok.vocabulary(),
                cfg.vocabSize(),
                cfg.padTokenId(),
                tok.tokenFile().toString());
        return new PretrainedFolder(folder, cfg, w, tok);
    }

    /**
     * What {@code tokenize vocab=FOLDER} needs: the vocabulary, the model's input size as the default max_length,
     * the warnings to show and a line to show.
     * @param maxLength the model's max_position_embeddings, or 0 for a folder of dictionaries without a model
     */
    public record Tokenizer(GeneformerVocabulary vocabulary, int maxLength, List<String> warnings, String describe) {}

    /**
     * The tokenizer of a folder: a model folder's (config.json present: opened and checked as {@link #open} does)
     * or, for a folder of dictionaries only (such as Geneformer's package data), the dictionaries that belong together.
     * @throws ScxmException as {@link #open} and {@link TokenizerFiles#choose} do
     */
    public static Tokenizer tokenizer(Path folder, TokenizerFiles.Named named) {
        TokenizerFiles.Named n = named == null ? TokenizerFiles.Named.none() : named;
        if (folder != null && Files.isRegularFile(folder.resolve("config.json"))) {
            PretrainedFolder pf = open(folder, n);
            return new Tokenizer(
                    pf.vocabulary(),
                    pf.maxLength(),
                    pf.warnings(),
                    pf.tokenizer().describe() + ", max_length " + pf.maxLength() + " from config.json");
        }
        if (folder != null && !Files.isDirectory(folder))
            throw new ScxmException(
                    folder
                            + " is not a folder; give the model's folder (config.json and dictionaries) or a folder of Geneformer's dictionaries.");
        TokenizerFiles.Chosen c = TokenizerFiles.choose(folder, n, 0);
        return new Tokenizer(c.vocabulary(), 0, c.warnings(), c.describe());
    }

    public Path folder() {
        return folder;
    }

    public BertConfig config() {
        return config;
    }

    public WeightsFile weights() {
        return weights;
    }
    /** The tokenizer's vocabulary (token ids, medians, gene names). */
    public GeneformerVocabulary vocabulary() {
        return tokenizer.vocabulary();
    }

    public TokenizerFiles.Chosen tokenizer() {
        return tokenizer;
    }
    /** The model's input size (max_position_embeddings): the tokenizer's default max_length (4,096 for V2, 2,048 for V1). */
    public int maxLength() {
        return config.maxPositions();
    }
    /** V2-style vocabulary ({@code <cls>} and {@code <eos>}) rather than V1 (genes only). */
    public boolean hasCls() {
        return tokenizer.vocabulary().hasSpecialTokens();
    }
    /** The cell embedding this model defines: {@code <cls>} for V2, the mean over tokens for V1. */
    public BertEncoder.CellEmbedding cellEmbedding() {
        return hasCls() ? BertEncoder.CellEmbedding.CLS : BertEncoder.CellEmbedding.MEAN;
    }
    /** Sentences the user must see (e.g. a mix of dictionary releases named explicitly); empty when none. */
    public List<String> warnings() {
        return tokenizer.warnings();
    }

    /** One line for the user: shape, weights, tokenizer, input size and cell embedding. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%s: BERT %d layers, hidden %d, %d heads, %s; weights %s; tokenizer %s; max_length %,d; cell embedding: %s",
                folder.getFileName(),
                config.layers(),
                config.hidden(),
                config.heads(),
                config.hiddenAct(),
                weights.file().getFileName(),
                tokenizer.describe(),
                maxLength(),
                cellEmbedding().description());
    }

    /**
     * Refuses cells tokenised with another vocabulary than this model's (e.g. one built from the data): the
     * pretrained embeddings would read arbitrary token ids.
     * @param used   the vocabulary the cells were tokenised with
     * @param source how to name it in the message, e.g. "the vocabulary built from the data"
     */
    public void requireSameTokens(GeneformerVocabulary used, String source) {
        Map<String, Integer> mine = vocabulary().tokenMap(), theirs = used.tokenMap();
        if (mine.equals(theirs)) return;
        int differ = 0;
        for (var e : mine.entrySet()) if (!e.getValue().equals(theirs.get(e.getKey()))) differ++;
        throw new ScxmException(String.format(
                Locale.ROOT,
                "the cells were tokenised with %s (%,d tokens), not with this model's token dictionary %s "
                        + "(%,d tokens, %,d of them with another id or missing); tokenise with the model's folder so its embeddings read the right genes.",
                source,
                used.size(),
                tokenizer.tokenFile().getFileName(),
                vocabulary().size(),
                differ));
    }

    /** The encoder with this folder's weights and cell embedding, in the manager's memory. */
    public BertEncoder loadEncoder(ai.djl.ndarray.NDManager manager) {
        BertEncoder e = weights.load(config, new Weights(manager));
        e.cellEmbedding(cellEmbedding());
        return e;
    }

    /**
     * The weights file of a folder: model.safetensors, else pytorch_model.bin, else a sharded index of either.
     * @throws ScxmException when there is none
     */
    public static WeightsFile weightsFile(Path folder) {
        Path st = folder.resolve("model.safetensors"), bin = folder.resolve("pytorch_model.bin");
        Path stIdx = folder.resolve("model.safetensors.index.json"),
                binIdx = folder.resolve("pytorch_model.bin.index.json");
        if (Files.isRegularFile(st)) return new WeightsFile(st, WeightsFile.Format.SAFETENSORS);
        if (Files.isRegularFile(bin)) return new WeightsFile(bin, WeightsFile.Format.PYTORCH);
        if (Files.isRegularFile(stIdx)) return new WeightsFile(stIdx, WeightsFile.Format.SAFETENSORS_SHARDED);
        if (Files.isRegularFile(binIdx)) return new WeightsFile(binIdx, WeightsFile.Format.PYTORCH_SHARDED);
        throw new ScxmException(
                folder
                        + " has neither model.safetensors nor pytorch_model.bin; give the folder that holds the model's weights beside config.json.");
    }

    /** Tensors of a sharded checkpoint: the index's weight_map names the shard of each tensor. */
    private static Map<String, SafeTensors.Tensor> readSharded(Path index, boolean safetensors) {
        JsonObject map;
        try {
            map = JsonParser.parseString(Files.readString(index))
                    .getAsJsonObject()
                    .getAsJsonObject("weight_map");
        } catch (IOException | RuntimeException e) {
            throw new ScxmException(
                    index + " is not a readable shard index (" + e.getMessage()
                            + "); give the folder as Hugging Face saved it.",
                    e);
        }
        if (map == null)
            throw new ScxmException(index + " has no weight_map; give the folder as Hugging Face saved it.");
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        for (String shard : new TreeSet<>(
                map.entrySet().stream().map(e -> e.getValue().getAsString()).toList())) {
            Path f = index.resolveSibling(shard);
            out.putAll(safetensors ? SafeTensors.read(f) : TorchCheckpoint.read(f));
        }
        return out;
    }
}
