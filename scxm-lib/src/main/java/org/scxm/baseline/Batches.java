package org.scxm.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.scxm.data.DenseMatrix;
import org.scxm.model.Tensors;

/** Minibatch routines shared by the baselines: sampling rows and batched inference. */
final class Batches {
    private Batches() {}

    static int[] sample(Random r, int n, int b) {
        int[] s = new int[b];
        for (int i = 0; i < b; i++) s[i] = r.nextInt(n);
        return s;
    }

    static float[][] rowsOf(DenseMatrix m, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = m.row(rows[i]);
        return out;
    }

    /** Applies a network to all rows of {@code in}, 512 at a time, without recording gradients. */
    static DenseMatrix map(NDManager manager, DenseMatrix in, UnaryOperator<NDArray> f) {
        DenseMatrix out = null;
        for (int s = 0; s < in.rows(); s += 512) {
            int[] rows = java.util.stream.IntStream.range(s, Math.min(in.rows(), s + 512))
                    .toArray();
            try (NDScope scope = new NDScope()) {
                NDArray y = f.apply(Tensors.rows(manager, in, rows));
                int p = (int) y.getShape().get(1);
                if (out == null) out = new DenseMatrix(in.rows(), p);
                out.writeRows(s, y.toFloatArray(), 0, rows.length);
            }
        }
        return out;
    }
}
