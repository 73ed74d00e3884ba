package org.scxm.zeppelin;

import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Tablesaw tables as tab-separated text (Zeppelin's %table body and the runner's TSV files). */
public final class Render {
    private Render() {}

    /** Header line plus one line per row; tabs and newlines inside cells become spaces. */
    public static String tsv(Table t) {
        return tsv(t, Integer.MAX_VALUE);
    }

    /** As {@link #tsv(Table)}, the first maxRows rows only (Zeppelin's %table cap). */
    public static String tsv(Table t, int maxRows) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < t.columnCount(); c++)
            sb.append(c == 0 ? "" : "\t").append(clean(t.column(c).name()));
        sb.append('\n');
        for (int r = 0, n = Math.min(t.rowCount(), Math.max(0, maxRows)); r < n; r++) {
            for (int c = 0; c < t.columnCount(); c++)
                sb.append(c == 0 ? "" : "\t").append(cell(t.column(c), r));
            sb.append('\n');
        }
        return sb.toString();
    }

    static String cell(Column<?> col, int r) {
        if (col.isMissing(r)) return "";
        if (col.type() == ColumnType.DOUBLE || col.type() == ColumnType.FLOAT) {
            double v = ((Number) col.get(r)).doubleValue();
            if (Double.isNaN(v)) return "NaN";
            if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
            return String.format(Locale.ROOT, "%.6g", v)
                    .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
                    .replace(".e", "e")
                    .replaceAll("\\.$", "");
        }
        return clean(col.getString(r));
    }

    static String clean(String s) {
        return s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }
}
