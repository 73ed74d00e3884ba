package org.scxm.model;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scxm.ScxmException;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}} and raw little-endian tensor bytes.
 * Read through a memory map, so files beyond 2 GB work; F32, F16, BF16 and F64 become float arrays.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** One tensor as float values with its shape. */
    public record Tensor(long[] shape, float[] data) {
        public long size() {
            long n = 1;
            for (long s : shape) n *= s;
            return n;
        }
    }

    /** One tensor's raw little-endian bytes (a memory-mapped view of the file) with its dtype and shape. */
    public record Raw(long[] shape, String dtype, ByteBuffer bytes) {}

    /**
     * The file's tensors as memory-mapped views, in header order, nothing decoded: a loader can hand float32
     * bytes to the engine without a Java copy (for Geneformer V2, ~420 MB less heap and one copy instead of three).
     */
    public static Map<String, Raw> map(Path file) {
        if (!Files.isRegularFile(file))
            throw new ScxmException("weights file " + file
                    + " does not exist; a model folder needs config.json and model.safetensors.");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8)
                throw new ScxmException(file + (size == 0 ? " is empty" : " is only " + size + " bytes long")
                        + ", so it holds no safetensors header; copy or download the weights again.");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > Math.min(size - 8, 100_000_000))
                throw new ScxmException(file + " is not a safetensors file (bad header length " + headerLen
                        + "); convert PyTorch .bin weights to model.safetensors.");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonObject header = JsonParser.parseString(new String(hb.array(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            long dataStart = 8 + headerLen;
            Map<String, Raw> out = new LinkedHashMap<>();
            for (var e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) continue;
                JsonObject t = e.getValue().getAsJsonObject();
                JsonArray shapeJ = t.getAsJsonArray("shape");
                long[] shape = new long[shapeJ.size()];
                for (int k = 0; k < shape.length; k++) shape[k] = shapeJ.get(k).getAsLong();
                JsonArray off = t.getAsJsonArray("data_offsets");
                long begin = off.get(0).getAsLong(), end = off.get(1).getAsLong();
                if (dataStart + end > size || begin > end)
                    throw new ScxmException(file + " is truncated: tensor " + e.getKey()
                            + " ends past the file; download or copy it again.");
                out.put(
                        e.getKey(),
                        new Raw(
                                shape,
                                t.get("dtype").getAsString(),
                                ch.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin)
                                        .order(ByteOrder.LITTLE_ENDIAN)));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ScxmException se) throw se;
            throw new ScxmException(
                    "could not read " + file + " as safetensors: its header is damaged ("
                            + (e.getMessage() != null
                                    ? e.getMessage()
                                    : e.getClass().getSimpleName())
                            + "); copy or download the weights again.",
                    e);
        }
    }

    /** Decodes a mapped tensor to float values (F32, F16, BF16, F64, I64). */
    public static Tensor decode(String name, Raw r, Path file) {
        return new Tensor(
                r.shape(), decode(r.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN), r.dtype(), name, file));
    }

    public static Map<String, Tensor> read(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        map(file).forEach((k, r) -> out.put(k, decode(k, r, file)));
        return out;
    }

    private static float[] decode(ByteBuffer b, String dtype, String name, Path file) {
        int n;
        float[] f;
        switch (dtype) {
            case "F32" -> {
                n = b.remaining() / 4;
                f = new float[n];
                b.asFloatBuffer().get(f);
            }
            case "F64" -> {
                n = b.remaining() / 8;
                f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float) b.getDouble();
            }
            case "F16" -> {
                n = b.remaining() / 2;
                f = new float[n];
                for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(b.getShort());
            }
            case "BF16" -> {
                n = b.remaining() / 2;
                f = new float[n];
                for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            }
            case "I64" -> {
                n = b.remaining() / 8;
                f = new float[n];
                for (int i = 0; i < n; i++) f[i] = b.getLong();
            }
            default ->
                throw new ScxmException("tensor " + name + " in " + file + " has dtype " + dtype
                        + ", which is not supported; save the model in float32.");
        }
        return f;
    }

    /** Writes float32 tensors (names in map order). */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (var e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long s : e.getValue().shape()) shape.add(s);
            t.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            offset += 4L * e.getValue().data().length;
            off.add(offset);
            t.add("data_offsets", off);
            header.add(e.getKey(), t);
        }
        byte[] h = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8; // keep tensor data 8-byte aligned, as the reference writer does
        byte[] hp = new byte[h.length + pad];
        System.arraycopy(h, 0, hp, 0, h.length);
        for (int i = h.length; i < hp.length; i++) hp[i] = ' ';
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hp.length);
            out.write(len.array());
            out.write(hp);
            for (Tensor t : tensors.values()) {
                ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.data());
                out.write(b.array());
            }
        }
    }
}
