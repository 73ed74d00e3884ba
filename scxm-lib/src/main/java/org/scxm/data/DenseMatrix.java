package org.scxm.data;

/**
 * A rows x cols float matrix in one row-major array: bulked targets, predictions, decoder output.
 * Sized for cells x panel (1.1M x 204 fits easily); never used for cells x whole transcriptome.
 */
public final class DenseMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    public DenseMatrix(int rows, int cols) {
        if ((long) rows * cols > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException(rows + " x " + cols + " is too large for one dense matrix");
        this.rows = rows;
        this.cols = cols;
        this.data = new float[rows * cols];
    }

    public DenseMatrix(int rows, int cols, float[] data) {
        if (data.length != (long) rows * cols)
            throw new IllegalArgumentException("data length " + data.length + " != " + rows + " x " + cols);
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }
    /** The backing row-major array (not a copy). */
    public float[] data() {
        return data;
    }

    public float get(int i, int j) {
        return data[i * cols + j];
    }

    public void set(int i, int j, float v) {
        data[i * cols + j] = v;
    }

    /** Column j as a new array. */
    public float[] column(int j) {
        float[] c = new float[rows];
        for (int i = 0; i < rows; i++) c[i] = data[i * cols + j];
        return c;
    }

    /** A copy of row i. */
    public float[] row(int i) {
        float[] r = new float[cols];
        System.arraycopy(data, i * cols, r, 0, cols);
        return r;
    }

    public DenseMatrix selectRows(int[] rowIds) {
        DenseMatrix m = new DenseMatrix(rowIds.length, cols);
        for (int k = 0; k < rowIds.length; k++) System.arraycopy(data, rowIds[k] * cols, m.data, k * cols, cols);
        return m;
    }

    public DenseMatrix selectCols(int[] colIds) {
        DenseMatrix m = new DenseMatrix(rows, colIds.length);
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < colIds.length; k++) m.data[i * colIds.length + k] = data[i * cols + colIds[k]];
        return m;
    }
}
