package org.scxm.analysis;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.DemoTissue;
import tech.tablesaw.api.Table;

class LabelTransferTest {

    @Test
    void transfersDemoCellTypesFromScRnaToTheSpatialSlide() {
        DemoTissue d = DemoTissue.generate(new DemoTissue.Params(2, 1500, 1500, 300, 60, 400));
        String[] scLabels = d.sc().obs().stringColumn("cell_type").asObjectArray();
        LabelTransfer lt = LabelTransfer.train(d.sc(), scLabels, List.of(d.st().geneNames()), 0.2, 0);
        assertTrue(lt.heldOutAccuracy() > 0.8, "held-out accuracy " + lt.heldOutAccuracy());
        Table pred = lt.predict(d.st());
        String[] truth = d.st().obs().stringColumn("cell_type").asObjectArray();
        int correct = 0;
        for (int i = 0; i < truth.length; i++)
            if (truth[i].equals(pred.stringColumn("cell_type").get(i))) correct++;
        double acc = correct / (double) truth.length;
        assertTrue(acc > 0.7, "accuracy on the spatial slide " + acc);
        for (double c : pred.doubleColumn("confidence").asDoubleArray()) assertTrue(c > 0 && c <= 1);
        assertEquals(1 + DemoTissue.CELL_TYPES.length, lt.confusion().columnCount());
    }

    @Test
    void oneTypeIsNotEnough() {
        DemoTissue d = DemoTissue.generate(new DemoTissue.Params(2, 300, 300, 300, 60, 400));
        String[] same = new String[d.sc().nCells()];
        java.util.Arrays.fill(same, "T cell");
        assertThrows(ScxmException.class, () -> LabelTransfer.train(d.sc(), same, List.of(d.st().geneNames()), 0.2, 0));
    }
}
