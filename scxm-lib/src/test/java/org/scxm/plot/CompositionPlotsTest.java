package org.scxm.plot;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.scxm.data.DenseMatrix;

class CompositionPlotsTest {
    static final String[] TYPES = {"B cell", "T cell", "AT1"};
    static final DenseMatrix PRED = new DenseMatrix(4, 3, new float[] {
        0.6f, 0.3f, 0.1f, //
        0.2f, 0.7f, 0.1f, //
        0.1f, 0.1f, 0.8f, //
        0, 0, 0
    });
    static final DenseMatrix TRUE = new DenseMatrix(4, 3, new float[] {
        0.8f, 0.2f, 0, //
        0.4f, 0.6f, 0, //
        0, 0, 1, //
        0, 0, 1
    });

    @Test
    void cellsAreColouredByTheirDominantNeighbourType() {
        assertArrayEquals(new String[] {"B cell", "T cell", "AT1", null}, CompositionPlots.dominant(PRED, TYPES));
        Figure f = CompositionPlots.dominantType("dominant", new double[] {0, 1, 2, 3}, new double[4], PRED, TYPES);
        assertEquals(4, f.data().size(), "one trace per type and one for cells with nothing predicted");
        assertEquals(
                SpatialPlots.NONE, f.data().get(0).getAsJsonObject().get("name").getAsString());
        assertTrue(PlotlyHtml.page(f).contains("dominant neighbour type"));
    }

    @Test
    void stackedBarsHoldTheMeanPredictedAndTrueCompositionPerCellType() {
        String[] cellTypes = {"B cell", "B cell", "AT1", "AT1"};
        Figure f = CompositionPlots.meanByType("mean composition", PRED, TRUE, TYPES, cellTypes);
        assertEquals("stack", f.layout().get("barmode").getAsString());
        assertEquals(3, f.data().size(), "one trace per neighbour type");
        JsonObject b = f.data().get(0).getAsJsonObject(); // B cell share
        // x: (AT1 predicted, AT1 true, B cell predicted, B cell true)
        assertEquals("AT1", b.getAsJsonArray("x").get(0).getAsJsonArray().get(0).getAsString());
        assertEquals(
                "true", b.getAsJsonArray("x").get(1).getAsJsonArray().get(3).getAsString());
        float[] y = new float[4];
        for (int k = 0; k < 4; k++) y[k] = b.getAsJsonArray("y").get(k).getAsFloat();
        assertArrayEquals(new float[] {0.05f, 0f, 0.4f, 0.6f}, y, 1e-6f);
    }

    @Test
    void twoDistributionsOverlayAsDensities() {
        Figure f = CompositionPlots.twoDistributions(
                "CXCR4 on sc vs the slide",
                "CXCR4",
                "predicted on sc",
                new float[] {0.1f, 0.2f},
                "st target",
                new float[] {0.1f, 0.3f, 0.5f});
        assertEquals("overlay", f.layout().get("barmode").getAsString());
        assertEquals(
                "probability density",
                f.data().get(1).getAsJsonObject().get("histnorm").getAsString());
        assertEquals(
                "st target (3 cells)",
                f.data().get(1).getAsJsonObject().get("name").getAsString());
    }
}
