package org.scxm.baseline;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.data.*;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;
import tech.tablesaw.api.Table;

class ScConfluenceTest {

    @Test
    void lossesDecreaseOnTheDemoTissueAndTranslationsAreFractions() {
        DemoTissue d = DemoTissue.generate(new DemoTissue.Params(0, 600, 900, 600, 60, 400));
        Harmoniser.Harmonised h = Harmoniser.run(d.sc(), d.st(), d.val(), Harmoniser.Options.defaults(), Progress.NONE);
        SparseMatrix stP = h.st().counts().selectCols(h.panelColumns(h.st()));
        DenseMatrix stTarget =
                Bulker.binarised(stP, NeighbourGraph.radius(h.st().x(), h.st().y(), 25), Kernel.gaussian(12.5));
        DenseMatrix scExpr = Normalise.log1pCp10k(h.sc().counts()).toDense();
        DenseMatrix scPanel = Normalise.log1pCp10k(h.sc().counts().selectCols(h.panelColumns(h.sc())))
                .toDense();
        DenseMatrix stPanel = Normalise.log1pCp10k(stP).toDense();
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
