package org.scxm.workbench;

import java.util.Locale;
import org.scxm.ScxmException;

/** What a dataset is for in the translation: the model's input cells, its spatial training slide, or the validation slide. */
public enum Role {
    /** Dissociated scRNA-seq cells, whole transcriptome: the model's input. */
    SC("sc"),
    /** The low-plex spatial training slide: its bulked panel is the adversarial target. */
    ST("st"),
    /** The high-plex validation slide: paired truth for evaluation. */
    VAL("val");

    private final String word;

    Role(String word) {
        this.word = word;
    }

    /** The word used in tables and paragraphs ("sc", "st", "val"). */
    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }

    /** A role from a paragraph word (sc/scrna, st/spatial, prime/val/validation). */
    public static Role parse(String w) {
        return switch (w.toLowerCase(Locale.ROOT)) {
            case "sc", "scrna" -> SC;
            case "st", "spatial" -> ST;
            case "prime", "val", "validation" -> VAL;
            default ->
                throw new ScxmException(
                        "'" + w
                                + "' is not a role: use sc (scRNA cells), st (spatial training slide) or prime/val (validation slide).");
        };
    }
}
