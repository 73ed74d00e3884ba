package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Iterator;
import org.scxm.Progress;
import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;

/** Batched inference: predicted bulked panel G_E(x) and the decoder's reading of it G_D(G_E(x)). */
public final class Predictor {
    private Predictor() {}

    public record Prediction(DenseMatrix bulked, DenseMatrix decoded) {}

    /** For a model whose head reads {@code <cls>} only. */
    public static Prediction predict(ScxmModel model, Iterator<TokenBatch> batches, int cells, Progress progress) {
        return predict(model, batches, null, cells, progress);
    }

    /**
     * @param panel the dataset's binarised panel, read when the model's head takes the cell's own panel (else may be null)
     * @param cells total cells the batches cover (rows of the result, in batch cell order by row index)
     */
    public static Prediction predict(
            ScxmModel model, Iterator<TokenBatch> batches, DenseMatrix panel, int cells, Progress progress) {
        int p = model.config().panel();
        DenseMatrix z = new DenseMatrix(cells, p), d = new DenseMatrix(cells, p);
        int done = 0;
        while (batches.hasNext()) {
            TokenBatch b = batches.next();
            try (NDScope scope = new NDScope()) {
                NDArray zb = model.encode(b, panel);
                float[] zv = zb.toFloatArray(), dv = model.decoder().forward(zb).toFloatArray();
                for (int k = 0; k < b.size(); k++) {
                    int row = b.cells()[k];
                    System.arraycopy(zv, k * p, z.data(), row * p, p);
                    System.arraycopy(dv, k * p, d.data(), row * p, p);
                }
            }
            done += b.size();
            progress.update(done / (double) cells, "predicted " + done + " of " + cells + " cells");
        }
        return new Prediction(z, d);
    }
}
