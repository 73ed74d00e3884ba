package org.scxm.data;

import org.scxm.ScxmException;

/** Count transforms used across stages: validation, binarisation (paper 4.2) and log1p CP10k. */
public final class Normalise {
    private Normalise() {}

    /**
     * Throws a user-facing error if any count is NaN, infinite or negative. A backed matrix is checked by its reader
     * on every chunk it reads (a pass here would read the whole file once more).
     */
    public static void requireCounts(RowChunks chunks, String what) {
        if (chunks.backed()) return;
        SparseMatrix m = chunks.inMemory();
        for (int i = 0; i < m.rows(); i++) {
            float[] v = m.rowValues(i);
            for (int k = m.rowStart(i), e = m.rowEnd(i); k < e; k++) {
                float x = v[k];
                if (!(x >= 0) || Float.isInfinite(x))
                    throw new ScxmException(
                            what + " holds " + x + " at cell " + i + ": counts must be finite and non-negative;"
                                    + " load raw counts (e.g. layer=counts or raw=true) instead of scaled or corrupted values.");
            }
        }
    }

    /** The non-zero indicator of every entry (paper 4.2: binarised reconstruction targets). */
    public static SparseMatrix binarise(SparseMatrix m) {
        return map(m, v -> v != 0 ? 1f : 0f);
    }

    /** Binarised expression as a dense cells x genes matrix (for panels, which are small), chunk by chunk; kept on disk for a backed matrix. */
    public static DenseMatrix binarisedDense(RowChunks chunks) {
        int cols = chunks.cols();
        DenseMatrix d = DenseMatrix.create(chunks.rows(), cols, chunks.backed());
        chunks.forEachChunk((first, m) -> {
            float[] out = new float[m.rows() * cols];
            for (int i = 0; i < m.rows(); i++) {
                float[] v = m.rowValues(i);
                int[] idx = m.rowIndices(i);
                for (int k = m.rowStart(i), e = m.rowEnd(i); k < e; k++) if (v[k] != 0) out[i * cols + idx[k]] = 1f;
            }
            d.writeRows(first, out, 0, m.rows());
        });
        return d;
    }

    /** log1p(counts / total x 10,000) per cell, the field's standard normalisation; empty cells stay zero. */
    public static SparseMatrix log1pCp10k(SparseMatrix m) {
        double[] totals = m.rowSums();
        SparseMatrix.Builder b = new SparseMatrix.Builder(m.cols());
        for (int i = 0; i < m.rows(); i++) {
            int s = m.rowStart(i), e = m.rowEnd(i);
            float[] v = new float[e - s];
            double scale = totals[i] > 0 ? 1e4 / totals[i] : 0;
            float[] src = m.rowValues(i);
            for (int k = s; k < e; k++) v[k - s] = (float) Math.log1p(src[k] * scale);
            int[] idx = java.util.Arrays.copyOfRange(m.rowIndices(i), s, e);
            b.addRow(idx, v, 0, e - s);
        }
        return b.build();
    }

    private interface FloatOp {
        float apply(float v);
    }

    private static SparseMatrix map(SparseMatrix m, FloatOp op) {
        SparseMatrix.Builder b = new SparseMatrix.Builder(m.cols());
        for (int i = 0; i < m.rows(); i++) {
            int s = m.rowStart(i), e = m.rowEnd(i);
            float[] v = new float[e - s];
            float[] src = m.rowValues(i);
            for (int k = s; k < e; k++) v[k - s] = op.apply(src[k]);
            b.addRow(java.util.Arrays.copyOfRange(m.rowIndices(i), s, e), v, 0, e - s);
        }
        return b.build();
    }
}
