package org.scxm.testing;

import org.scxm.Progress;
import org.scxm.data.DemoTissue;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Harmoniser;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import org.scxm.model.TrainConfig;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.workbench.Options;
import org.scxm.workbench.Workbench;

/** The small demo tissue, brought as far along the quickstart path as a test needs. */
public final class Demo {
    private Demo() {}

    /** A workbench with {@code cells} demo cells loaded and harmonised. */
    public static Workbench harmonised(int cells) {
        Workbench wb = new Workbench(Workbench.Settings.defaults());
        wb.loadDemo(Options.Demo.of(0).withCells(cells));
        wb.harmonise(Options.Harmonise.defaults());
        return wb;
    }

    /** As {@link #harmonised}, then bulked and tokenised from the data with {@code maxLength} tokens a cell. */
    public static Workbench tokenised(int cells, int maxLength) {
        Workbench wb = harmonised(cells);
        wb.bulk(Options.Bulk.defaults());
        wb.tokenize(Options.Tokenize.fromData(maxLength));
        return wb;
    }

    /** As {@link #tokenised}, with a small one-layer model {@code m} of the given width (seed 0). */
    public static Workbench modelled(int cells, int maxLength, int width) {
        Workbench wb = tokenised(cells, maxLength);
        wb.model(Options.Model.small("m", 0).withShape(1, width, width, 1));
        return wb;
    }

    /** A one-epoch training of {@code steps} steps, batch 8: enough to exercise a run in seconds. */
    public static TrainConfig tiny(int steps, long seed) {
        return new TrainConfig(1, steps, 8, 1e-4, 1e-4, 2, 10, 1, 1, seed, 5, 1);
    }

    /**
     * The demo tissue (600 scRNA, 900 training-slide and 600 validation cells, 60 panel genes) harmonised outside the
     * workbench, with the training slide's binarised panel bulked at radius 25: what a baseline trains on.
     */
    public record Tissue(Harmoniser.Harmonised h, SparseMatrix stPanel, DenseMatrix stTarget, DenseMatrix scExpr) {
        public static Tissue generate() {
            DemoTissue d = DemoTissue.generate(new DemoTissue.Params(0, 600, 900, 600, 60, 400));
            Harmoniser.Harmonised h =
                    Harmoniser.run(d.sc(), d.st(), d.val(), Harmoniser.Options.defaults(), Progress.NONE);
            SparseMatrix stP = h.st().counts().selectCols(h.panelColumns(h.st()));
            DenseMatrix stTarget =
                    Bulker.binarised(stP, NeighbourGraph.radius(h.st().x(), h.st().y(), 25), Kernel.gaussian(12.5));
            return new Tissue(
                    h, stP, stTarget, Normalise.log1pCp10k(h.sc().counts()).toDense());
        }
    }
}
