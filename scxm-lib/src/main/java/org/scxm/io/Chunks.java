package org.scxm.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads parts of numeric datasets chunk by chunk. jhdf 0.9.4's sliced {@code getData(offset, shape)}
 * returns zeros for chunked datasets beyond the first chunk, so chunked datasets are decoded here from
 * {@link ChunkedDataset#getDecompressedChunk}; contiguous ones are read with jhdf's slices.
 */
final class Chunks {
    private Chunks() {}

    /** Entries [off, off+len) of a 1-D numeric dataset as floats. */
    static float[] floats(Dataset d, long off, int len) {
        if (!(d instanceof ChunkedDataset cd)) return H5.toFloats(H5.slice(d, off, len));
        float[] out = new float[len];
        Decoder dec = decoder(d);
        int chunk = cd.getChunkDimensions()[0];
        long pos = off, end = off + len;
        while (pos < end) {
            long c0 = pos / chunk * chunk;
            ByteBuffer b = ByteBuffer.wrap(cd.getDecompressedChunk(new int[] {(int) c0}))
                    .order(dec.order);
            int from = (int) (pos - c0), n = (int) Math.min(end - pos, chunk - from), at = (int) (pos - off);
            if (dec.floating && dec.size == 4) b.asFloatBuffer().get(from, out, at, n); // bulk copy for the common case
            else for (int k = 0; k < n; k++) out[at + k] = (float) dec.get(b, from + k);
            pos += n;
        }
        return out;
    }

    /** Entries [off, off+len) of a 1-D integer dataset as ints. */
    static int[] ints(Dataset d, long off, int len) {
        if (!(d instanceof ChunkedDataset cd)) return H5.toInts(H5.slice(d, off, len));
        int[] out = new int[len];
        Decoder dec = decoder(d);
        int chunk = cd.getChunkDimensions()[0];
        long pos = off, end = off + len;
        while (pos < end) {
            long c0 = pos / chunk * chunk;
            ByteBuffer b = ByteBuffer.wrap(cd.getDecompressedChunk(new int[] {(int) c0}))
                    .order(dec.order);
            int from = (int) (pos - c0), n = (int) Math.min(end - pos, chunk - from), at = (int) (pos - off);
            if (!dec.floating && dec.size == 4 && dec.signed) b.asIntBuffer().get(from, out, at, n);
            else for (int k = 0; k < n; k++) out[at + k] = Math.toIntExact(dec.getLong(b, from + k));
            pos += n;
        }
        return out;
    }

    /** Entries [off, off+len) of a 1-D integer dataset as longs (e.g. a slice of a CSR indptr). */
    static long[] longs(Dataset d, long off, int len) {
        if (!(d instanceof ChunkedDataset cd)) return H5.toLongs(H5.slice(d, off, len));
        long[] out = new long[len];
        Decoder dec = decoder(d);
        int chunk = cd.getChunkDimensions()[0];
        long pos = off, end = off + len;
        while (pos < end) {
            long c0 = pos / chunk * chunk;
            ByteBuffer b = ByteBuffer.wrap(cd.getDecompressedChunk(new int[] {(int) c0}))
                    .order(dec.order);
            int from = (int) (pos - c0), n = (int) Math.min(end - pos, chunk - from), at = (int) (pos - off);
            for (int k = 0; k < n; k++) out[at + k] = dec.getLong(b, from + k);
            pos += n;
        }
        return out;
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
