package org.scxm.baseline;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.data.*;
import org.scxm.testing.Demo;
import tech.tablesaw.api.Table;

class ScConfluenceTest {

    @Test
    void lossesDecreaseOnTheDemoTissueAndTranslationsAreFractions() {
        Demo.Tissue t = Demo.Tissue.generate();
        Harmoniser.Harmonised h = t.h();
        // scConfluence also reads both modalities' log-normalised panels
        DenseMatrix stPanel = Normalise.log1pCp10k(t.stPanel()).toDense();
        DenseMatrix scPanel = Normalise.log1pCp10k(h.sc().counts().selectCols(h.panelColumns(h.sc())))
                .toDense();
        DenseMatrix stTarget = t.stTarget(), scExpr = t.scExpr();
        ScConfluence.Config cfg = new ScConfluence.Config(60, 64, 3e-3, 16, 32, 1.0, 0.05, 0.5, 0);
        try (ScConfluence m = new ScConfluence(scExpr.cols(), stTarget.cols(), cfg)) {
            Table l = m.train(scExpr, scPanel, stTarget, stPanel, Progress.NONE);
            assertEquals(60, l.rowCount());
            for (String c : new String[] {"sc_recon", "st_bce"}) {
                double first = l.doubleColumn(c).first(10).mean(),
                        last = l.doubleColumn(c).last(10).mean();
                assertTrue(last < first, c + " decreases: " + first + " -> " + last);
            }
            DenseMatrix pred =
                    m.translate(Normalise.log1pCp10k(h.val().counts()).toDense());
            assertEquals(h.val().nCells(), pred.rows());
            assertEquals(stTarget.cols(), pred.cols());
            for (float v : pred.data()) assertTrue(v >= 0 && v <= 1);
        }
    }
}
