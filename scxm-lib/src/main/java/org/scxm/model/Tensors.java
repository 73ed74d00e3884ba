package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.scxm.data.DenseMatrix;

/**
 * Java arrays as tensors in memory that PyTorch allocated itself. {@code NDManager.create} wraps a Java
 * direct buffer, which is only 16-byte aligned, so the same weights or batch land at a different offset
 * modulo 64 from run to run; on some CPUs MKL's matrix products then sum in a different order and the
 * same seed gives different losses in the last bits. PyTorch's allocator aligns to 64 bytes, so every
 * array the networks compute with goes through here. Arrays land on the manager's device: a model's
 * minibatches follow its weights to the GPU.
 */
public final class Tensors {
    private Tensors() {}

    public static NDArray of(NDManager m, float[] values, Shape shape) {
        return aligned(m.create(values, shape));
    }

    public static NDArray of(NDManager m, long[] values, Shape shape) {
        return aligned(m.create(values, shape));
    }

    /**
     * Little-endian float32 bytes (e.g. a memory-mapped checkpoint region) as a tensor: the engine reads the direct
     * buffer in place and the aligned copy is the only one made.
     */
    public static NDArray ofFloat32(NDManager m, java.nio.ByteBuffer littleEndian, Shape shape) {
        java.nio.ByteBuffer b = littleEndian.duplicate().order(java.nio.ByteOrder.nativeOrder());
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN || !b.isDirect()) {
            float[] f = new float[b.remaining() / 4];
            littleEndian
                    .duplicate()
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(f);
            return of(m, f, shape);
        }
        return aligned(m.create(b, shape, ai.djl.ndarray.types.DataType.FLOAT32));
    }

    /** The given rows of a matrix, in that order, as a (rows, cols) tensor: a minibatch. */
    public static NDArray rows(NDManager m, DenseMatrix d, int[] rows) {
        return of(m, d.readRows(rows), new Shape(rows.length, d.cols()));
    }

    private static NDArray aligned(NDArray wrapped) {
        if (wrapped.getDevice().isGpu()) return wrapped; // already copied into CUDA memory, which is aligned
        NDArray owned = wrapped.duplicate();
        wrapped.close();
        return owned;
    }
}
