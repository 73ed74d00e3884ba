package org.scxm.analysis;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.DemoTissue;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;

class NichesCompositionTest {
    @Test
    void groupsFollowTheShareOfTheGivenTypeAmongCellsOfOneType() {
        String[] cats = {"B cell", "T cell"};
        DenseMatrix comp = new DenseMatrix(5, 2, new float[] {
            0.5f, 0.5f, //
            0.1f, 0.9f, //
            0.3f, 0.7f, // exactly at the threshold: clustered, as in the gene form
            0.9f, 0.1f, // a T cell: no group
            0.0f, 1.0f
        });
        String[] types = {"B cell", "B cell", "B cell", "T cell", "B cell"};
        Niches.Result r = Niches.byComposition(comp, cats, types, "B cell", "B cell", 0.3);
        assertArrayEquals(
                new String[] {Niches.CLUSTERED, Niches.ISOLATED, Niches.CLUSTERED, null, Niches.ISOLATED}, r.groups());
        assertEquals(2, r.counts().intColumn("cells").getInt(0));
        assertEquals(2, r.counts().intColumn("cells").getInt(1));
        // the same groups as the gene form called on that column
        assertArrayEquals(Niches.call(comp.column(0), types, "B cell", 0.3).groups(), r.groups());
        ScxmException e = assertThrows(
                ScxmException.class, () -> Niches.byComposition(comp, cats, types, "B cell", "Plasma cell", 0.3));
        assertEquals(
                "composition=Plasma cell is not a cell type of the composition; its types: B cell, T cell.",
                e.getMessage());
    }

    @Test
    void onTheDemoSlideTheTrueCompositionFindsTheLymphoidAggregates() {
        Modality st = DemoTissue.generate(0).st();
        String[] types = st.obs().stringColumn("cell_type").asObjectArray();
        String[] niche = st.obs().stringColumn("niche").asObjectArray();
        String[] cats = Bulker.categories(types);
        Bulker.Composition c =
                Bulker.composition(types, cats, NeighbourGraph.radius(st.x(), st.y(), 25), Kernel.gaussian(12.5));
        Niches.Result r = Niches.byComposition(c.fractions(), cats, types, "B cell", "B cell", 0.3);
        int right = 0, total = 0;
        for (int i = 0; i < types.length; i++) {
            if (r.groups()[i] == null) continue;
            total++;
            boolean inAggregate = niche[i].equals("lymphoid aggregate");
            if (inAggregate == r.groups()[i].equals(Niches.CLUSTERED)) right++;
        }
        assertTrue(total > 50, "B cells: " + total);
        Niches.Agreement agr = Niches.agreement(r.groups(), niche, "lymphoid aggregate");
        assertEquals(total, agr.cells());
        assertEquals((double) right / total, agr.accuracy(), 1e-12);
        assertTrue(right > 0.85 * total, right + " of " + total + " B cells called as the generator placed them");
    }

    @Test
    void agreementCountsRightCallsAgainstWhatRandomCallsOfTheSameSizesGet() {
        String c = Niches.CLUSTERED, o = Niches.ISOLATED;
        String[] groups = {c, c, c, o, o, o, o, o, null};
        String[] truth = {"agg", "agg", "alv", "agg", "alv", "alv", "alv", "alv", "agg"};
        Niches.Agreement a = Niches.agreement(groups, truth, "agg");
        assertEquals(8, a.cells(), "the ungrouped cell is left out");
        // 2 true clustered, 1 false clustered, 1 missed, 4 true isolated
        assertEquals(6 / 8.0, a.accuracy(), 1e-12);
        double p = 3 / 8.0, q = 3 / 8.0;
        assertEquals(p * q + (1 - p) * (1 - q), a.chance(), 1e-12);
        assertEquals((2 / 3.0 + 4 / 5.0) / 2, a.balancedAccuracy(), 1e-12);
    }

    @Test
    void onScRnaCellsTheirTrueNeighbourhoodsCallMacrophagesInAggregatesFarAboveChance() {
        // B cells sit only in aggregates in the generator, so among B cells there is nothing to call; macrophages
        // sit in every niche, and the B-cell share around them tells the aggregates apart.
        DemoTissue d = DemoTissue.generate(0);
        Modality sc = d.sc();
        String[] types = sc.obs().stringColumn("cell_type").asObjectArray();
        String[] niche = sc.obs().stringColumn("niche").asObjectArray();
        String[] cats = Bulker.categories(types);
        Bulker.Composition c = Bulker.composition(
                types,
                cats,
                NeighbourGraph.radius(d.scPositions().x(), d.scPositions().y(), 25),
                Kernel.gaussian(12.5));
        Niches.Result r = Niches.byComposition(c.fractions(), cats, types, "Macrophage", "B cell", 0.2);
        Niches.Agreement a = Niches.agreement(r.groups(), niche, "lymphoid aggregate");
        System.out.println("sc macrophages by true B-cell share: " + a);
        assertTrue(a.cells() > 300, "macrophages: " + a.cells());
        assertTrue(a.balancedAccuracy() > 0.85, a.toString());
        assertTrue(a.accuracy() > a.chance() + 0.1, a.toString());
    }
}
