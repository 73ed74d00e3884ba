package org.scxm.io;

import io.jhdf.api.Dataset;
import org.scxm.Progress;
import org.scxm.data.SparseMatrix;

/**
 * Reads an on-disk matrix (dense, CSR or CSC as stored by AnnData and 10x) into a {@link SparseMatrix}
 * in slices of at most {@code chunkEntries} stored entries, so that peak memory is the result plus
 * one slice: a 1.8M x 5k atlas never needs a whole-file byte array.
 */
final class MatrixReader {
    private MatrixReader() {}

    /**
     * Stored rows are cells: row r's entries are data/indices[indptr[r], indptr[r+1]).
     *
     * @param colMap old column -> new column, or -1 to drop; null keeps all columns
     */
    static SparseMatrix csr(
            Dataset data,
            Dataset indices,
            long[] indptr,
            int nCols,
            int[] colMap,
            int nColsOut,
            CountsCheck check,
            int chunkEntries,
            Progress progress) {
        int nRows = indptr.length - 1;
        SparseMatrix.Builder b = new SparseMatrix.Builder(colMap == null ? nCols : nColsOut);
        int[] ti = new int[16];
        float[] tv = new float[16];
        int r = 0;
        while (r < nRows) {
            // rows [r, rEnd) whose entries fit one slice (at least one row, however long)
            int rEnd = r + 1;
            while (rEnd < nRows && indptr[rEnd + 1] - indptr[r] <= chunkEntries) rEnd++;
            long p0 = indptr[r];
            int len = Math.toIntExact(indptr[rEnd] - p0);
            float[] v = len == 0 ? new float[0] : Chunks.floats(data, p0, len);
            int[] idx = len == 0 ? new int[0] : Chunks.ints(indices, p0, len);
            for (int i = r; i < rEnd; i++) {
                int from = (int) (indptr[i] - p0), to = (int) (indptr[i + 1] - p0);
                check.check(v, from, to, i);
                if (colMap == null && cleanRow(idx, v, from, to, nCols)) {
                    b.addRow(idx, v, from, to);
                    continue;
                }
                int n = to - from;
                if (ti.length < n) {
                    ti = new int[Math.max(n, ti.length * 2)];
                    tv = new float[ti.length];
                }
                int m = 0;
                for (int k = from; k < to; k++) {
                    int j = idx[k];
                    if (j < 0 || j >= nCols)
                        throw new IllegalStateException(
                                check.field() + ": column index " + j + " outside 0.." + (nCols - 1));
                    if (colMap != null) {
                        j = colMap[j];
                        if (j < 0) continue;
                    }
                    if (v[k] == 0f) continue; // explicit zeros are not kept
                    ti[m] = j;
                    tv[m] = v[k];
                    m++;
                }
                m = sortAndMerge(ti, tv, m);
                b.addRow(ti, tv, 0, m);
            }
            progress.update((double) rEnd / nRows, "reading " + check.field());
            r = rEnd;
        }
        return b.build();
    }

    /**
     * Stored columns are genes (scipy CSC of cells x genes): converted to rows in row ranges whose
     * entries fit a buffer of {@code 16 * chunkEntries}, each range streaming over the file once.
     */
    static SparseMatrix csc(
            Dataset data,
            Dataset indices,
            long[] indptr,
            int nRows,
            CountsCheck check,
            int chunkEntries,
            Progress progress) {
        int nCols = indptr.length - 1;
        long nnz = indptr[nCols];
        int[] rowCount = new int[nRows];
        for (long p = 0; p < nnz; p += chunkEntries) {
            int len = (int) Math.min(chunkEntries, nnz - p);
            int[] idx = Chunks.ints(indices, p, len);
            for (int row : idx) {
                if (row < 0 || row >= nRows)
                    throw new IllegalStateException(
                            check.field() + ": row index " + row + " outside 0.." + (nRows - 1));
                rowCount[row]++;
            }
        }
        long budget = Math.max(16L * chunkEntries, 1);
        SparseMatrix.Builder b = new SparseMatrix.Builder(nCols);
        int r0 = 0;
        while (r0 < nRows) {
            int r1 = r0 + 1;
            long inRange = rowCount[r0];
            while (r1 < nRows && inRange + rowCount[r1] <= budget) inRange += rowCount[r1++];
            int[] start = new int[r1 - r0 + 1];
            for (int i = r0; i < r1; i++) start[i - r0 + 1] = start[i - r0] + rowCount[i];
            int[] cursor = java.util.Arrays.copyOf(start, r1 - r0);
            int[] cols = new int[(int) inRange];
            float[] vals = new float[(int) inRange];
            int col = 0;
            for (long p = 0; p < nnz; p += chunkEntries) {
                int len = (int) Math.min(chunkEntries, nnz - p);
                int[] idx = Chunks.ints(indices, p, len);
                float[] v = null;
                for (int k = 0; k < len; k++) {
                    int row = idx[k];
                    if (row < r0 || row >= r1) continue;
                    if (v == null) v = Chunks.floats(data, p, len); // only slices that touch this range
                    while (indptr[col + 1] <= p + k) col++;
                    int at = cursor[row - r0]++;
                    cols[at] = col;
                    vals[at] = v[k];
                }
            }
            int[] ti = new int[16];
            float[] tv = new float[16];
            for (int i = r0; i < r1; i++) {
                int from = start[i - r0], to = start[i - r0 + 1];
                check.check(vals, from, to, i);
                int n = to - from;
                if (ti.length < n) {
                    ti = new int[Math.max(n, ti.length * 2)];
                    tv = new float[ti.length];
                }
                int m = 0;
                for (int k = from; k < to; k++)
                    if (vals[k] != 0f) {
                        ti[m] = cols[k];
                        tv[m] = vals[k];
                        m++;
                    }
                m = sortAndMerge(ti, tv, m);
                b.addRow(ti, tv, 0, m);
            }
            progress.update((double) r1 / nRows, "reading " + check.field());
            r0 = r1;
        }
        return b.build();
    }

    /** A dense rows x cols dataset, read in blocks of whole rows. */
    static SparseMatrix dense(Dataset x, int nRows, int nCols, CountsCheck check, int chunkEntries, Progress progress) {
        return dense(x, 0, nRows, nCols, check, chunkEntries, progress);
    }

    /** Rows [r0, r0 + nRows) of a dense dataset; row r0 + i becomes row i. */
    static SparseMatrix dense(
            Dataset x, int r0, int nRows, int nCols, CountsCheck check, int chunkEntries, Progress progress) {
        SparseMatrix.Builder b = new SparseMatrix.Builder(nCols);
        int rowsPerBlock = Math.max(1, chunkEntries / Math.max(1, nCols));
        for (int r = 0; r < nRows; r += rowsPerBlock) {
            int n = Math.min(rowsPerBlock, nRows - r);
            float[][] block = Chunks.rows(x, r0 + r, n, nCols);
            for (int i = 0; i < n; i++) {
                float[] row = block[i];
                check.check(row, 0, nCols, r + i);
                b.addDenseRow(row);
            }
            progress.update((double) (r + n) / nRows, "reading " + check.field());
        }
        return b.build();
    }

    /** The first values of a matrix, to judge whether it holds counts. */
    static float[] sampleSparse(Dataset data, int max) {
        long n = data.getDimensions()[0];
        int len = (int) Math.min(n, max);
        return len == 0 ? new float[0] : Chunks.floats(data, 0, len);
    }

    static float[] sampleDense(Dataset x, int nRows, int nCols, int max) {
        int rows = Math.max(1, Math.min(nRows, max / Math.max(1, nCols)));
        if (nRows == 0 || nCols == 0) return new float[0];
        float[][] block = Chunks.rows(x, 0, rows, nCols);
        float[] out = new float[rows * nCols];
        for (int i = 0; i < rows; i++) System.arraycopy(block[i], 0, out, i * nCols, nCols);
        return out;
    }

    /** True when a stored row can be kept as is: ascending in-range columns, no explicit zeros. */
    private static boolean cleanRow(int[] idx, float[] v, int from, int to, int nCols) {
        int prev = -1;
        for (int k = from; k < to; k++) {
            if (idx[k] <= prev || v[k] == 0f) return false;
            prev = idx[k];
        }
        return prev < nCols;
    }

    /** Sorts the first n (index, value) pairs by index and sums duplicates; returns the new length. */
    static int sortAndMerge(int[] idx, float[] val, int n) {
        boolean sorted = true;
        for (int k = 1; k < n && sorted; k++) sorted = idx[k] > idx[k - 1];
        if (sorted) return n;
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) order[k] = k;
        java.util.Arrays.sort(order, (a, c) -> Integer.compare(idx[a], idx[c]));
        int[] si = new int[n];
        float[] sv = new float[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int o = order[k];
            if (m > 0 && si[m - 1] == idx[o]) sv[m - 1] += val[o];
            else {
                si[m] = idx[o];
                sv[m] = val[o];
                m++;
            }
        }
        System.arraycopy(si, 0, idx, 0, m);
        System.arraycopy(sv, 0, val, 0, m);
        return m;
    }
}
