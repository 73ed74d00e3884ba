package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Iterator;
import org.scxm.Progress;
import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;

/** Batched inference: predicted target G_E(x) (bulked panel or composition, K columns) and the decoder's reading of it G_D(G_E(x)). */
public final class Predictor {
    private Predictor() {}

    public record Prediction(DenseMatrix bulked, DenseMatrix decoded) {}

    /** For a model whose head reads {@code <cls>} only. */
    public static Prediction predict(ScxmModel model, Iterator<TokenBatch> batches, int cells, Progress progress) {
        return predict(model, batches, null, cells, false, progress);
    }

    /**
     * @param panel the dataset's binarised panel, read when the model's head takes the cell's own panel (else may be null)
     * @param cells total cells the batches cover (rows of the result, in batch cell order by row index)
     * @param onDisk keep the results in scratch files (a backed dataset: its cells need not fit in the heap)
     */
    public static Prediction predict(
            ScxmModel model,
            Iterator<TokenBatch> batches,
            DenseMatrix panel,
            int cells,
            boolean onDisk,
            Progress progress) {
        int p = model.config().outputs();
        DenseMatrix z = DenseMatrix.create(cells, p, onDisk), d = DenseMatrix.create(cells, p, onDisk);
        int done = 0;
        while (batches.hasNext()) {
            TokenBatch b = batches.next();
            try (NDScope scope = new NDScope()) {
                NDArray zb = model.encode(b, panel);
                z.writeRows(b.cells(), zb.toFloatArray());
                d.writeRows(b.cells(), model.decoder().forward(zb).toFloatArray());
            }
            done += b.size();
            progress.update(done / (double) cells, "predicted " + done + " of " + cells + " cells");
        }
        return new Prediction(z, d);
    }
}
