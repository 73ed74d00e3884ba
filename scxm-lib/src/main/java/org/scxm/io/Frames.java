package org.scxm.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.data.LazyTable;

/**
 * AnnData obs/var dataframes as {@link LazyTable}s (plain arrays now, a Tablesaw table when first asked for), in the three encodings found in the wild:
 * the current one (a group with _index and column-order attributes, categoricals as codes +
 * categories groups), the 0.7 one (codes datasets with categories under __categories/), and the
 * legacy one (a compound dataset, categories under uns/NAME_categories).
 */
final class Frames {
    private Frames() {}

    /** A dataframe: its index (cell ids or gene labels) and its other columns. */
    record Frame(String[] index, LazyTable table) {}

    static Frame read(Group root, String path, Group uns) {
        Node n = H5.node(root, path);
        if (n instanceof Group g) return fromGroup(g, path);
        if (n instanceof Dataset d) return fromCompound(d, path, uns);
        return null;
    }

    /** The number of rows of a dataframe from its index's shape (nothing decoded), or -1 when there is none. */
    static int rows(Group root, String path) {
        Node n = H5.node(root, path);
        if (n instanceof Dataset d) return d.getDimensions().length == 0 ? 1 : d.getDimensions()[0];
        if (!(n instanceof Group g)) return -1;
        String indexKey = H5.attrString(g, "_index");
        if (indexKey == null) indexKey = g.getChildren().containsKey("_index") ? "_index" : "index";
        Dataset indexSet = H5.dataset(g, indexKey);
        if (indexSet == null) throw new IllegalStateException(path + " has no index dataset '" + indexKey + "'");
        return indexSet.getDimensions()[0];
    }

    private static Frame fromGroup(Group g, String name) {
        String indexKey = H5.attrString(g, "_index");
        if (indexKey == null) indexKey = g.getChildren().containsKey("_index") ? "_index" : "index";
        Dataset indexSet = H5.dataset(g, indexKey);
        if (indexSet == null) throw new IllegalStateException(name + " has no index dataset '" + indexKey + "'");
        String[] index = H5.strings(indexSet);
        List<String> order = new ArrayList<>(List.of(H5.attrStrings(g, "column-order")));
        if (order.isEmpty()) // older writers: every child except the index and __categories
        for (String k : g.getChildren().keySet()) if (!k.equals(indexKey) && !k.equals("__categories")) order.add(k);
        Group oldCategories = H5.group(g, "__categories");
        Map<String, Object> t = new LinkedHashMap<>();
        for (String col : order) {
            Node c = g.getChildren().get(col);
            if (c == null) continue;
            Object column = null;
            if (c instanceof Group cg) {
                String enc = H5.attrString(cg, "encoding-type");
                if ("categorical".equals(enc))
                    column = categorical(
                            H5.toLongs(H5.dataset(cg, "codes").getData()), H5.strings(H5.dataset(cg, "categories")));
                else if (enc != null && enc.startsWith("nullable-")) column = nullable(cg);
            } else if (c instanceof Dataset d) {
                Dataset cats = oldCategories == null ? null : H5.dataset(oldCategories, col);
                column = cats != null ? categorical(H5.toLongs(d.getData()), H5.strings(cats)) : widened(d.getData());
            }
            if (column != null) t.put(col, column);
        }
        return new Frame(index, LazyTable.of(name, index.length, t));
    }

    @SuppressWarnings("unchecked")
    private static Frame fromCompound(Dataset d, String name, Group uns) {
        Object data = d.getData();
        if (!(data instanceof Map<?, ?> m))
            throw new IllegalStateException(name + " is neither a dataframe group nor a compound dataset");
        Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) m);
        Object idx = fields.containsKey("index") ? fields.remove("index") : fields.remove("_index");
        if (idx == null) throw new IllegalStateException(name + " has no 'index' field");
        String[] index = toStrings(idx);
        Map<String, Object> t = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Dataset cats = uns == null ? null : H5.dataset(uns, e.getKey() + "_categories");
            t.put(
                    e.getKey(),
                    cats != null ? categorical(H5.toLongs(e.getValue()), H5.strings(cats)) : widened(e.getValue()));
        }
        return new Frame(index, LazyTable.of(name, index.length, t));
    }

    /** A plain column as the table holds it: float as double, short and byte as int (the kinds LazyTable holds); others as read. */
    private static Object widened(Object v) {
        return switch (v) {
            case float[] a -> H5.toDoubles(a);
            case short[] a -> H5.toInts(a);
            case byte[] a -> H5.toInts(a);
            default -> v;
        };
    }

    /** A categorical column's values (codes outside the categories, e.g. -1, are missing: null). */
    static String[] categorical(long[] codes, String[] categories) {
        String[] out = new String[codes.length];
        for (int i = 0; i < codes.length; i++)
            if (codes[i] >= 0 && codes[i] < categories.length) out[i] = categories[(int) codes[i]];
        return out;
    }

    /** A nullable column (values + mask): Boolean[] or double[] with the masked entries null / NaN. */
    private static Object nullable(Group g) {
        Object values = H5.dataset(g, "values").getData();
        Dataset maskSet = H5.dataset(g, "mask");
        boolean[] mask = maskSet == null ? null : toBooleans(maskSet.getData());
        if ("nullable-boolean".equals(H5.attrString(g, "encoding-type"))) {
            boolean[] v = toBooleans(values);
            Boolean[] out = new Boolean[v.length];
            for (int i = 0; i < v.length; i++) out[i] = mask != null && mask[i] ? null : v[i];
            return out;
        }
        double[] v = H5.toDoubles(values);
        if (mask != null) for (int i = 0; i < v.length; i++) if (mask[i]) v[i] = Double.NaN;
        return v;
    }

    private static boolean[] toBooleans(Object v) {
        if (v instanceof boolean[] b) return b;
        int n = Array.getLength(v);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            Object e = Array.get(v, i);
            out[i] = e instanceof String s
                    ? s.equalsIgnoreCase("TRUE")
                    : e instanceof Boolean bo ? bo : ((Number) e).doubleValue() != 0;
        }
        return out;
    }

    private static String[] toStrings(Object v) {
        if (v instanceof String[] s) return s;
        int n = Array.getLength(v);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = String.valueOf(Array.get(v, i));
        return out;
    }
}
