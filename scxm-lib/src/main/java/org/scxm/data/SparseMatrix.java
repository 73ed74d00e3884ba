package org.scxm.data;

import java.util.Arrays;
import java.util.List;

/**
 * Cells x genes counts in compressed sparse row form, stored in row blocks so that atlases with
 * more than 2^31 non-zeros fit (Java arrays are int-indexed). Values are float as in AnnData.
 * Immutable once built; rows are read through {@link #rowValues}, {@link #rowIndices},
 * {@link #rowStart} and {@link #rowEnd} without copying.
 */
public final class SparseMatrix implements RowChunks {
    /** Rows per block; a block's non-zeros must stay below 2^31. */
    public static final int BLOCK_ROWS = 1 << 16;

    private final int rows;
    private final int cols;
    private final float[][] data;
    private final int[][] indices;
    private final int[][] indptr; // per block, local offsets, length blockRows + 1

    private SparseMatrix(int rows, int cols, float[][] data, int[][] indices, int[][] indptr) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.indices = indices;
        this.indptr = indptr;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public SparseMatrix rows(int from, int to) {
        if (from == 0 && to == rows) return this;
        if (from < 0 || to > rows || from > to)
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + rows);
        Builder b = new Builder(cols);
        for (int r = from; r < to; r++) b.addRow(rowIndices(r), rowValues(r), rowStart(r), rowEnd(r));
        return b.build();
    }

    @Override
    public boolean backed() {
        return false;
    }

    @Override
    public int chunkRows() {
        return Math.max(1, rows);
    }

    @Override
    public SparseMatrix inMemory() {
        return this;
    }

    public long nnz() {
        long n = 0;
        for (int[] p : indptr) n += p[p.length - 1];
        return n;
    }

    /** The array holding row i's values (shared with other rows of its block). */
    public float[] rowValues(int i) {
        return data[i / BLOCK_ROWS];
    }
    /** The array holding row i's column indices, ascending within the row. */
    public int[] rowIndices(int i) {
        return indices[i / BLOCK_ROWS];
    }

    public int rowStart(int i) {
        return indptr[i / BLOCK_ROWS][i % BLOCK_ROWS];
    }

    public int rowEnd(int i) {
        return indptr[i / BLOCK_ROWS][i % BLOCK_ROWS + 1];
    }

    /** The matrix as one set of flat CSR arrays, as AnnData and scipy hold it. */
    public record Csr(int[] indptr, int[] indices, float[] data) {}

    /** Copies the blocks into flat CSR arrays (for writers and Python references); fewer than 2^31 non-zeros. */
    public Csr toCsr() {
        long nnz = nnz();
        if (nnz > Integer.MAX_VALUE - 16)
            throw new org.scxm.ScxmException(
                    "the matrix has " + nnz + " non-zeros, more than one flat array holds: take fewer cells or genes.");
        int[] ptr = new int[rows + 1], idx = new int[(int) nnz];
        float[] val = new float[(int) nnz];
        for (int i = 0; i < rows; i++) {
            int s = rowStart(i), len = rowEnd(i) - s;
            System.arraycopy(rowIndices(i), s, idx, ptr[i], len);
            System.arraycopy(rowValues(i), s, val, ptr[i], len);
            ptr[i + 1] = ptr[i] + len;
        }
        return new Csr(ptr, idx, val);
    }

    /** The value at (i, j), zero where not stored. */
    public float get(int i, int j) {
        int[] idx = rowIndices(i);
        int k = Arrays.binarySearch(idx, rowStart(i), rowEnd(i), j);
        return k >= 0 ? rowValues(i)[k] : 0f;
    }

    /** Sum of each row. */
    public double[] rowSums() {
        double[] s = new double[rows];
        for (int i = 0; i < rows; i++) {
            float[] v = rowValues(i);
            double t = 0;
            for (int k = rowStart(i), e = rowEnd(i); k < e; k++) t += v[k];
            s[i] = t;
        }
        return s;
    }

    /** The dense copy of one row. */
    public float[] denseRow(int i) {
        float[] out = new float[cols];
        float[] v = rowValues(i);
        int[] idx = rowIndices(i);
        for (int k = rowStart(i), e = rowEnd(i); k < e; k++) out[idx[k]] = v[k];
        return out;
    }

    /** A dense copy (only for matrices that fit: cells x a panel or a few thousand genes). */
    public DenseMatrix toDense() {
        DenseMatrix d = new DenseMatrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            float[] v = rowValues(i);
            int[] idx = rowIndices(i);
            for (int k = rowStart(i), e = rowEnd(i); k < e; k++) d.data()[i * cols + idx[k]] = v[k];
        }
        return d;
    }

    /** Rows in the given order (may repeat). */
    @Override
    public SparseMatrix selectRows(int[] rowIds) {
        Builder b = new Builder(cols);
        for (int r : rowIds) {
            if (r < 0 || r >= rows) throw new IndexOutOfBoundsException("row " + r + " of " + rows);
            b.addRow(rowIndices(r), rowValues(r), rowStart(r), rowEnd(r));
        }
        return b.build();
    }

    /**
     * Columns in the given order; each new column j is old column colIds[j]. Old columns not listed
     * are dropped. Duplicated old columns are not allowed.
     */
    @Override
    public SparseMatrix selectCols(int[] colIds) {
        int[] map = new int[cols];
        Arrays.fill(map, -1);
        for (int j = 0; j < colIds.length; j++) {
            if (map[colIds[j]] != -1) throw new IllegalArgumentException("column " + colIds[j] + " selected twice");
            map[colIds[j]] = j;
        }
        boolean monotone = true;
        for (int j = 1; j < colIds.length; j++) monotone &= colIds[j] > colIds[j - 1];
        Builder b = new Builder(colIds.length);
        int[] ti = new int[colIds.length];
        float[] tv = new float[colIds.length];
        for (int i = 0; i < rows; i++) {
            int[] idx = rowIndices(i);
            float[] v = rowValues(i);
            int n = 0;
            for (int k = rowStart(i), e = rowEnd(i); k < e; k++) {
                int m = map[idx[k]];
                if (m >= 0) {
                    ti[n] = m;
                    tv[n] = v[k];
                    n++;
                }
            }
            if (!monotone) sortPairs(ti, tv, n);
            b.addRow(ti, tv, 0, n);
        }
        return b.build();
    }

    private static void sortPairs(int[] idx, float[] val, int n) {
        for (int a = 1; a < n; a++) { // insertion sort: rows are short after slicing
            int ki = idx[a];
            float kv = val[a];
            int b = a - 1;
            while (b >= 0 && idx[b] > ki) {
                idx[b + 1] = idx[b];
                val[b + 1] = val[b];
                b--;
            }
            idx[b + 1] = ki;
            val[b + 1] = kv;
        }
    }

    /** Builds a matrix row by row; memory grows by doubling inside the current block only. */
    public static final class Builder {
        private final int cols;
        private final java.util.ArrayList<float[]> data = new java.util.ArrayList<>();
        private final java.util.ArrayList<int[]> indices = new java.util.ArrayList<>();
        private final java.util.ArrayList<int[]> indptr = new java.util.ArrayList<>();
        private float[] curData = new float[1024];
        private int[] curIdx = new int[1024];
        private int[] curPtr = new int[BLOCK_ROWS + 1];
        private int curRows;
        private int rows;

        public Builder(int cols) {
            this.cols = cols;
        }

        /** Adds a row from idx[from..to) / val[from..to); indices must be ascending and in range. */
        public Builder addRow(int[] idx, float[] val, int from, int to) {
            int n = to - from;
            int used = curPtr[curRows];
            if ((long) used + n > Integer.MAX_VALUE - 16) throw new IllegalStateException("row block too large");
            if (used + n > curData.length) {
                int cap = (int) Math.min(Integer.MAX_VALUE - 16L, Math.max((long) used + n, curData.length * 2L));
                curData = Arrays.copyOf(curData, cap);
                curIdx = Arrays.copyOf(curIdx, cap);
            }
            int prev = -1;
            for (int k = 0; k < n; k++) {
                int j = idx[from + k];
                if (j <= prev || j >= cols)
                    throw new IllegalArgumentException(
                            "column indices must be ascending and below " + cols + ", got " + j + " after " + prev);
                prev = j;
            }
            System.arraycopy(val, from, curData, used, n);
            System.arraycopy(idx, from, curIdx, used, n);
            curRows++;
            rows++;
            curPtr[curRows] = used + n;
            if (curRows == BLOCK_ROWS) flush();
            return this;
        }

        /** Adds a dense row, keeping its non-zeros. */
        public Builder addDenseRow(float[] row) {
            int nz = 0;
            for (float v : row) if (v != 0f) nz++;
            int[] idx = new int[nz];
            float[] val = new float[nz];
            int k = 0;
            for (int j = 0; j < row.length; j++)
                if (row[j] != 0f) {
                    idx[k] = j;
                    val[k] = row[j];
                    k++;
                }
            return addRow(idx, val, 0, nz);
        }

        private void flush() {
            int used = curPtr[curRows];
            data.add(Arrays.copyOf(curData, used));
            indices.add(Arrays.copyOf(curIdx, used));
            indptr.add(Arrays.copyOf(curPtr, curRows + 1));
            curData = new float[Math.max(1024, Math.min(used, 1 << 20))];
            curIdx = new int[curData.length];
            curPtr = new int[BLOCK_ROWS + 1];
            curRows = 0;
        }

        public int rows() {
            return rows;
        }

        public SparseMatrix build() {
            if (curRows > 0 || data.isEmpty()) flush();
            return new SparseMatrix(
                    rows,
                    cols,
                    data.toArray(new float[0][]),
                    indices.toArray(new int[0][]),
                    indptr.toArray(new int[0][]));
        }
    }

    /**
     * A matrix from row blocks filled elsewhere (a reader decoding a file straight into them): block b holds rows
     * [b * BLOCK_ROWS, ...), every block but the last exactly {@link #BLOCK_ROWS} rows, with a local indptr that
     * starts at 0 and ends at the block's arrays' length. The arrays are taken, not copied. The block structure is
     * checked here; column indices ascending within each row and below cols are the caller's contract, checked
     * while it filled them (a second pass over every entry here would cost a reader a sixth of its time).
     */
    public static SparseMatrix ofBlocks(
            int rows, int cols, List<float[]> data, List<int[]> indices, List<int[]> indptr) {
        int nb = indptr.size();
        if (data.size() != nb || indices.size() != nb || nb != Math.max(1, (rows + BLOCK_ROWS - 1) / BLOCK_ROWS))
            throw new IllegalArgumentException(nb + " blocks for " + rows + " rows");
        for (int b = 0; b < nb; b++) {
            int[] p = indptr.get(b), idx = indices.get(b);
            int r = Math.min(BLOCK_ROWS, rows - b * BLOCK_ROWS);
            if (p.length != r + 1 || p[0] != 0 || p[r] != idx.length || data.get(b).length != idx.length)
                throw new IllegalArgumentException("block " + b + " is not a CSR block of " + r + " rows");
            for (int i = 0; i < r; i++)
                if (p[i + 1] < p[i]) throw new IllegalArgumentException("indptr decreases at row " + i);
        }
        return new SparseMatrix(
                rows, cols, data.toArray(new float[0][]), indices.toArray(new int[0][]), indptr.toArray(new int[0][]));
    }

    /** A matrix from a dense row-major array (tests and small data). */
    public static SparseMatrix fromDense(float[][] dense, int cols) {
        Builder b = new Builder(cols);
        for (float[] row : dense) b.addDenseRow(row);
        return b.build();
    }
}
