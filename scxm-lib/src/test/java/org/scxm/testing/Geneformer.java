package org.scxm.testing;

import java.nio.file.Path;
import org.scxm.tokenize.GeneformerVocabulary;

/** Geneformer's dictionaries as the repository keeps them (data/geneformer). */
public final class Geneformer {
    private Geneformer() {}

    public static final Path FOLDER = Path.of("../data/geneformer");

    /** V2's token dictionary with the median and gene-name dictionaries there are (V1's). */
    public static GeneformerVocabulary v2WithNames() {
        return GeneformerVocabulary.fromFiles(
                FOLDER.resolve("token_dictionary_gc95M.pkl"),
                FOLDER.resolve("gene_median_dictionary_gc30M.pkl"),
                FOLDER.resolve("gene_name_id_dict_gc30M.pkl"));
    }
}
