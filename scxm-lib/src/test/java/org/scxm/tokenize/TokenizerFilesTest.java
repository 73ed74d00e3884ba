package org.scxm.tokenize;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.ScxmException;

/** Choosing dictionaries that belong together, on Geneformer's real V1 (gc30M) and V2 (gc95M) files in data/geneformer. */
class TokenizerFilesTest {
    static final Path GF = Path.of("../data/geneformer");

    /** The sentence choosing dictionaries from {@link #GF} without naming any is refused with, for a model of this many tokens (0: none). */
    private static String unnamedRefusal(int modelTokens) {
        return assertThrows(
                        ScxmException.class, () -> TokenizerFiles.choose(GF, TokenizerFiles.Named.none(), modelTokens))
                .getMessage();
    }

    @Test
    void v2TokensWithV1MediansAreRefusedUnlessBothAreNamedThenWarned() {
        // the model's size picks the V2 token dictionary; the only median dictionary there is V1's
        String e = unnamedRefusal(20275);
        assertTrue(
                e.contains(
                                "token_dictionary_gc95M.pkl (20,271 genes) and the median dictionary gene_median_dictionary_gc30M.pkl (25,424 genes) share only 75% of their genes")
                        && e.contains("gene_median_dictionary_gc95M.pkl")
                        && e.contains("name both files explicitly"),
                e);
        // naming only the token dictionary is not enough
        e = assertThrows(
                        ScxmException.class,
                        () -> TokenizerFiles.choose(
                                GF, new TokenizerFiles.Named(GF.resolve("token_dictionary_gc95M.pkl"), null, null), 0))
                .getMessage();
        assertTrue(e.contains("share only 75%"), e);
        // both named: used, with a warning the user sees
        TokenizerFiles.Chosen c = TokenizerFiles.choose(
                null,
                new TokenizerFiles.Named(
                        GF.resolve("token_dictionary_gc95M.pkl"), GF.resolve("gene_median_dictionary_gc30M.pkl"), null),
                20275);
        assertEquals(1, c.warnings().size());
        assertTrue(
                c.warnings().get(0).startsWith("Warning: the token dictionary token_dictionary_gc95M.pkl"),
                c.warnings().get(0));
        assertEquals(20275, c.vocabulary().size());
        assertTrue(c.vocabulary().hasSpecialTokens());
    }

    @Test
    void v1TokensFindTheirOwnMediansByReleaseTag() {
        TokenizerFiles.Chosen c = TokenizerFiles.choose(GF, TokenizerFiles.Named.none(), 25426);
        assertEquals("token_dictionary_gc30M.pkl", c.tokenFile().getFileName().toString());
        assertEquals(
                "gene_median_dictionary_gc30M.pkl", c.medianFile().getFileName().toString());
        assertEquals("gene_name_id_dict_gc30M.pkl", c.nameFile().getFileName().toString());
        assertEquals(1.0, c.sharedGenes(), 1e-12);
        assertTrue(c.warnings().isEmpty());
        assertFalse(c.vocabulary().hasSpecialTokens(), "V1 has no <cls>");
        assertEquals(25426, c.vocabulary().size());
        assertEquals(2, c.vocabulary().token("ENSG00000000003"), "V1 ids are numpy int16 in the pickle");
        assertEquals("ENSG00000141510", c.vocabulary().idForName("TP53"));
    }

    @Test
    void severalTokenDictionariesWithoutAModelAreAmbiguous() {
        String e = unnamedRefusal(0);
        assertTrue(
                e.contains(
                        "has 2 token dictionaries token_dictionary_gc30M.pkl, token_dictionary_gc95M.pkl; name the one"),
                e);
        e = unnamedRefusal(1234);
        assertTrue(e.contains("none with the model's 1234 tokens"), e);
    }

    @Test
    void idsWithGapsOrAMovedPadAreRefused(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("gaps.tsv"), "key\ttoken_id\n<pad>\t0\n<mask>\t1\nENSG1\t2\nENSG2\t2\nENSG3\t4\n");
        GeneformerVocabulary gaps = new GeneformerVocabulary(
                GeneformerVocabulary.readTokens(dir.resolve("gaps.tsv")), java.util.Map.of(), null);
        ScxmException e = assertThrows(ScxmException.class, () -> TokenizerFiles.requireFits(gaps, 5, 0, "gaps.tsv"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "gaps.tsv maps 5 entries onto 4 distinct ids up to 4, so its ids have gaps or repeats"),
                e.getMessage());
        Files.writeString(dir.resolve("pad.tsv"), "key\ttoken_id\n<mask>\t0\n<pad>\t1\nENSG1\t2\n");
        GeneformerVocabulary pad = new GeneformerVocabulary(
                GeneformerVocabulary.readTokens(dir.resolve("pad.tsv")), java.util.Map.of(), null);
        e = assertThrows(ScxmException.class, () -> TokenizerFiles.requireFits(pad, 3, 0, "pad.tsv"));
        assertTrue(e.getMessage().contains("puts <pad> at id 1 but config.json's pad_token_id is 0"), e.getMessage());
    }

    @Test
    void releaseTagsComeFromFileNames() {
        assertEquals(
                "gc104M", TokenizerFiles.tag(Path.of("x/token_dictionary_gc104M.pkl"), TokenizerFiles.TOKEN_PREFIX));
        assertEquals("", TokenizerFiles.tag(Path.of("token_dictionary.pkl"), TokenizerFiles.TOKEN_PREFIX));
        assertEquals(
                "gc30M", TokenizerFiles.tag(Path.of("gene_median_dictionary_gc30M.tsv"), TokenizerFiles.MEDIAN_PREFIX));
    }
}
