package org.scxm.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A rows x cols float matrix, row-major: bulked targets, predictions, decoder output, binarised panels.
 * Sized for cells x panel (1.1M x 204 fits easily); never used for cells x whole transcriptome.
 *
 * <p>It lives either in one array or, for the per-cell outputs of a dataset kept on disk ({@code backed=true}), in
 * a scratch file ({@link #onDisk}) that is written and read in row blocks, so that a million cells' predictions do
 * not sit in the heap. Both behave the same through every method but {@link #data()}, which only an in-memory
 * matrix has; steps that need a whole matrix at once call {@link #inMemory()}.
 */
public final class DenseMatrix {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Bytes a disk matrix reads at a time (and keeps as its one cached block). */
    private static final int BLOCK_BYTES = 1 << 20;

    private final int rows;
    private final int cols;
    private final float[] data;
    private final Scratch scratch;

    public DenseMatrix(int rows, int cols) {
        this(rows, cols, new float[checkedSize(rows, cols)]);
    }

    public DenseMatrix(int rows, int cols, float[] data) {
        if (data.length != (long) rows * cols)
            throw new IllegalArgumentException("data length " + data.length + " != " + rows + " x " + cols);
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.scratch = null;
    }

    private DenseMatrix(int rows, int cols, Scratch scratch) {
        this.rows = rows;
        this.cols = cols;
        this.data = null;
        this.scratch = scratch;
        CLEANER.register(this, scratch);
    }

    private static int checkedSize(int rows, int cols) {
        if ((long) rows * cols > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException(rows + " x " + cols + " is too large for one dense matrix");
        return rows * cols;
    }

    /**
     * A zero matrix in a scratch file under {@code java.io.tmpdir} (or {@code scxm.scratch}), removed when the
     * matrix is no longer reachable (the file is unlinked at once; the open channel keeps its space).
     */
    public static DenseMatrix onDisk(int rows, int cols) {
        checkedSize(rows, cols);
        Path dir = Path.of(System.getProperty("scxm.scratch", System.getProperty("java.io.tmpdir")));
        try {
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "scxm-matrix-", ".f32");
            FileChannel ch = FileChannel.open(
                    file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            try {
                Files.deleteIfExists(file); // POSIX keeps the data while the channel is open
            } catch (IOException notHere) {
                // a system that cannot remove an open file: DELETE_ON_CLOSE removes it when the matrix goes
            }
            return new DenseMatrix(rows, cols, new Scratch(ch, (long) rows * cols * 4));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make a scratch file for a " + rows + " x " + cols + " matrix under " + dir
                            + " (set -Dscxm.scratch to a folder with space): " + e.getMessage(),
                    e);
        }
    }

    /** A zero matrix where {@code backed} says: on disk for a backed dataset's per-cell outputs, else in memory. */
    public static DenseMatrix create(int rows, int cols, boolean backed) {
        return backed ? onDisk(rows, cols) : new DenseMatrix(rows, cols);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** True when the values live in a scratch file. */
    public boolean isOnDisk() {
        return scratch != null;
    }

    /** The backing row-major array (not a copy); only an in-memory matrix has one. */
    public float[] data() {
        if (data == null)
            throw new IllegalStateException("this " + rows + " x " + cols
                    + " matrix is kept on disk (a backed dataset's per-cell output); read it in row blocks");
        return data;
    }

    /** This matrix if in memory, else a copy of it in memory. */
    public DenseMatrix inMemory() {
        if (data != null) return this;
        DenseMatrix m = new DenseMatrix(rows, cols);
        readRows(0, rows, m.data, 0);
        return m;
    }

    /** Rows [from, to) into {@code dst} from {@code off}, row-major. */
    public void readRows(int from, int to, float[] dst, int off) {
        if (data != null) System.arraycopy(data, from * cols, dst, off, (to - from) * cols);
        else scratch.read((long) from * cols, dst, off, (to - from) * cols);
    }

    /** {@code n} rows from {@code src} (at {@code off}) become rows [from, from + n). */
    public void writeRows(int from, float[] src, int off, int n) {
        if (data != null) System.arraycopy(src, off, data, from * cols, n * cols);
        else scratch.write((long) from * cols, src, off, n * cols);
    }

    /** Row k of {@code src} becomes row {@code rowIds[k]}; runs of consecutive rows are written together. */
    public void writeRows(int[] rowIds, float[] src) {
        forEachRun(rowIds, (k, n) -> writeRows(rowIds[k], src, k * cols, n));
    }

    /** Rows in the given order, row-major, into a new array (runs of consecutive rows read together). */
    public float[] readRows(int[] rowIds) {
        float[] v = new float[rowIds.length * cols];
        forEachRun(rowIds, (k, n) -> readRows(rowIds[k], rowIds[k] + n, v, k * cols));
        return v;
    }

    /** A run of {@code n} consecutive row ids starting at position {@code k} of the id list. */
    private interface Run {
        void accept(int k, int n);
    }

    /** Splits row ids into runs of consecutive rows, so that a disk matrix does one read or write per run. */
    private static void forEachRun(int[] rowIds, Run r) {
        for (int k = 0; k < rowIds.length; ) {
            int n = 1;
            while (k + n < rowIds.length && rowIds[k + n] == rowIds[k] + n) n++;
            r.accept(k, n);
            k += n;
        }
    }

    /** How many rows make a block of about 1 MB: the unit in which passes over a disk matrix read it. */
    public int blockRows() {
        return Math.max(1, BLOCK_BYTES / 4 / Math.max(1, cols));
    }

    /** Receives consecutive row blocks: {@code first} is the block's first row, {@code n} its rows. */
    public interface BlockVisitor {
        void accept(int first, int n, float[] values);
    }

    /** Every row in order, a block at a time (an in-memory matrix: one block, its own array). */
    public void forEachBlock(BlockVisitor v) {
        if (data != null) {
            v.accept(0, rows, data);
            return;
        }
        int step = blockRows();
        float[] buf = new float[Math.min(step, rows) * cols];
        for (int r = 0; r < rows; r += step) {
            int n = Math.min(step, rows - r);
            readRows(r, r + n, buf, 0);
            v.accept(r, n, buf);
        }
    }

    /** Each element replaced by {@code a * this + b * other} (same shape), a block at a time. */
    public void combine(float a, DenseMatrix other, float b) {
        if (other.rows != rows || other.cols != cols)
            throw new IllegalArgumentException(other.rows + " x " + other.cols + " != " + rows + " x " + cols);
        int step = Math.min(rows, blockRows());
        float[] x = new float[step * cols], y = new float[step * cols];
        for (int r = 0; r < rows; r += step) {
            int n = Math.min(step, rows - r);
            readRows(r, r + n, x, 0);
            other.readRows(r, r + n, y, 0);
            for (int i = 0; i < n * cols; i++) x[i] = a * x[i] + b * y[i];
            writeRows(r, x, 0, n);
        }
    }

    /** Every element multiplied by {@code f}. */
    public void scale(float f) {
        combine(f, this, 0f);
    }

    /** The mean of every column. */
    public double[] columnMeans() {
        double[] s = new double[cols];
        forEachBlock((first, n, v) -> {
            for (int i = 0; i < n; i++) for (int j = 0; j < cols; j++) s[j] += v[i * cols + j];
        });
        for (int j = 0; j < cols; j++) s[j] /= Math.max(1, rows);
        return s;
    }

    /** The mean of every element. */
    public double mean() {
        double s = 0;
        for (double m : columnMeans()) s += m;
        return cols == 0 ? Double.NaN : s / cols;
    }

    public float get(int i, int j) {
        return data != null ? data[i * cols + j] : scratch.get((long) i * cols + j);
    }

    public void set(int i, int j, float v) {
        if (data != null) data[i * cols + j] = v;
        else scratch.write((long) i * cols + j, new float[] {v}, 0, 1);
    }

    /** Column j as a new array (a disk matrix: one pass over its blocks). */
    public float[] column(int j) {
        float[] c = new float[rows];
        forEachBlock((first, n, v) -> {
            for (int i = 0; i < n; i++) c[first + i] = v[i * cols + j];
        });
        return c;
    }

    /** A copy of row i. */
    public float[] row(int i) {
        float[] r = new float[cols];
        readRows(i, i + 1, r, 0);
        return r;
    }

    /** The given rows, in memory. */
    public DenseMatrix selectRows(int[] rowIds) {
        return new DenseMatrix(rowIds.length, cols, readRows(rowIds));
    }

    /** The given columns, kept where this matrix is (in memory or on disk). */
    public DenseMatrix selectCols(int[] colIds) {
        DenseMatrix m = create(rows, colIds.length, data == null);
        forEachBlock((first, n, v) -> {
            float[] out = new float[n * colIds.length];
            for (int i = 0; i < n; i++)
                for (int k = 0; k < colIds.length; k++) out[i * colIds.length + k] = v[i * cols + colIds[k]];
            m.writeRows(first, out, 0, n);
        });
        return m;
    }

    /** The scratch file's channel, with one cached block of floats; closed when the matrix is collected. */
    private static final class Scratch implements Runnable {
        private final FileChannel channel;
        private final long floats;
        private final ByteBuffer io = ByteBuffer.allocateDirect(BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final float[] cached = new float[BLOCK_BYTES / 4];
        private long cachedFrom = -1;
        private int cachedLength;

        Scratch(FileChannel channel, long floats) throws IOException {
            this.channel = channel;
            this.floats = floats;
            if (floats > 0) channel.write(ByteBuffer.allocate(1), floats * 4 - 1); // sized, sparse, zeros
        }

        synchronized float get(long index) {
            if (index < cachedFrom || index >= cachedFrom + cachedLength) {
                long from = index / cached.length * cached.length;
                int n = (int) Math.min(cached.length, floats - from);
                cachedFrom = -1; // invalid until the read succeeds
                read(from, cached, 0, n);
                cachedFrom = from;
                cachedLength = n;
            }
            return cached[(int) (index - cachedFrom)];
        }

        synchronized void read(long from, float[] dst, int off, int n) {
            long pos = from * 4;
            while (n > 0) {
                int chunk = Math.min(n, io.capacity() / 4);
                io.clear().limit(chunk * 4);
                try {
                    while (io.hasRemaining()) {
                        if (channel.read(io, pos + io.position()) < 0)
                            throw new IOException("scratch file ended early");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a matrix's scratch file: " + e.getMessage(), e);
                }
                io.flip().asFloatBuffer().get(dst, off, chunk);
                pos += chunk * 4L;
                off += chunk;
                n -= chunk;
            }
        }

        synchronized void write(long from, float[] src, int off, int n) {
            if (from < cachedFrom + cachedLength && from + n > cachedFrom) cachedFrom = -1; // stale
            if (cachedFrom < 0) cachedLength = 0;
            long pos = from * 4;
            while (n > 0) {
                int chunk = Math.min(n, io.capacity() / 4);
                io.clear();
                io.asFloatBuffer().put(src, off, chunk);
                io.limit(chunk * 4);
                try {
                    while (io.hasRemaining()) channel.write(io, pos + io.position());
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "cannot write a matrix's scratch file (disk full?): " + e.getMessage(), e);
                }
                pos += chunk * 4L;
                off += chunk;
                n -= chunk;
            }
        }

        @Override
        public void run() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a scratch file: nothing left to save
            }
        }
    }
}
