package org.scxm.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoTissueTest {

    @Test
    void threeUnpairedModalitiesOfTheStatedShape() {
        DemoTissue d = DemoTissue.generate(0);
        assertEquals(4000, d.sc().nCells());
        assertEquals(600, d.sc().nGenes());
        assertFalse(d.sc().hasCoordinates());
        assertEquals(6000, d.st().nCells());
        assertEquals(60, d.st().nGenes());
        assertTrue(d.st().hasCoordinates());
        assertEquals(400, d.val().nGenes());
        Set<String> valGenes = new HashSet<>(java.util.List.of(d.val().geneNames()));
        for (String g : d.st().geneNames()) assertTrue(valGenes.contains(g), g + " of the st panel is in val");
        for (String g : new String[] {"CXCR4", "MARCO", "EPCAM"}) assertTrue(d.st().geneIndex(g) >= 0, g);
        // sparsity like scRNA-seq: a minority of genes detected per cell
        double nzFraction = d.sc().counts().nnz() / (double) (4000L * 600);
        assertTrue(nzFraction > 0.08 && nzFraction < 0.5, "non-zero fraction " + nzFraction);
        System.out.printf(
                "sc nz %.3f, st nz %.3f, val nz %.3f%n",
                nzFraction,
                d.st().counts().nnz() / (6000.0 * 60),
                d.val().counts().nnz() / (4000.0 * 400));
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        DemoTissue a = DemoTissue.generate(3), b = DemoTissue.generate(3), c = DemoTissue.generate(4);
        assertArrayEquals(a.st().counts().denseRow(17), b.st().counts().denseRow(17));
        assertArrayEquals(
                a.sc().x() == null ? new double[0] : a.sc().x(), b.sc().x() == null ? new double[0] : b.sc().x());
        assertFalse(java.util.Arrays.equals(
                a.st().counts().denseRow(17), c.st().counts().denseRow(17)));
    }

    @Test
    void cxcr4RespondsToTheLymphoidNeighbourhoodWithinOneCellType() {
        // Within macrophages (present in every niche), CXCR4 is higher inside lymphoid aggregates:
        // the neighbourhood leaves a trace in a cell's own expression.
        Modality st = DemoTissue.generate(1).st();
        int g = st.geneIndex("CXCR4");
        double in = 0, out = 0;
        int nIn = 0, nOut = 0;
        for (int i = 0; i < st.nCells(); i++) {
            if (!st.obs().stringColumn("cell_type").get(i).equals("Macrophage")) continue;
            double v = st.counts().get(i, g) > 0 ? 1 : 0;
            if (st.obs().stringColumn("niche").get(i).equals("lymphoid aggregate")) {
                in += v;
                nIn++;
            } else {
                out += v;
                nOut++;
            }
        }
        assertTrue(nIn > 10 && nOut > 10);
        assertTrue(in / nIn > out / nOut + 0.2, "detection inside " + in / nIn + " vs outside " + out / nOut);
    }

    @Test
    void selectingCellsKeepsObsAlignedWithCountsInTheGivenOrder() {
        Modality st = DemoTissue.generate(5).st();
        int[] rows = {40, 3, 17, 3};
        Modality s = st.selectCells(rows);
        for (int k = 0; k < rows.length; k++) {
            assertEquals(
                    st.obs().stringColumn("cell_type").get(rows[k]),
                    s.obs().stringColumn("cell_type").get(k));
            assertEquals(st.cellIds()[rows[k]], s.cellIds()[k]);
            assertArrayEquals(st.counts().denseRow(rows[k]), s.counts().denseRow(k));
        }
    }

    @Test
    void eachScRnaCellKeepsTheNicheItSatInAsTheGeneratorsTruth() {
        DemoTissue d = DemoTissue.generate(0);
        Modality sc = d.sc();
        String[] niche = sc.obs().stringColumn("niche").asObjectArray();
        String[] type = sc.obs().stringColumn("cell_type").asObjectArray();
        assertFalse(sc.hasCoordinates(), "the positions stay out of the modality");
        assertEquals(sc.nCells(), d.scPositions().x().length);
        // each cell's type was drawn from its niche's composition: no B cell outside an aggregate, no AT1 in one
        java.util.Map<String, Integer> perNiche = new java.util.TreeMap<>();
        for (int i = 0; i < niche.length; i++) {
            perNiche.merge(niche[i], 1, Integer::sum);
            if (type[i].equals("B cell")) assertEquals("lymphoid aggregate", niche[i], "cell " + i);
            if (type[i].equals("AT1")) assertEquals("alveolar", niche[i], "cell " + i);
        }
        assertTrue(perNiche.getOrDefault("lymphoid aggregate", 0) > 100, perNiche.toString());
        // and the kept positions are where the cells sat: their true neighbourhoods are their niche's
        String[] cats = org.scxm.spatial.Bulker.categories(type);
        var c = org.scxm.spatial.Bulker.composition(
                type,
                cats,
                org.scxm.spatial.NeighbourGraph.radius(
                        d.scPositions().x(), d.scPositions().y(), 25),
                org.scxm.spatial.Kernel.uniform());
        int b = java.util.Arrays.asList(cats).indexOf("B cell"),
                t = java.util.Arrays.asList(cats).indexOf("T cell");
        double lymphoidIn = 0, lymphoidOut = 0;
        int nIn = 0, nOut = 0;
        for (int i = 0; i < niche.length; i++) {
            double share = c.fractions().get(i, b) + c.fractions().get(i, t);
            if (niche[i].equals("lymphoid aggregate")) {
                lymphoidIn += share;
                nIn++;
            } else if (niche[i].equals("alveolar")) {
                lymphoidOut += share;
                nOut++;
            }
        }
        assertTrue(lymphoidIn / nIn > 0.5, "B+T share inside aggregates " + lymphoidIn / nIn);
        assertTrue(lymphoidOut / nOut < 0.1, "B+T share in alveolar tissue " + lymphoidOut / nOut);
    }
}
