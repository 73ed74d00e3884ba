package org.scxm.data;

/**
 * Cells x genes counts read in row chunks: a {@link SparseMatrix} in memory (a single chunk: itself) or a matrix
 * kept on disk (a backed .h5ad, {@code load ... backed=true}), read one chunk at a time. Steps that pass over every
 * cell (harmonise, tokenize, predict, export, DE) go through {@link #forEachChunk} or {@link #rows}, so for a backed
 * dataset they hold one chunk at a time; column and row selections of a backed matrix are lazy and applied as
 * each chunk is read.
 */
public interface RowChunks {
    int rows();

    int cols();

    /** Rows [from, to) in memory (for an in-memory matrix of all its rows: itself, no copy). */
    SparseMatrix rows(int from, int to);

    /** The given columns in the given order (old column cols[j] becomes column j). */
    RowChunks selectCols(int[] cols);

    /** The given rows in the given order. */
    RowChunks selectRows(int[] rows);

    /** True when the matrix stays on disk and every pass reads it again. */
    boolean backed();

    /** How many rows a pass reads at a time (all of them in memory). */
    int chunkRows();

    /** The whole matrix in memory (a backed one read chunk by chunk into one matrix: for panel slices). */
    SparseMatrix inMemory();

    /** Receives consecutive chunks: {@code first} is the row index of the chunk's row 0. */
    interface ChunkVisitor {
        void accept(int first, SparseMatrix chunk);
    }

    /** Every row, chunk after chunk, in row order. */
    default void forEachChunk(ChunkVisitor v) {
        int n = rows(), step = Math.max(1, chunkRows());
        for (int r = 0; r < n; r += step) v.accept(r, rows(r, Math.min(n, r + step)));
    }
}
