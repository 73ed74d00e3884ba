package org.scxm.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * AnnData obs/var dataframes as Tablesaw tables, in the three encodings found in the wild:
 * the current one (a group with _index and column-order attributes, categoricals as codes +
 * categories groups), the 0.7 one (codes datasets with categories under __categories/), and the
 * legacy one (a compound dataset, categories under uns/NAME_categories).
 */
final class Frames {
    private Frames() {}

    /** A dataframe: its index (cell ids or gene labels) and its other columns. */
    record Frame(String[] index, Table table) {}

    /**
     * Starts Tablesaw's one-time class initialisation (it scans the whole class path for readers and writers,
     * about a second in a fresh JVM) on a daemon thread, so that it runs while a reader decodes the matrix; a
     * thread that uses Table meanwhile waits for it as for any class initialisation.
     */
    static void warmUp() {
        if (WARM.compareAndSet(false, true))
            Thread.ofPlatform().daemon().name("scxm-tablesaw-init").start(() -> Table.create("obs"));
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARM =
            new java.util.concurrent.atomic.AtomicBoolean();

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
        Table t = Table.create(name);
        for (String col : order) {
            Node c = g.getChildren().get(col);
            if (c == null) continue;
            Column<?> column = null;
            if (c instanceof Group cg) {
                String enc = H5.attrString(cg, "encoding-type");
                if ("categorical".equals(enc))
                    column = categorical(
                            col,
                            H5.toLongs(H5.dataset(cg, "codes").getData()),
                            H5.strings(H5.dataset(cg, "categories")));
                else if (enc != null && enc.startsWith("nullable-")) column = nullable(col, cg);
            } else if (c instanceof Dataset d) {
                Dataset cats = oldCategories == null ? null : H5.dataset(oldCategories, col);
                if (cats != null) column = categorical(col, H5.toLongs(d.getData()), H5.strings(cats));
                else column = plain(col, d.getData());
            }
            if (column != null && column.size() == index.length) t.addColumns(column);
        }
        return new Frame(index, t);
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
        Table t = Table.create(name);
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Dataset cats = uns == null ? null : H5.dataset(uns, e.getKey() + "_categories");
            Column<?> c = cats != null
                    ? categorical(e.getKey(), H5.toLongs(e.getValue()), H5.strings(cats))
                    : plain(e.getKey(), e.getValue());
            if (c != null && c.size() == index.length) t.addColumns(c);
        }
        return new Frame(index, t);
    }

    static Column<?> categorical(String name, long[] codes, String[] categories) {
        StringColumn c = StringColumn.create(name);
        for (long code : codes) {
            if (code < 0 || code >= categories.length) c.appendMissing();
            else c.append(categories[(int) code]);
        }
        return c;
    }

    private static Column<?> nullable(String name, Group g) {
        Object values = H5.dataset(g, "values").getData();
        Dataset maskSet = H5.dataset(g, "mask");
        boolean[] mask = maskSet == null ? null : toBooleans(maskSet.getData());
        if ("nullable-boolean".equals(H5.attrString(g, "encoding-type"))) {
            boolean[] v = toBooleans(values);
            BooleanColumn c = BooleanColumn.create(name);
            for (int i = 0; i < v.length; i++)
                if (mask != null && mask[i]) c.appendMissing();
                else c.append(v[i]);
            return c;
        }
        double[] v = H5.toDoubles(values);
        if (mask != null) for (int i = 0; i < v.length; i++) if (mask[i]) v[i] = Double.NaN;
        return DoubleColumn.create(name, v);
    }

    /** A column from a plain 1-D array; null for shapes a table cannot hold (e.g. 2-D). */
    static Column<?> plain(String name, Object v) {
        return switch (v) {
            case double[] a -> DoubleColumn.create(name, a);
            case float[] a -> DoubleColumn.create(name, H5.toDoubles(a));
            case long[] a -> LongColumn.create(name, a);
            case int[] a -> IntColumn.create(name, a);
            case short[] a -> IntColumn.create(name, H5.toInts(a));
            case byte[] a -> IntColumn.create(name, H5.toInts(a));
            case boolean[] a -> BooleanColumn.create(name, a);
            case String[] a when isBooleanEnum(a) -> BooleanColumn.create(name, toBooleans(a));
            case String[] a -> {
                StringColumn c = StringColumn.create(name);
                for (String s : a) {
                    if (s == null) c.appendMissing();
                    else c.append(s);
                }
                yield c;
            }
            default -> null;
        };
    }

    private static boolean isBooleanEnum(String[] a) {
        for (String s : a) if (!"TRUE".equals(s) && !"FALSE".equals(s)) return false;
        return a.length > 0;
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
