package org.scxm.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Variable-length string datasets (AnnData's obs/var names and categories) decoded directly: each element is a
 * (length, global heap collection address, object index) reference, and each global heap collection is read
 * once as a whole and cut into strings. jhdf builds an object per heap entry and a decoder per string, which
 * made cell ids a third of a read. Only the collection in use is held (anndata writes a dataset's strings into
 * collections in order; one visited again is read again), so the heap bytes of 200k cell ids are not all kept at
 * once. Anything unexpected returns null so that the caller falls back to jhdf.
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
            Collection[] heap = new Collection[1]; // the collection in use
            if (d instanceof ContiguousDataset cd) {
                decode(cd.getBuffer(), 0, n, elem, so, sl, st, heap, out, 0);
            } else if (d instanceof ChunkedDataset cd) {
                int chunk = cd.getChunkDimensions()[0];
                for (int c0 = 0; c0 < n; c0 += chunk) {
                    ByteBuffer b = Chunks.chunk(cd, new int[] {c0});
                    decode(b, 0, Math.min(chunk, n - c0), elem, so, sl, st, heap, out, c0);
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
            Collection[] heap,
            String[] out,
            int at) {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            int p = (from + i) * elem;
            int len = b.getInt(p);
            long address = so == 8 ? b.getLong(p + 4) : b.getInt(p + 4) & 0xFFFFFFFFL;
            int index = b.getInt(p + 4 + so);
            if (address == 0) {
                out[at + i] = len == 0 ? "" : null;
                continue;
            }
            if (heap[0] == null || heap[0].address != address) heap[0] = Collection.read(st, address, sl);
            out[at + i] = heap[0].string(index, len);
        }
    }

    /**
     * One global heap collection at an address: its bytes and where each object starts in them. Object indices
     * are 16-bit, so start and size are sized by a first pass over the object headers rather than grown.
     */
    private record Collection(long address, byte[] bytes, int[] start, int[] size) {
        static Collection read(HdfBackingStorage st, long address, int sl) {
            ByteBuffer head = st.readBufferFromAddress(address, 8 + sl).order(ByteOrder.LITTLE_ENDIAN);
            if (head.get(0) != 'G' || head.get(1) != 'C' || head.get(2) != 'O' || head.get(3) != 'L')
                throw new IllegalStateException("no global heap at " + address);
            long total = length(head, 8, sl);
            ByteBuffer all = st.readBufferFromAddress(address, Math.toIntExact(total));
            byte[] bytes;
            int offset;
            if (all.hasArray()) { // jhdf reads into a heap buffer: use its array rather than a copy
                bytes = all.array();
                offset = all.arrayOffset() + all.position();
            } else {
                bytes = new byte[all.remaining()];
                all.duplicate().get(bytes);
                offset = 0;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int end = offset + all.remaining(), maxIndex = 0;
            for (int p = offset + 8 + sl; p + 8 + sl <= end; ) {
                int index = b.getShort(p) & 0xFFFF;
                if (index == 0) break; // free space: the rest of the collection
                maxIndex = Math.max(maxIndex, index);
                p = next(b, p, sl);
            }
            int[] start = new int[maxIndex + 1], size = new int[maxIndex + 1];
            for (int p = offset + 8 + sl; p + 8 + sl <= end; ) {
                int index = b.getShort(p) & 0xFFFF;
                if (index == 0) break;
                start[index] = p + 8 + sl;
                size[index] = (int) length(b, p + 8, sl);
                p = next(b, p, sl);
            }
            return new Collection(address, bytes, start, size);
        }

        /** The header position of the object after the one whose header is at p (data padded to 8 bytes). */
        private static int next(ByteBuffer b, int p, int sl) {
            return p + 8 + sl + (int) ((length(b, p + 8, sl) + 7) & ~7L);
        }

        /** An unsigned length field of the file's size of lengths (sl: 4 or 8 bytes) at position at. */
        private static long length(ByteBuffer b, int at, int sl) {
            return sl == 8 ? b.getLong(at) : b.getInt(at) & 0xFFFFFFFFL;
        }

        String string(int index, int len) {
            if (index <= 0 || index >= start.length || start[index] == 0)
                throw new IllegalStateException("no global heap object " + index);
            int n = Math.min(len, size[index]);
            return new String(bytes, start[index], n, StandardCharsets.UTF_8);
        }
    }
}
