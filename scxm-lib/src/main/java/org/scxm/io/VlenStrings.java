package org.scxm.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Variable-length string datasets (AnnData's obs/var names and categories) decoded directly: each element is a
 * (length, global heap collection address, object index) reference, and each global heap collection is read
 * once as a whole and cut into strings. jhdf builds an object per heap entry and a decoder per string, which
 * made cell ids a third of a read. Anything unexpected returns null so that the caller falls back to jhdf.
 */
final class VlenStrings {
    private VlenStrings() {}

    /** The strings of a 1-D variable-length string dataset, or null when it is not one this reads. */
    static String[] read(Dataset d) {
        try {
            if (!d.isVariableLength() || d.getJavaType() != String.class || d.getDimensions().length != 1) return null;
            HdfBackingStorage st = d.getHdfFile().getHdfBackingStorage();
            int so = st.getSizeOfOffsets(), sl = st.getSizeOfLengths();
            int elem = 4 + so + 4;
            if (d.getDataType().getSize() != elem) return null;
            int n = d.getDimensions()[0];
            String[] out = new String[n];
            if (n == 0) return out;
            Map<Long, Collection> heaps = new HashMap<>();
            if (d instanceof ContiguousDataset cd) {
                decode(cd.getBuffer(), 0, n, elem, so, sl, st, heaps, out, 0);
            } else if (d instanceof ChunkedDataset cd) {
                int chunk = cd.getChunkDimensions()[0];
                for (int c0 = 0; c0 < n; c0 += chunk) {
                    ByteBuffer b = ByteBuffer.wrap(cd.getDecompressedChunk(new int[] {c0}));
                    decode(b, 0, Math.min(chunk, n - c0), elem, so, sl, st, heaps, out, c0);
                }
            } else return null;
            return out;
        } catch (RuntimeException e) {
            return null; // jhdf decides (and explains) what this could not read
        }
    }

    private static void decode(
            ByteBuffer b,
            int from,
            int count,
            int elem,
            int so,
            int sl,
            HdfBackingStorage st,
            Map<Long, Collection> heaps,
            String[] out,
            int at) {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Collection last = null;
        long lastAddress = -1;
        for (int i = 0; i < count; i++) {
            int p = (from + i) * elem;
            int len = b.getInt(p);
            long address = so == 8 ? b.getLong(p + 4) : b.getInt(p + 4) & 0xFFFFFFFFL;
            int index = b.getInt(p + 4 + so);
            if (address == 0) {
                out[at + i] = len == 0 ? "" : null;
                continue;
            }
            if (address != lastAddress) {
                final int lengths = sl;
                last = heaps.computeIfAbsent(address, a -> Collection.read(st, a, lengths));
                lastAddress = address;
            }
            out[at + i] = last.string(index, len);
        }
    }

    /** One global heap collection: its bytes and where each object starts. */
    private record Collection(byte[] bytes, int[] start, int[] size) {
        static Collection read(HdfBackingStorage st, long address, int sl) {
            ByteBuffer head = st.readBufferFromAddress(address, 8 + sl).order(ByteOrder.LITTLE_ENDIAN);
            if (head.get(0) != 'G' || head.get(1) != 'C' || head.get(2) != 'O' || head.get(3) != 'L')
                throw new IllegalStateException("no global heap at " + address);
            long total = sl == 8 ? head.getLong(8) : head.getInt(8) & 0xFFFFFFFFL;
            ByteBuffer all = st.readBufferFromAddress(address, Math.toIntExact(total));
            byte[] bytes = new byte[all.remaining()];
            all.duplicate().get(bytes);
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int[] start = new int[64], size = new int[64];
            int p = 8 + sl;
            while (p + 8 + sl <= bytes.length) {
                int index = b.getShort(p) & 0xFFFF;
                if (index == 0) break; // free space: the rest of the collection
                long objSize = sl == 8 ? b.getLong(p + 8) : b.getInt(p + 8) & 0xFFFFFFFFL;
                int data = p + 8 + sl;
                if (index >= start.length) {
                    int cap = Math.max(index + 1, start.length * 2);
                    start = java.util.Arrays.copyOf(start, cap);
                    size = java.util.Arrays.copyOf(size, cap);
                }
                start[index] = data;
                size[index] = (int) objSize;
                p = data + (int) ((objSize + 7) & ~7L);
            }
            return new Collection(bytes, start, size);
        }

        String string(int index, int len) {
            if (index <= 0 || index >= start.length || start[index] == 0)
                throw new IllegalStateException("no global heap object " + index);
            int n = Math.min(len, size[index]);
            return new String(bytes, start[index], n, StandardCharsets.UTF_8);
        }
    }
}
