package org.scxm.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.model.PretrainedFolder;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;

/**
 * The tokenizer as it travels to executors: the vocabulary's three dictionaries and the sequence length. Each task
 * encodes its cells with the single-machine {@link RankValueEncoder}, so the tokens are exactly the one-machine
 * tokens (rank value encoding is per cell). Genes are looked up as `tokenize` looks them up (Ensembl id, else symbol);
 * mapping mouse genes to human is not done here.
 */
public record Vocabulary(
        HashMap<String, Integer> tokens, HashMap<String, Double> medians, HashMap<String, String> names, int maxLength)
        implements Serializable {

    public static Vocabulary of(GeneformerVocabulary v, int maxLength) {
        return new Vocabulary(
                new HashMap<>(v.tokenMap()), new HashMap<>(v.medianMap()), new HashMap<>(v.nameMap()), maxLength);
    }

    /** A model folder's or a dictionary folder's vocabulary, as `tokenize vocab=FOLDER` reads it. */
    public static Vocabulary fromFolder(Path folder, int maxLength) {
        PretrainedFolder.Tokenizer t = PretrainedFolder.tokenizer(folder, null);
        int len = maxLength > 0 ? maxLength : t.maxLength();
        if (len <= 0)
            throw new ScxmException(
                    folder + " does not say the model's input length (no config.json); give max_length.");
        if (t.maxLength() > 0 && len > t.maxLength())
            throw new ScxmException("max_length=" + len + " is longer than the model's input (" + t.maxLength()
                    + " positions); use at most " + t.maxLength() + ".");
        return of(t.vocabulary(), len);
    }

    public GeneformerVocabulary vocabulary() {
        return new GeneformerVocabulary(tokens, medians, names);
    }

    public RankValueEncoder encoder(Modality cells) {
        return new RankValueEncoder(vocabulary(), maxLength, cells);
    }

    public String fingerprint() {
        return vocabulary().fingerprint();
    }
}
