package org.scxm.data;

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
 * A per-cell table (obs) that becomes a Tablesaw table only when first asked for. Tablesaw's first use in a JVM scans
 * every jar on the class path for its readers and writers (about 2 CPU-seconds with the launcher's class path), which
 * loading a file need not pay: a reader keeps the decoded columns as plain arrays, and names, row count, string
 * columns (cell types) and row subsets are served from them.
 *
 * <p>Raw columns are one of {@code String[]} (null = missing), {@code double[]} (NaN = missing), {@code long[]},
 * {@code int[]}, {@code boolean[]} or {@code Boolean[]} (null = missing), each one value per row.
 */
public final class LazyTable {
    private final String name;
    private final int rows;
    private final Map<String, Object> raw; // null once built from (or given as) a table
    private Table table;

    private LazyTable(String name, int rows, Map<String, Object> raw, Table table) {
        this.name = name;
        this.rows = rows;
        this.raw = raw;
        this.table = table;
    }

    /** A table that exists already. */
    public static LazyTable of(Table table) {
        return table == null ? null : new LazyTable(table.name(), table.rowCount(), null, table);
    }

    /** Decoded columns (in order), each an array of {@code rows} values; columns of another length are dropped. */
    public static LazyTable of(String name, int rows, Map<String, Object> columns) {
        Map<String, Object> kept = new LinkedHashMap<>();
        columns.forEach((k, v) -> {
            if (supported(v) && java.lang.reflect.Array.getLength(v) == rows) kept.put(k, v);
        });
        return new LazyTable(name, rows, kept, null);
    }

    /** No columns. */
    public static LazyTable empty(String name) {
        return new LazyTable(name, 0, Map.of(), null);
    }

    public String name() {
        return name;
    }

    /** Rows; 0 for a table without columns. */
    public int rowCount() {
        return columnCount() == 0 ? 0 : rows;
    }

    public synchronized int columnCount() {
        return table != null ? table.columnCount() : raw.size();
    }

    public synchronized List<String> columnNames() {
        return table != null ? table.columnNames() : new ArrayList<>(raw.keySet());
    }

    public boolean containsColumn(String column) {
        return columnNames().contains(column);
    }

    /** One column's values as text (missing = null), or null when there is no such column. */
    public synchronized String[] strings(String column) {
        if (table == null && raw.get(column) instanceof String[] s) return s.clone();
        if (!containsColumn(column)) return null;
        Column<?> c = table().column(column);
        String[] out = new String[c.size()];
        for (int i = 0; i < out.length; i++) out[i] = c.isMissing(i) ? null : c.getString(i);
        return out;
    }

    /** The Tablesaw table, built on the first call. */
    public synchronized Table table() {
        if (table == null) {
            Table t = Table.create(name);
            raw.forEach((k, v) -> {
                Column<?> c = column(k, v);
                if (c != null) t.addColumns(c);
            });
            table = t;
        }
        return table;
    }

    /** The given rows in the given order (a row may repeat), still unbuilt if this one is. */
    public synchronized LazyTable rows(int[] picks) {
        if (columnCount() == 0) return this;
        if (table != null)
            // Column.subset keeps the given order (Table.rows would sort the rows by index).
            return of(Table.create(table.name(), table.columns().stream().<Column<?>>map(c -> c.subset(picks))));
        Map<String, Object> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, pick(v, picks)));
        return new LazyTable(name, picks.length, out, null);
    }

    /** The picked entries of one raw array, copied by its own type (a reflective copy boxes every value). */
    private static Object pick(Object v, int[] picks) {
        int n = picks.length;
        switch (v) {
            case double[] a -> {
                double[] o = new double[n];
                for (int i = 0; i < n; i++) o[i] = a[picks[i]];
                return o;
            }
            case long[] a -> {
                long[] o = new long[n];
                for (int i = 0; i < n; i++) o[i] = a[picks[i]];
                return o;
            }
            case int[] a -> {
                int[] o = new int[n];
                for (int i = 0; i < n; i++) o[i] = a[picks[i]];
                return o;
            }
            case boolean[] a -> {
                boolean[] o = new boolean[n];
                for (int i = 0; i < n; i++) o[i] = a[picks[i]];
                return o;
            }
            case Object[] a -> { // String[], Boolean[]
                Object[] o = (Object[])
                        java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), n);
                for (int i = 0; i < n; i++) o[i] = a[picks[i]];
                return o;
            }
            default -> throw new IllegalStateException("unexpected column array " + v.getClass());
        }
    }

    /** A Tablesaw column from one raw array. */
    private static Column<?> column(String name, Object v) {
        if (v instanceof String[] a && isBooleanEnum(a)) return BooleanColumn.create(name, trueFalse(a));
        return switch (v) {
            case double[] a -> DoubleColumn.create(name, a);
            case long[] a -> LongColumn.create(name, a);
            case int[] a -> IntColumn.create(name, a);
            case boolean[] a -> BooleanColumn.create(name, a);
            case Boolean[] a -> {
                BooleanColumn c = BooleanColumn.create(name);
                for (Boolean b : a) {
                    if (b == null) c.appendMissing();
                    else c.append(b);
                }
                yield c;
            }
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

    private static boolean supported(Object v) {
        return v instanceof double[]
                || v instanceof long[]
                || v instanceof int[]
                || v instanceof boolean[]
                || v instanceof Boolean[]
                || v instanceof String[];
    }

    private static boolean[] trueFalse(String[] a) {
        boolean[] b = new boolean[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i].equals("TRUE");
        return b;
    }

    /** R writes logical columns as the strings TRUE / FALSE. */
    private static boolean isBooleanEnum(String[] a) {
        for (String s : a) if (!"TRUE".equals(s) && !"FALSE".equals(s)) return false;
        return a.length > 0;
    }
}
