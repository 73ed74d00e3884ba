package org.scxm.io;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;

/** Small functions over jhdf: null-safe lookup, attributes as Java values, typed 1-D slices. */
final class H5 {
    private H5() {}

    /** The node at a slash-separated path under g, or null when any part is missing. */
    static Node node(Group g, String path) {
        Node n = g;
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            if (!(n instanceof Group grp)) return null;
            n = grp.getChildren().get(part);
            if (n == null) return null;
        }
        return n;
    }

    static Group group(Group g, String path) {
        return node(g, path) instanceof Group gr ? gr : null;
    }

    static Dataset dataset(Group g, String path) {
        return node(g, path) instanceof Dataset d ? d : null;
    }

    /** A string attribute (also from a one-element string or byte array), or null. */
    static String attrString(Node n, String name) {
        Attribute a = n.getAttributes().get(name);
        if (a == null) return null;
        Object v = a.getData();
        if (v instanceof String s) return s;
        if (v instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (v != null && v.getClass().isArray() && Array.getLength(v) == 1) {
            Object e = Array.get(v, 0);
            return e == null ? null : e.toString();
        }
        return v == null ? null : v.toString();
    }

    /** A string-array attribute (e.g. column-order), or an empty array. */
    static String[] attrStrings(Node n, String name) {
        Attribute a = n.getAttributes().get(name);
        if (a == null || a.isEmpty()) return new String[0];
        Object v = a.getData();
        if (v instanceof String s) return new String[] {s};
        if (v instanceof String[] s) return s;
        if (v != null && v.getClass().isArray()) {
            String[] out = new String[Array.getLength(v)];
            for (int i = 0; i < out.length; i++) out[i] = String.valueOf(Array.get(v, i));
            return out;
        }
        return new String[0];
    }

    static long[] attrLongs(Node n, String name) {
        Attribute a = n.getAttributes().get(name);
        if (a == null) return null;
        return toLongs(a.getData());
    }

    /** Whole 1-D string dataset (fixed or variable length). */
    static String[] strings(Dataset d) {
        String[] fast = VlenStrings.read(d);
        if (fast != null) return fast;
        Object v = d.getData();
        if (v instanceof String[] s) return s;
        if (v instanceof String s) return new String[] {s};
        throw new IllegalStateException(
                d.getPath() + " is not a string array but " + v.getClass().getSimpleName());
    }

    /** Reads entries [offset, offset+len) of a 1-D numeric dataset. */
    static Object slice(Dataset d, long offset, int len) {
        return d.getData(new long[] {offset}, new int[] {len});
    }

    static double[] toDoubles(Object v) {
        if (v instanceof double[] a) return a;
        int n = Array.getLength(v);
        double[] out = new double[n];
        switch (v) {
            case float[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case int[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case long[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case short[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case byte[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case boolean[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i] ? 1 : 0;
            }
            default -> {
                for (int i = 0; i < n; i++) out[i] = ((Number) Array.get(v, i)).doubleValue();
            }
        }
        return out;
    }

    static float[] toFloats(Object v) {
        if (v instanceof float[] a) return a;
        int n = Array.getLength(v);
        float[] out = new float[n];
        switch (v) {
            case double[] a -> {
                for (int i = 0; i < n; i++) out[i] = (float) a[i];
            }
            case int[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case long[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case short[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case byte[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            default -> {
                for (int i = 0; i < n; i++) out[i] = ((Number) Array.get(v, i)).floatValue();
            }
        }
        return out;
    }

    static long[] toLongs(Object v) {
        if (v instanceof long[] a) return a;
        if (v instanceof Number num) return new long[] {num.longValue()};
        int n = Array.getLength(v);
        long[] out = new long[n];
        switch (v) { // typed loops: a reflective Array.get boxes every element
            case int[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case short[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case byte[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            default -> {
                for (int i = 0; i < n; i++) out[i] = ((Number) Array.get(v, i)).longValue();
            }
        }
        return out;
    }

    static int[] toInts(Object v) {
        if (v instanceof int[] a) return a;
        int n = Array.getLength(v);
        int[] out = new int[n];
        switch (v) {
            case long[] a -> {
                for (int i = 0; i < n; i++) out[i] = Math.toIntExact(a[i]);
            }
            case short[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            case byte[] a -> {
                for (int i = 0; i < n; i++) out[i] = a[i];
            }
            default -> {
                for (int i = 0; i < n; i++) out[i] = ((Number) Array.get(v, i)).intValue();
            }
        }
        return out;
    }
}
