package org.scxm.io;

import io.jhdf.api.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
     * Rows [r0, r1) of a stored CSR matrix as a matrix of r1 - r0 rows. Each row block of the result is allocated
     * once at its exact size (known from indptr) and the file's chunks are decoded straight into it, in slices of
     * {@code chunkEntries}; rows are checked there and fixed in place only when they need it (unsorted or
     * duplicate columns, explicit zeros, dropped columns), so a clean file costs no copy per row. Stored rows are
     * cells: row r's entries are data/indices[indptr[r], indptr[r+1]).
     *
     * @param colMap old column -> new column, or -1 to drop; null keeps all columns
     */
    static SparseMatrix csrRows(
            Dataset data,
            Dataset indices,
            long[] indptr,
            int r0,
            int r1,
            int nCols,
            int[] colMap,
            int nColsOut,
            CountsCheck check,
            int chunkEntries,
            Progress progress) {
        int rows = r1 - r0;
        List<float[]> vs = new ArrayList<>();
        List<int[]> is = new ArrayList<>(), ps = new ArrayList<>();
        long total = Math.max(1, indptr[r1] - indptr[r0]), done = 0;
        int[] ti = new int[16];
        float[] tv = new float[16];
        int b0 = r0;
        do {
            int b1 = Math.min(r1, b0 + SparseMatrix.BLOCK_ROWS);
            long p0 = indptr[b0], lenL = indptr[b1] - p0;
            if (lenL < 0 || lenL > Integer.MAX_VALUE - 16)
                throw new IllegalStateException(check.field() + ": rows " + b0 + ".." + b1 + " hold " + lenL
                        + " entries (indptr is corrupt or a row block is too large)");
            int len = (int) lenL;
            float[] v = new float[len];
            int[] idx = new int[len];
            for (int at = 0; at < len; at += chunkEntries) {
                int n = Math.min(chunkEntries, len - at);
                Chunks.floatsInto(data, p0 + at, n, v, at);
                Chunks.intsInto(indices, p0 + at, n, idx, at);
                done += n;
                progress.update((double) done / total, "reading " + check.field());
            }
            int[] ptr = new int[b1 - b0 + 1];
            int w = 0; // rows are compacted in place: a row never grows, so w <= its start
            for (int i = b0; i < b1; i++) {
                int from = (int) (indptr[i] - p0), to = (int) (indptr[i + 1] - p0);
                if (to < from || to > len)
                    throw new IllegalStateException(check.field() + ": indptr is not ascending at row " + i);
                if (check.checkRow(v, idx, from, to, i, nCols) && colMap == null) {
                    if (w != from) {
                        System.arraycopy(idx, from, idx, w, to - from);
                        System.arraycopy(v, from, v, w, to - from);
                    }
                    w += to - from;
                } else {
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
                    System.arraycopy(ti, 0, idx, w, m);
                    System.arraycopy(tv, 0, v, w, m);
                    w += m;
                }
                ptr[i - b0 + 1] = w;
            }
            vs.add(w == len ? v : Arrays.copyOf(v, w));
            is.add(w == len ? idx : Arrays.copyOf(idx, w));
            ps.add(ptr);
            b0 = b1;
        } while (b0 < r1);
        return SparseMatrix.ofBlocks(rows, colMap == null ? nCols : nColsOut, vs, is, ps);
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
