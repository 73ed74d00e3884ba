package org.scxm.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkOffset;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads parts of numeric datasets chunk by chunk. jhdf 0.9.4's sliced {@code getData(offset, shape)}
 * returns zeros for chunked datasets beyond the first chunk, so chunked datasets are decoded here from
 * {@link ChunkedDataset#getDecompressedChunk}; contiguous ones are read with jhdf's slices.
 */
final class Chunks {
    private Chunks() {}

    /** Entries [off, off+len) of a 1-D numeric dataset as floats. */
    static float[] floats(Dataset d, long off, int len) {
        float[] out = new float[len];
        floatsInto(d, off, len, out, 0);
        return out;
    }

    /** Entries [off, off+len) of a 1-D integer dataset as ints. */
    static int[] ints(Dataset d, long off, int len) {
        int[] out = new int[len];
        intsInto(d, off, len, out, 0);
        return out;
    }

    /** Entries [off, off+len) of a 1-D integer dataset as longs (e.g. a slice of a CSR indptr). */
    static long[] longs(Dataset d, long off, int len) {
        if (!(d instanceof ChunkedDataset cd)) return H5.toLongs(H5.slice(d, off, len));
        long[] out = new long[len];
        if (len == 0) return out;
        Decoder dec = decoder(d);
        eachChunk(cd, off, len, (b, from, n, to) -> {
            if (!dec.floating && dec.size == 8) b.asLongBuffer().get(from, out, to, n);
            else for (int k = 0; k < n; k++) out[to + k] = dec.getLong(b, from + k);
        });
        return out;
    }

    /** Entries [off, off+len) of a 1-D numeric dataset decoded straight into dst[at, at+len). */
    static void floatsInto(Dataset d, long off, int len, float[] dst, int at) {
        if (len == 0) return;
        if (!(d instanceof ChunkedDataset cd)) {
            System.arraycopy(H5.toFloats(H5.slice(d, off, len)), 0, dst, at, len);
            return;
        }
        Decoder dec = decoder(d);
        eachChunk(cd, off, len, (b, from, n, to) -> {
            if (dec.floating && dec.size == 4) b.asFloatBuffer().get(from, dst, at + to, n);
            else for (int k = 0; k < n; k++) dst[at + to + k] = (float) dec.get(b, from + k);
        });
    }

    /** Entries [off, off+len) of a 1-D integer dataset decoded straight into dst[at, at+len). */
    static void intsInto(Dataset d, long off, int len, int[] dst, int at) {
        if (len == 0) return;
        if (!(d instanceof ChunkedDataset cd)) {
            System.arraycopy(H5.toInts(H5.slice(d, off, len)), 0, dst, at, len);
            return;
        }
        Decoder dec = decoder(d);
        eachChunk(cd, off, len, (b, from, n, to) -> {
            if (!dec.floating && dec.size == 4 && dec.signed) b.asIntBuffer().get(from, dst, at + to, n);
            else for (int k = 0; k < n; k++) dst[at + to + k] = Math.toIntExact(dec.getLong(b, from + k));
        });
    }

    /** Receives a decoded chunk: elements [from, from+n) of b belong at position to of the requested range. */
    private interface ChunkSink {
        void put(ByteBuffer b, int from, int n, int to);
    }

    /**
     * Decodes the chunks covering [off, off+len), in parallel (each chunk is independent). The raw chunks are
     * located by jhdf on the calling thread; uncompressed and deflate (optionally shuffled) chunks are decoded
     * here into per-thread buffers, any other filter through jhdf.
     */
    private static void eachChunk(ChunkedDataset cd, long off, int len, ChunkSink sink) {
        int chunk = cd.getChunkDimensions()[0];
        int size = cd.getDataType().getSize();
        ByteOrder order = decoder(cd).order;
        long c0 = off / chunk, c1 = (off + len - 1) / chunk;
        int n = Math.toIntExact(c1 - c0 + 1);
        Codec codec = codec(cd);
        Map<ChunkOffset, Chunk> index = codec == Codec.OTHER ? null : chunkIndex(cd);
        ByteBuffer[] raw = new ByteBuffer[n];
        if (codec != Codec.OTHER && index == null) // jhdf's mapped chunks, fetched on this thread
        for (int k = 0; k < n; k++) raw[k] = cd.getRawChunkBuffer(new int[] {Math.toIntExact((c0 + k) * chunk)});
        FileChannel ch =
                index == null ? null : cd.getHdfFile().getHdfBackingStorage().getFileChannel();
        long base = index == null
                ? 0
                : cd.getHdfFile().getHdfBackingStorage().getSuperblock().getBaseAddressByte();
        java.util.function.IntConsumer one = k -> {
            long start = (c0 + k) * chunk;
            int from = (int) (Math.max(off, start) - start);
            int count = (int) (Math.min(off + len, start + chunk) - start) - from;
            ByteBuffer r = raw[k];
            if (index != null) {
                Chunk c = index.get(new ChunkOffset(new int[] {Math.toIntExact(start)}));
                r = c == null ? null : readRaw(ch, base + c.getAddress(), c.getSize());
            }
            ByteBuffer b = r == null // a chunk never written: jhdf supplies the fill value
                    ? ByteBuffer.wrap(cd.getDecompressedChunk(new int[] {Math.toIntExact(start)}))
                    : decode(cd, codec, r, new int[] {Math.toIntExact(start)}, chunk * size, size);
            sink.put(b.order(order), from, count, (int) (start + from - off));
        };
        // jhdf's own filters and mapped chunks stay on this thread; positional reads and inflating run in parallel.
        if (n < 4 || codec == Codec.OTHER || index == null && codec == Codec.NONE) {
            for (int k = 0; k < n; k++) one.accept(k);
            return;
        }
        java.util.stream.IntStream.range(0, n).parallel().forEach(one);
    }

    /**
     * Where each chunk lies in the file, from jhdf's chunk index, or null when it cannot be reached. jhdf 0.9.4 keeps
     * the index behind a protected method; reading chunks ourselves (one positional read into a per-thread buffer)
     * instead of through {@link ChunkedDataset#getRawChunkBuffer} avoids a memory map per chunk, whose pages count
     * as resident until the map is collected and made a read's peak memory twice the matrix.
     */
    @SuppressWarnings("unchecked")
    private static Map<ChunkOffset, Chunk> chunkIndex(ChunkedDataset cd) {
        if (CHUNK_LOOKUP == null || !(cd instanceof ChunkedDatasetBase)) return null;
        try {
            return (Map<ChunkOffset, Chunk>) CHUNK_LOOKUP.invoke(cd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static final Method CHUNK_LOOKUP = lookupMethod();

    private static Method lookupMethod() {
        try {
            Method m = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another jhdf, or a module boundary: fall back to its mapped chunks
        }
    }

    private static ByteBuffer readRaw(FileChannel ch, long position, int size) {
        Scratch s = SCRATCH.get();
        ByteBuffer b = s.raw(size);
        try {
            while (b.hasRemaining()) {
                int r = ch.read(b, position + b.position());
                if (r < 0) throw new IllegalStateException("the file ends inside a chunk at " + position);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.flip();
    }

    /** How chunks are stored: as they are, deflated (optionally byte-shuffled first), or through another filter. */
    private enum Codec {
        NONE,
        DEFLATE,
        SHUFFLE_DEFLATE,
        OTHER
    }

    private static Codec codec(ChunkedDataset cd) {
        List<PipelineFilterWithData> filters = cd.getFilters();
        if (filters == null || filters.isEmpty()) return Codec.NONE;
        if (filters.size() == 1 && filters.get(0).getId() == 1) return Codec.DEFLATE;
        if (filters.size() == 2 && filters.get(0).getId() == 2 && filters.get(1).getId() == 1)
            return Codec.SHUFFLE_DEFLATE;
        return Codec.OTHER;
    }

    /** Per-thread inflater and scratch buffers, so decoding allocates nothing per chunk. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final Inflater inflater = new Inflater();
        byte[] b = new byte[0];
        // Direct, so that inflating into them pins no heap region: a collection during a parallel gzip read would
        // otherwise keep pinned young regions, garbage and all, as old ones (about 50 MB more at peak).
        ByteBuffer raw = ByteBuffer.allocateDirect(0), inflated = ByteBuffer.allocateDirect(0);

        ByteBuffer raw(int n) {
            if (raw.capacity() < n) raw = ByteBuffer.allocateDirect(Math.max(n, 1 << 16));
            return raw.clear().limit(n);
        }

        ByteBuffer inflated(int n) {
            if (inflated.capacity() < n) inflated = ByteBuffer.allocateDirect(Math.max(n, 1 << 16));
            return inflated.clear().limit(n);
        }

        byte[] b(int n) {
            if (b.length < n) b = new byte[n];
            return b;
        }
    }

    /**
     * One chunk (at its first element's offset), decoded as {@link #eachChunk} decodes them (bytes as stored; the
     * caller sets the byte order): valid until this thread decodes its next chunk.
     */
    static ByteBuffer chunk(ChunkedDataset cd, int[] at) {
        Codec codec = codec(cd);
        int size = cd.getDataType().getSize(), bytes = size;
        for (int c : cd.getChunkDimensions()) bytes *= c;
        ByteBuffer b;
        try {
            b = codec == Codec.OTHER
                    ? ByteBuffer.wrap(cd.getDecompressedChunk(at))
                    : decode(cd, codec, cd.getRawChunkBuffer(at), at, bytes, size);
        } catch (RuntimeException e) { // e.g. a chunk never written: jhdf supplies the fill value
            b = ByteBuffer.wrap(cd.getDecompressedChunk(at));
        }
        return b;
    }

    private static ByteBuffer decode(ChunkedDataset cd, Codec codec, ByteBuffer raw, int[] at, int bytes, int size) {
        switch (codec) {
            case NONE:
                return raw.duplicate(); // the caller copies out before this thread reads its next chunk
            case DEFLATE:
            case SHUFFLE_DEFLATE:
                Scratch s = SCRATCH.get();
                ByteBuffer out = s.inflated(bytes);
                Inflater inf = s.inflater;
                inf.reset();
                inf.setInput(raw.duplicate());
                int got = 0;
                try {
                    while (out.hasRemaining() && !inf.finished()) {
                        int r = inf.inflate(out);
                        if (r == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                        got += r;
                    }
                } catch (DataFormatException e) {
                    got = -1; // e.g. a chunk stored unfiltered (filter mask): let jhdf decide
                }
                if (got != bytes) return ByteBuffer.wrap(cd.getDecompressedChunk(at));
                out.flip();
                if (codec == Codec.DEFLATE) return out;
                byte[] un = s.b(bytes);
                int elems = bytes / size;
                for (int j = 0; j < size; j++)
                    for (int i = 0, p = j * elems; i < elems; i++) un[i * size + j] = out.get(p + i);
                return ByteBuffer.wrap(un, 0, bytes);
            default:
                return ByteBuffer.wrap(cd.getDecompressedChunk(at));
        }
    }

    /** Rows [r0, r0+n) of a 2-D numeric dataset with nCols columns, as float rows. */
    static float[][] rows(Dataset d, int r0, int n, int nCols) {
        float[][] out = new float[n][];
        if (!(d instanceof ChunkedDataset cd)) {
            Object block = d.getData(new long[] {r0, 0}, new int[] {n, nCols});
            for (int i = 0; i < n; i++) out[i] = H5.toFloats(java.lang.reflect.Array.get(block, i));
            return out;
        }
        for (int i = 0; i < n; i++) out[i] = new float[nCols];
        Decoder dec = decoder(d);
        int[] cdim = cd.getChunkDimensions();
        int cr = cdim[0], cc = cdim[1];
        for (int chunkRow = r0 / cr * cr; chunkRow < r0 + n; chunkRow += cr) {
            for (int chunkCol = 0; chunkCol < nCols; chunkCol += cc) {
                ByteBuffer b = ByteBuffer.wrap(cd.getDecompressedChunk(new int[] {chunkRow, chunkCol}))
                        .order(dec.order);
                for (int i = Math.max(r0, chunkRow); i < Math.min(r0 + n, chunkRow + cr); i++) {
                    float[] row = out[i - r0];
                    int base = (i - chunkRow) * cc;
                    for (int j = chunkCol; j < Math.min(nCols, chunkCol + cc); j++)
                        row[j] = (float) dec.get(b, base + j - chunkCol);
                }
            }
        }
        return out;
    }

    /**
     * Columns 0 and 1 of a rows x k float64 dataset (obsm['spatial']) read straight from its bytes (contiguous, or
     * chunk by chunk), or null for another type (the caller then asks jhdf for a double[][]).
     */
    static double[][] firstTwoColumns(Dataset d) {
        int[] dims = d.getDimensions();
        if (dims.length != 2
                || dims[1] < 2
                || !(d.getDataType() instanceof FloatingPoint)
                || d.getDataType().getSize() != 8) return null;
        int n = dims[0], k = dims[1];
        double[] x = new double[n], y = new double[n];
        ByteOrder order = decoder(d).order;
        if (d instanceof io.jhdf.api.dataset.ContiguousDataset cd) {
            java.nio.DoubleBuffer b = cd.getBuffer().order(order).asDoubleBuffer();
            for (int i = 0; i < n; i++) {
                x[i] = b.get(i * k);
                y[i] = b.get(i * k + 1);
            }
        } else if (d instanceof ChunkedDataset cd) {
            int cr = cd.getChunkDimensions()[0], cc = cd.getChunkDimensions()[1];
            for (int r0 = 0; r0 < n; r0 += cr)
                for (int c0 = 0; c0 < 2; c0 += cc) {
                    java.nio.DoubleBuffer b =
                            chunk(cd, new int[] {r0, c0}).order(order).asDoubleBuffer();
                    for (int i = r0; i < Math.min(n, r0 + cr); i++)
                        for (int j = c0; j < Math.min(2, c0 + cc); j++)
                            (j == 0 ? x : y)[i] = b.get((i - r0) * cc + j - c0);
                }
        } else return null;
        return new double[][] {x, y};
    }

    /** Element decoding for the numeric HDF5 types AnnData and 10x use. */
    private record Decoder(ByteOrder order, int size, boolean floating, boolean signed) {
        double get(ByteBuffer b, int i) {
            if (floating) return size == 4 ? b.getFloat(i * 4) : b.getDouble(i * 8);
            return getLong(b, i);
        }

        long getLong(ByteBuffer b, int i) {
            if (floating) return (long) get(b, i);
            return switch (size) {
                case 1 -> signed ? b.get(i) : b.get(i) & 0xFFL;
                case 2 -> signed ? b.getShort(i * 2) : b.getShort(i * 2) & 0xFFFFL;
                case 4 -> signed ? b.getInt(i * 4) : b.getInt(i * 4) & 0xFFFFFFFFL;
                default -> b.getLong(i * 8);
            };
        }
    }

    private static Decoder decoder(Dataset d) {
        DataType t = d.getDataType();
        ByteOrder order = t instanceof OrderedDataType o ? o.getByteOrder() : ByteOrder.LITTLE_ENDIAN;
        if (t instanceof FloatingPoint) return new Decoder(order, t.getSize(), true, true);
        if (t instanceof FixedPoint f) return new Decoder(order, t.getSize(), false, f.isSigned());
        throw new IllegalStateException(
                d.getPath() + " holds " + t.getClass().getSimpleName() + " values, not numbers");
    }
}
