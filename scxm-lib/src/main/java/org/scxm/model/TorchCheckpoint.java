package org.scxm.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import org.scxm.ScxmException;

/**
 * PyTorch's checkpoint format ({@code pytorch_model.bin}, {@code torch.save} default since 1.6), read in
 * Java without Python. The file is a zip: {@code <name>/data.pkl} pickles the state dict, each tensor as
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} with the storage as a
 * persistent id {@code ('storage', torch.FloatStorage, key, location, numel)} whose bytes are the entry
 * {@code <name>/data/<key>}, in the byte order named by {@code <name>/byteorder} (little when absent).
 * The pickle only builds plain records here: no Python code runs, whatever the file names.
 * Tensors come back as float values, like {@link SafeTensors#read}, so either file feeds the same loader.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    /**
     * A storage class from the pickle (torch.FloatStorage...), with the bytes per element of its dtype. The
     * unpickler puts a global's constructor itself into the persistent id, so the type is its own constructor.
     */
    record StorageType(String name, int bytes) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + name + " is only referenced in checkpoints");
        }
    }

    /** The persistent id of one storage: its entry key and element type. */
    record StorageRef(String key, StorageType type, long numel) {}

    /** One tensor in the pickle: a strided view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}

    /** The pickle's OrderedDict: insertion order kept; its attribute dict (state_dict's _metadata) ignored. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            /* _metadata: module versions, not weights */
        }
    }

    private static final Map<String, Integer> STORAGE_BYTES = Map.of(
            "FloatStorage",
            4,
            "DoubleStorage",
            8,
            "HalfStorage",
            2,
            "BFloat16Storage",
            2,
            "LongStorage",
            8,
            "IntStorage",
            4,
            "ShortStorage",
            2,
            "ByteStorage",
            1,
            "CharStorage",
            1,
            "BoolStorage",
            1);

    private static long[] longs(Object tuple) {
        Object[] a = (Object[]) tuple;
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = ((Number) a[i]).longValue();
        return out;
    }

    // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]); _rebuild_tensor has the first
    // four
    private static final IObjectConstructor REBUILD_TENSOR = args -> {
        if (!(args[0] instanceof StorageRef s)) throw new PickleException("a tensor without a storage");
        return new TensorRef(s, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    };

    // (data, requires_grad, backward_hooks): an nn.Parameter saved directly; its data is the tensor
    private static final IObjectConstructor REBUILD_PARAMETER = args -> args[0];

    private static synchronized void register() {
        for (var e : STORAGE_BYTES.entrySet()) {
            Unpickler.registerConstructor("torch", e.getKey(), new StorageType(e.getKey(), e.getValue()));
        }
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", REBUILD_TENSOR);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", REBUILD_TENSOR);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", REBUILD_PARAMETER);
        Unpickler.registerConstructor("collections", "OrderedDict", a -> new OrderedDict());
    }

    /** True when the file starts like a zip (PyTorch >= 1.6) rather than a legacy pickle stream. */
    static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
        }
    }

    /** The state dict's tensors as float values, keys in file order. */
    public static Map<String, SafeTensors.Tensor> read(Path file) {
        return load(
                file,
                (name, t, data) ->
                        new SafeTensors.Tensor(t.shape(), view(data.floats(t.storage(), name), t, name, file)));
    }

    /**
     * The state dict's tensors as little-endian float32 bytes in direct buffers, keys in file order: contiguous
     * float32 tensors are read from the file straight into them, with no Java array (the path for large models);
     * other dtypes and strided views are decoded first.
     */
    public static Map<String, SafeTensors.Raw> map(Path file) {
        return load(file, (name, t, data) -> {
            long numel = 1;
            for (long d : t.shape()) numel *= d;
            if (t.storage().type().name().equals("FloatStorage")
                    && data.order == ByteOrder.LITTLE_ENDIAN
                    && contiguous(t)
                    && t.offset() + numel <= t.storage().numel()) {
                ByteBuffer b = data.bytes(t.storage(), name).duplicate();
                b.position((int) (4 * t.offset())).limit((int) (4 * (t.offset() + numel)));
                return new SafeTensors.Raw(t.shape(), "F32", b.slice().order(ByteOrder.LITTLE_ENDIAN));
            }
            float[] f = view(data.floats(t.storage(), name), t, name, file);
            ByteBuffer b = ByteBuffer.allocateDirect(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(f);
            return new SafeTensors.Raw(t.shape(), "F32", b);
        });
    }

    /** Makes one output tensor from its reference and the file's storages. */
    private interface Maker<T> {
        T make(String name, TensorRef t, Storages data) throws IOException;
    }

    /** The storages of an open checkpoint, each read once (tied weights share one). */
    private static final class Storages {
        final ZipFile zip;
        final String prefix;
        final ByteOrder order;
        final Path file;
        final Map<String, Integer> uses;
        final Map<String, float[]> floats = new HashMap<>();
        final Map<String, ByteBuffer> bytes = new HashMap<>();

        Storages(ZipFile zip, String prefix, ByteOrder order, Path file, Map<String, Integer> uses) {
            this.zip = zip;
            this.prefix = prefix;
            this.order = order;
            this.file = file;
            this.uses = uses;
        }

        private ZipEntry entry(StorageRef s, String name) {
            ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
            if (e == null)
                throw new ScxmException(
                        file + " lacks the data of tensor " + name + "; the file is truncated or damaged.");
            return e;
        }

        float[] floats(StorageRef s, String name) throws IOException {
            float[] f = floats.get(s.key());
            if (f != null) return f;
            try (InputStream in = zip.getInputStream(entry(s, name))) {
                f = decode(in, s, order, name, file);
            }
            if (uses.get(s.key()) > 1) floats.put(s.key(), f);
            return f;
        }

        ByteBuffer bytes(StorageRef s, String name) throws IOException {
            ByteBuffer b = bytes.get(s.key());
            if (b != null) return b;
            long n = s.numel() * s.type().bytes();
            if (n > Integer.MAX_VALUE - 8L * 1024)
                throw new ScxmException("tensor " + name + " in " + file
                        + " exceeds 2 GB in one storage; convert it to model.safetensors.");
            b = ByteBuffer.allocateDirect((int) n);
            try (InputStream in = zip.getInputStream(entry(s, name))) {
                byte[] chunk = new byte[1 << 20];
                while (b.hasRemaining()) {
                    int k = in.read(chunk, 0, Math.min(chunk.length, b.remaining()));
                    if (k < 0)
                        throw new ScxmException(
                                file + " ends inside the data of tensor " + name + "; the file is truncated.");
                    b.put(chunk, 0, k);
                }
            }
            b.flip();
            if (uses.get(s.key()) > 1) bytes.put(s.key(), b);
            return b;
        }
    }

    private static <T> Map<String, T> load(Path file, Maker<T> maker) {
        if (!Files.isRegularFile(file))
            throw new ScxmException("weights file " + file
                    + " does not exist; a model folder needs config.json and model.safetensors or pytorch_model.bin.");
        try {
            if (!isZip(file))
                throw new ScxmException(file
                        + " is not in PyTorch's zip format (torch.save before 1.6 or not a checkpoint); re-save it with a "
                        + "current torch.save or convert it to model.safetensors.");
            register();
            try (ZipFile zip = new ZipFile(file.toFile())) {
                String prefix = null;
                for (var en = zip.entries(); en.hasMoreElements(); ) {
                    String n = en.nextElement().getName();
                    if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))) {
                        prefix = n.substring(0, n.length() - "data.pkl".length());
                        break;
                    }
                }
                if (prefix == null)
                    throw new ScxmException(
                            file
                                    + " is a zip without data.pkl, so not a PyTorch checkpoint; give pytorch_model.bin or model.safetensors.");
                ByteOrder order = ByteOrder.LITTLE_ENDIAN;
                ZipEntry bo = zip.getEntry(prefix + "byteorder");
                if (bo != null) {
                    try (InputStream in = zip.getInputStream(bo)) {
                        if (new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                                .trim()
                                .equals("big")) order = ByteOrder.BIG_ENDIAN;
                    }
                }
                Object root;
                try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
                    root = new Unpickler() {
                        @Override
                        protected Object persistentLoad(Object pid) {
                            Object[] p = (Object[]) pid;
                            if (!"storage".equals(p[0]) || !(p[1] instanceof StorageType t))
                                throw new PickleException("unknown persistent id " + java.util.Arrays.toString(p));
                            return new StorageRef(String.valueOf(p[2]), t, ((Number) p[4]).longValue());
                        }
                    }.load(in);
                }
                Map<?, ?> dict = stateDict(root, file);
                Map<String, Integer> uses = new HashMap<>();
                for (Object v : dict.values())
                    if (v instanceof TensorRef t) uses.merge(t.storage().key(), 1, Integer::sum);
                Storages data = new Storages(zip, prefix, order, file, uses);
                Map<String, T> out = new LinkedHashMap<>();
                for (var e : dict.entrySet()) {
                    if (!(e.getValue() instanceof TensorRef t)) continue; // e.g. a stray int in a state dict
                    String name = String.valueOf(e.getKey());
                    out.put(name, maker.make(name, t, data));
                }
                return out;
            }
        } catch (IOException | PickleException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new ScxmException(
                    "could not read " + file + " as a PyTorch checkpoint (" + e.getMessage()
                            + "); re-save it with torch.save or convert it to model.safetensors.",
                    e);
        }
    }

    /** Row-major without gaps (size-1 dimensions may have any stride). */
    private static boolean contiguous(TensorRef t) {
        long expect = 1;
        for (int d = t.shape().length - 1; d >= 0; d--) {
            if (t.shape()[d] != 1 && t.stride()[d] != expect) return false;
            expect *= t.shape()[d];
        }
        return true;
    }

    /** The dict of tensors: the root itself, or its "state_dict"/"model" entry (trainer checkpoints wrap it). */
    private static Map<?, ?> stateDict(Object root, Path file) {
        if (root instanceof Map<?, ?> m) {
            for (String k : new String[] {"state_dict", "model", "model_state_dict"})
                if (m.get(k) instanceof Map<?, ?> inner
                        && inner.values().stream().anyMatch(v -> v instanceof TensorRef)) return inner;
            if (m.values().stream().anyMatch(v -> v instanceof TensorRef)) return m;
        }
        throw new ScxmException(
                file
                        + " holds no state dict of tensors (a whole pickled model or another object); save model.state_dict() instead.");
    }

    private static float[] decode(InputStream in, StorageRef s, ByteOrder order, String name, Path file)
            throws IOException {
        long bytes = s.numel() * s.type().bytes();
        if (bytes > Integer.MAX_VALUE - 8L * 1024)
            throw new ScxmException("tensor " + name + " in " + file
                    + " exceeds 2 GB in one storage; convert it to model.safetensors.");
        int n = (int) s.numel();
        float[] f = new float[n];
        // decode in 1 MiB chunks: no second copy of the whole storage in memory
        byte[] chunk = new byte[1 << 20];
        int elemBytes = s.type().bytes(), perChunk = chunk.length / elemBytes, done = 0;
        DataInputStream din = new DataInputStream(in);
        while (done < n) {
            int k = Math.min(perChunk, n - done);
            din.readFully(chunk, 0, k * elemBytes);
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, k * elemBytes).order(order);
            switch (s.type().name()) {
                case "FloatStorage" -> b.asFloatBuffer().get(f, done, k);
                case "DoubleStorage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = (float) b.getDouble();
                }
                case "HalfStorage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = Float.float16ToFloat(b.getShort());
                }
                case "BFloat16Storage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                }
                case "LongStorage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = b.getLong();
                }
                case "IntStorage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = b.getInt();
                }
                case "ShortStorage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = b.getShort();
                }
                case "ByteStorage", "BoolStorage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = b.get() & 0xff;
                }
                case "CharStorage" -> {
                    for (int i = 0; i < k; i++) f[done + i] = b.get();
                }
                default ->
                    throw new ScxmException("tensor " + name + " in " + file + " has storage "
                            + s.type().name() + ", which is not supported; save the model in float32.");
            }
            done += k;
        }
        return f;
    }

    /** The tensor's elements in row-major order, gathered through its offset and strides. */
    private static float[] view(float[] storage, TensorRef t, String name, Path file) {
        long numel = 1;
        for (long d : t.shape()) numel *= d;
        boolean contiguous = contiguous(t);
        if (t.offset() + (contiguous ? numel : 0) > storage.length)
            throw new ScxmException(
                    "tensor " + name + " in " + file + " reaches past its storage; the file is damaged.");
        if (contiguous)
            return t.offset() == 0 && numel == storage.length
                    ? storage
                    : java.util.Arrays.copyOfRange(storage, (int) t.offset(), (int) (t.offset() + numel));
        float[] out = new float[(int) numel];
        int rank = t.shape().length;
        long[] idx = new long[rank];
        for (int i = 0; i < out.length; i++) {
            long pos = t.offset();
            for (int d = 0; d < rank; d++) pos += idx[d] * t.stride()[d];
            out[i] = storage[(int) pos];
            for (int d = rank - 1; d >= 0 && ++idx[d] == t.shape()[d]; d--) idx[d] = 0;
        }
        return out;
    }
}
