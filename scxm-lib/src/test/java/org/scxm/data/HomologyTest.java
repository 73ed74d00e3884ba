package org.scxm.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.io.LoadOptions;
import org.scxm.io.Readers;
import org.scxm.testing.Geneformer;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;

/**
 * Mouse data through a human model, on the real mouse hypothalamus pair (Moffitt 2018: scRNA reference 134 genes,
 * MERFISH slide 141 genes), the MGI table and Geneformer's real V2 token and gene name dictionaries.
 */
class HomologyTest {
    static final Path REAL = Path.of("../data/real/moffitt_hypothalamus"); // the copy in this repository
    static final Path GF = Path.of("../data/geneformer");
    static final Homology MGI = Homology.read(Path.of("../data/homology/mgi_HMD_HumanPhenotype_2025.rpt"));

    @Test
    void mouseMerfishGenesMapToHumanEnsemblIdsAndTokeniseByThem() {
        Modality sc = Readers.load(REAL.resolve("sc.h5ad"), "sc", LoadOptions.defaults());
        Modality slide = Readers.load(REAL.resolve("slide_0.21.h5ad"), "slide", LoadOptions.defaults());
        Homology.Species sp = Homology.detect(slide);
        assertEquals("mouse", sp.species(), sp.evidence());
        assertTrue(sp.evidence().contains("capitalised like mouse symbols"), sp.evidence());
        GeneformerVocabulary v = Geneformer.v2WithNames();
        // the panel: the slide's genes that the scRNA reference also measures (all 134 of them)
        Homology.HumanIds h =
                MGI.toHumanIds(slide, v::tokenIdForName, List.of(sc.geneNames()), Homology.DEFAULT_MIN_MAPPED);
        assertEquals(134, h.panelTotal());
        assertEquals(7, h.otherTotal());
        // data/README: mouse symbol -> human symbol -> Ensembl id -> V2 token covers 127 of the 134 MERFISH genes
        assertEquals(127, h.panelMapped(), h.unmapped().print());
        assertEquals(134 + 7 - h.panelMapped() - h.otherMapped(), h.unmapped().rowCount());
        assertTrue(
                h.summary().startsWith("mouse -> human (MGI one-to-one homologues): 127 of 134 panel genes"),
                h.summary());
        int gad1 = slide.geneIndex("Gad1");
        assertEquals("ENSG00000128683", h.ids()[gad1], "Gad1 -> GAD1");
        assertEquals("Gad1", h.modality().geneNames()[gad1], "names stay mouse symbols, so the panel still matches");
        RankValueEncoder enc = new RankValueEncoder(v, 4096, h.modality(), h.ids());
        assertEquals(h.panelMapped() + h.otherMapped(), enc.genesKept());
        int[] tokens = enc.encode(0);
        assertEquals(v.clsId(), tokens[0]);
    }

    @Test
    void tooFewMappedGenesAreRefusedInOneSentence() {
        Modality slide = Readers.load(REAL.resolve("slide_0.21.h5ad"), "slide", LoadOptions.defaults());
        // a vocabulary without its gene name dictionary cannot take symbols to Ensembl ids
        GeneformerVocabulary noNames = GeneformerVocabulary.fromFiles(
                GF.resolve("token_dictionary_gc95M.pkl"), GF.resolve("gene_median_dictionary_gc30M.pkl"), null);
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> MGI.toHumanIds(slide, noNames::tokenIdForName, List.of("Gad1", "Sytl4"), 0.5));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "only 0 of 2 panel genes and 0 of 139 other genes of 'slide' map to a human gene the model knows (at least 50% must)"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(".") && !e.getMessage().contains(". "), e.getMessage());
    }

    @Test
    void humanDataIsToldApart() {
        Modality human =
                DemoTissue.generate(DemoTissue.Params.defaults(0)).sc(); // human gene symbols (SFTPC, CXCR4, ...)
        assertEquals(
                "human",
                Homology.detect(human).species(),
                Homology.detect(human).evidence());
    }
}
