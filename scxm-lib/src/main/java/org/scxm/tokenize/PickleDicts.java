package org.scxm.tokenize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import org.scxm.ScxmException;

/**
 * Reads Geneformer's dictionaries, which are Python pickles of plain dicts. Values may be numpy
 * scalars (V1 median dictionaries: float64; V1 token dictionary: int16): those are pickled as numpy.core.multiarray.scalar(dtype, raw bytes)
 * and are decoded here to Java numbers.
 */
final class PickleDicts {
    private PickleDicts() {}

    /** numpy.dtype('f8', False, True) followed by BUILD with (version, byteorder, ...). */
    public static final class DType {
        final String code;
        String byteOrder = "<";

        DType(String code) {
            this.code = code;
        }

        public void __setstate__(Object[] state) { // called by the unpickler on BUILD
            if (state.length > 1 && state[1] instanceof String s) byteOrder = s;
        }
    }

    private static final IObjectConstructor DTYPE = args -> new DType(String.valueOf(args[0]));

    private static final IObjectConstructor SCALAR = args -> {
        if (!(args[0] instanceof DType dt)) throw new PickleException("numpy scalar without a dtype");
        byte[] raw = args[1] instanceof byte[] b ? b : String.valueOf(args[1]).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf =
                ByteBuffer.wrap(raw).order(">".equals(dt.byteOrder) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return switch (dt.code) {
            case "f8" -> buf.getDouble();
            case "f4" -> (double) buf.getFloat();
            case "i8" -> buf.getLong();
            case "i4" -> (long) buf.getInt();
            case "i2" -> (long) buf.getShort(); // V1 token dictionaries hold numpy int16 ids
            case "i1" -> (long) buf.get();
            case "u2" -> (long) (buf.getShort() & 0xffff);
            case "u1" -> (long) (buf.get() & 0xff);
            case "f2" -> (double) Float.float16ToFloat(buf.getShort());
            case "u8" -> buf.getLong();
            case "u4" -> Integer.toUnsignedLong(buf.getInt());
            default -> throw new PickleException("numpy scalar of dtype " + dt.code + " is not supported");
        };
    };

    /** The pickled dict, keys as strings. */
    static Map<String, Object> read(Path file) {
        if (!Files.isRegularFile(file))
            throw new ScxmException(
                    "dictionary " + file + " does not exist; give the path of Geneformer's .pkl (or .tsv) file.");
        Unpickler.registerConstructor("numpy", "dtype", DTYPE);
        Unpickler.registerConstructor("numpy.core.multiarray", "scalar", SCALAR);
        Unpickler.registerConstructor("numpy._core.multiarray", "scalar", SCALAR);
        try (InputStream in = Files.newInputStream(file)) {
            Object o = new Unpickler().load(in);
            if (!(o instanceof Map<?, ?> m))
                throw new ScxmException(file + " holds a pickled "
                        + o.getClass().getSimpleName() + ", not a dict; give Geneformer's dictionary file.");
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        } catch (IOException | PickleException e) {
            throw new ScxmException(
                    file + " is not a readable Python pickle (" + e.getMessage()
                            + "); give Geneformer's .pkl or the .tsv form.",
                    e);
        }
    }
}
