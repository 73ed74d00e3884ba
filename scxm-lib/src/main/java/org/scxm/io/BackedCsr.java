package org.scxm.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import org.scxm.Progress;
import org.scxm.data.RowChunks;
import org.scxm.data.SparseMatrix;

/**
 * A CSR matrix of an .h5ad kept on disk ({@code load ... backed=true}): only indptr is held; every {@link #rows}
 * opens the file and decodes the rows asked for with the same reader as a full load ({@link MatrixReader#csrRows},
 * with its checks). Column and row selections (harmonise slices genes and filters cells) are kept as maps and
 * applied while reading, so they cost nothing until a step passes over the cells.
 */
final class BackedCsr implements RowChunks {
    private final Path file;
    private final String group; // "X", "layers/counts", "raw/X"
    private final String field; // for messages: "X of atlas.h5ad"
    private final long[] indptr; // per file row, + 1
    private final int fileCols;
    private final int[] colMap; // file column -> column, -1 dropped; null: all, in order
    private final int cols;
    private final int[] rowMap; // row -> file row; null: every file row in order
    private final String[] fileCellIds; // for messages
    private final int chunkEntries, chunkRows;

    private BackedCsr(
            Path file,
            String group,
            String field,
            long[] indptr,
            int fileCols,
            int[] colMap,
            int cols,
            int[] rowMap,
            String[] fileCellIds,
            int chunkEntries,
            int chunkRows) {
        this.file = file;
        this.group = group;
        this.field = field;
        this.indptr = indptr;
        this.fileCols = fileCols;
        this.colMap = colMap;
        this.cols = cols;
        this.rowMap = rowMap;
        this.fileCellIds = fileCellIds;
        this.chunkEntries = chunkEntries;
        this.chunkRows = chunkRows;
    }

    /** A chunk holds about chunkEntries stored entries: rows by the file's mean non-zeros per row. */
    static BackedCsr open(
            Path file, String group, String field, long[] indptr, int nCols, String[] cellIds, int chunkEntries) {
        int n = indptr.length - 1;
        double perRow = n == 0 ? 1 : Math.max(1.0, (double) indptr[n] / n);
        int chunkRows = (int) Math.max(256, Math.min(SparseMatrix.BLOCK_ROWS, chunkEntries / perRow));
        return new BackedCsr(file, group, field, indptr, nCols, null, nCols, null, cellIds, chunkEntries, chunkRows);
    }

    @Override
    public int rows() {
        return rowMap == null ? indptr.length - 1 : rowMap.length;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public boolean backed() {
        return true;
    }

    @Override
    public int chunkRows() {
        return chunkRows;
    }

    @Override
    public SparseMatrix rows(int from, int to) {
        if (from < 0 || to > rows() || from > to)
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + rows());
        try (HdfFile h = new HdfFile(file)) {
            Dataset data = H5.dataset(h, group + "/data"), indices = H5.dataset(h, group + "/indices");
            if (data == null || indices == null)
                throw new org.scxm.ScxmException(field + " is no longer a CSR matrix on disk (" + file
                        + " changed since it was loaded): load it again.");
            if (rowMap == null) return read(data, indices, from, to);
            // selected rows: read runs of ascending file rows (gaps up to two chunks read through) and keep the asked
            // ones
            SparseMatrix.Builder b = new SparseMatrix.Builder(cols);
            int i = from;
            while (i < to) {
                int f0 = rowMap[i], j = i + 1;
                while (j < to && rowMap[j] > rowMap[j - 1] && rowMap[j] - (long) f0 < 2L * chunkRows) j++;
                SparseMatrix span = read(data, indices, f0, rowMap[j - 1] + 1);
                for (int k = i; k < j; k++) {
                    int r = rowMap[k] - f0;
                    b.addRow(span.rowIndices(r), span.rowValues(r), span.rowStart(r), span.rowEnd(r));
                }
                i = j;
            }
            return b.build();
        }
    }

    private SparseMatrix read(Dataset data, Dataset indices, int f0, int f1) {
        CountsCheck check = new CountsCheck(field, i -> fileCellIds[i]);
        return MatrixReader.csrRows(
                data, indices, indptr, f0, f1, fileCols, colMap, cols, check, chunkEntries, Progress.NONE);
    }

    @Override
    public RowChunks selectCols(int[] sel) {
        int[] fileOf = new int[cols]; // column -> file column
        for (int f = 0; f < fileCols; f++) {
            int c = colMap == null ? f : colMap[f];
            if (c >= 0) fileOf[c] = f;
        }
        int[] map = new int[fileCols];
        Arrays.fill(map, -1);
        for (int j = 0; j < sel.length; j++) {
            if (sel[j] < 0 || sel[j] >= cols) throw new IndexOutOfBoundsException("column " + sel[j] + " of " + cols);
            int f = fileOf[sel[j]];
            if (map[f] != -1) throw new IllegalArgumentException("column " + sel[j] + " selected twice");
            map[f] = j;
        }
        return new BackedCsr(
                file, group, field, indptr, fileCols, map, sel.length, rowMap, fileCellIds, chunkEntries, chunkRows);
    }

    @Override
    public RowChunks selectRows(int[] sel) {
        int[] map = new int[sel.length];
        for (int k = 0; k < sel.length; k++) {
            if (sel[k] < 0 || sel[k] >= rows()) throw new IndexOutOfBoundsException("row " + sel[k] + " of " + rows());
            map[k] = rowMap == null ? sel[k] : rowMap[sel[k]];
        }
        return new BackedCsr(
                file, group, field, indptr, fileCols, colMap, cols, map, fileCellIds, chunkEntries, chunkRows);
    }

    @Override
    public SparseMatrix inMemory() {
        SparseMatrix.Builder b = new SparseMatrix.Builder(cols);
        forEachChunk((first, c) -> {
            for (int r = 0; r < c.rows(); r++) b.addRow(c.rowIndices(r), c.rowValues(r), c.rowStart(r), c.rowEnd(r));
        });
        return b.build();
    }

    @Override
    public String toString() {
        return field + " (on disk, " + rows() + " x " + cols + ", chunks of " + chunkRows + " rows)";
    }
}
