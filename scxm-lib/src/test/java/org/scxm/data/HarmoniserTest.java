package org.scxm.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.Progress;
import org.scxm.ScxmException;

class HarmoniserTest {

    static Modality m(String name, String[] genes, String[] ids, float[][] counts, boolean coords) {
        int n = counts.length;
        String[] cells = new String[n];
        double[] x = coords ? new double[n] : null, y = coords ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            cells[i] = name + i;
            if (coords) {
                x[i] = i * 10;
                y[i] = 0;
            }
        }
        return new Modality(name, SparseMatrix.fromDense(counts, genes.length), cells, genes, ids, null, x, y);
    }

    @Test
    void slicesAsThePaperDoesAndFiltersCellsAlike() {
        Modality sc = m(
                "sc",
                new String[] {"A", "b", "C", "D"},
                new String[] {null, null, "ENSG3", null},
                new float[][] {{1, 2, 3, 4}, {0, 0, 0, 9}, {5, 5, 5, 5}},
                false);
        Modality st = m(
                "st",
                new String[] {"B", "E", "X"},
                new String[] {null, null, "ENSG3"},
                new float[][] {{3, 1, 2}, {0, 1, 0}},
                true);
        Modality val = m(
                "val",
                new String[] {"a", "B", "C", "E", "F"},
                null,
                new float[][] {{1, 2, 1, 1, 1}, {2, 0, 2, 0, 0}},
                true);
        Harmoniser.Harmonised h = Harmoniser.run(sc, st, val, new Harmoniser.Options(2, 1), Progress.NONE);
        assertArrayEquals(
                new String[] {"A", "B", "C"},
                h.sc().geneNames()); // G_SC ∩ G_PR, case-insensitive; shared genes take the spatial symbol
        assertArrayEquals(
                new String[] {"B"}, h.st().geneNames()); // G_ST ∩ G_PR (val has no Ensembl ids, so X matches nothing)
        assertArrayEquals(new String[] {"B"}, h.spatialPanel());
        // filtering on the shared spatial panel (B): cells with >= 2 counts in >= 1 panel gene
        assertEquals(2, h.sc().nCells()); // cell 1 has no B counts
        assertEquals(1, h.st().nCells());
        assertEquals(1, h.val().nCells());
        assertEquals(3, h.summary().rowCount());
    }

    @Test
    void ensemblIdsMatchWhereSymbolsDiffer() {
        Modality sc =
                m("sc", new String[] {"OLDNAME", "B"}, new String[] {"ENSG1", null}, new float[][] {{3, 3}}, false);
        Modality st =
                m("st", new String[] {"NEWNAME", "B"}, new String[] {"ENSG1", null}, new float[][] {{3, 3}}, true);
        Harmoniser.Harmonised h = Harmoniser.run(sc, st, null, new Harmoniser.Options(1, 1), Progress.NONE);
        assertArrayEquals(new String[] {"NEWNAME", "B"}, h.spatialPanel());
        assertArrayEquals(new int[] {0, 1}, h.panelColumns(h.sc())); // the scRNA gene took the spatial symbol
        assertEquals("ENSG1", h.sc().geneIds()[0]);
    }

    /** The sentence harmonising sc with st (min_counts 1, min_genes 1) is refused with. */
    private static String refusal(Modality sc, Modality st) {
        return assertThrows(
                        ScxmException.class,
                        () -> Harmoniser.run(sc, st, null, new Harmoniser.Options(1, 1), Progress.NONE))
                .getMessage();
    }

    @Test
    void badInputGetsOneSentenceEach() {
        Modality sc = m("sc", new String[] {"A"}, null, new float[][] {{1}}, false);
        Modality st = m("st", new String[] {"Z"}, null, new float[][] {{1}}, true);
        assertTrue(refusal(sc, st).contains("share no gene"));
        Modality flat = m("st", new String[] {"A"}, null, new float[][] {{1}}, false);
        assertTrue(refusal(sc, flat).contains("has no x/y coordinates"));
        Modality nan = m("st", new String[] {"A"}, null, new float[][] {{Float.NaN}}, true);
        String msg = refusal(sc, nan);
        assertTrue(msg.contains("counts must be finite and non-negative"), msg);
        Modality neg = m("st", new String[] {"A"}, null, new float[][] {{-1}}, true);
        refusal(sc, neg);
    }

    @Test
    void mouseGenesMapToHumanThroughTheMgiTable(@TempDir Path dir) throws Exception {
        Homology h = Homology.read(Path.of("../data/homology/mgi_HMD_HumanPhenotype_2025.rpt"));
        assertEquals(16984, h.size(), "one-to-one pairs, as data/README counts them");
        assertEquals("CXCR4", h.human("Cxcr4"));
        Modality mouse = m(
                "merfish",
                new String[] {"Cxcr4", "Gad1", "NotAGene"},
                new String[] {"ENSMUSG1", null, null},
                new float[][] {{1, 2, 3}},
                true);
        Modality human = h.toHuman(mouse);
        assertArrayEquals(new String[] {"CXCR4", "GAD1"}, human.geneNames());
        Path tsv = dir.resolve("m.tsv");
        Files.writeString(tsv, "mouse\thuman\nFoo1\tFOO1\n");
        assertEquals("FOO1", Homology.read(tsv).human("foo1"));
    }
}
