package org.scxm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The words a refusal uses to name what differs, and names written so that a copied hint parses. */
class NamesTest {
    @Test
    void panelsThatDifferAreNamedByTheGenesThatDiffer() {
        String[] ck = {"CD3E", "MS4A1", "CXCR4", "ALB"}, data = {"CD3E", "MS4A1", "CXCR4", "KRT8", "EPCAM"};
        assertEquals(
                "1 only in the checkpoint (ALB) and 2 only in the data (KRT8, EPCAM)",
                Names.difference("the checkpoint", ck, "the data", data));
        assertEquals(
                "the same genes in another order (position 1: CD3E in a, MS4A1 in b)",
                Names.difference("a", new String[] {"CD3E", "MS4A1"}, "b", new String[] {"MS4A1", "CD3E"}));
    }

    @Test
    void aNameWithASpaceOrAQuoteIsQuotedAsTheParagraphLanguageReadsIt() {
        assertEquals("sc", Names.asValue("sc"));
        assertEquals("\"lung sc\"", Names.asValue("lung sc"));
        assertEquals("'a \"b\"'", Names.asValue("a \"b\""));
        assertEquals("\"a#1\"", Names.asValue("a#1"));
    }
}
