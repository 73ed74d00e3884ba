package org.scxm.analysis;

import org.scxm.ScxmException;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Niche calls (paper 5.2, Figure 4e): within one cell type, cells whose (predicted or true) spatially
 * bulked expression of a gene reaches the threshold are "clustered", the others "isolated". Cells of
 * other types get no group (null).
 */
public final class Niches {
    private Niches() {}

    public static final String CLUSTERED = "clustered", ISOLATED = "isolated";

    public record Result(String[] groups, Table counts) {}

    public static Result call(float[] bulked, String[] cellTypes, String type, double threshold) {
        if (bulked.length != cellTypes.length)
            throw new IllegalArgumentException("values and cell types differ in length");
        if (!(threshold >= 0 && threshold <= 1))
            throw new ScxmException(
                    "threshold must lie in [0, 1] (bulked expression is a fraction), got " + threshold + ".");
        String[] groups = new String[bulked.length];
        int clustered = 0, isolated = 0;
        for (int i = 0; i < bulked.length; i++) {
            if (!type.equals(cellTypes[i])) continue;
            if (bulked[i] >= threshold) {
                groups[i] = CLUSTERED;
                clustered++;
            } else {
                groups[i] = ISOLATED;
                isolated++;
            }
        }
        if (clustered + isolated == 0) {
            java.util.Set<String> known = new java.util.TreeSet<>();
            for (String t : cellTypes) if (t != null) known.add(t);
            throw new ScxmException("no cell has type '" + type + "'; known types: " + String.join(", ", known) + ".");
        }
        Table t = Table.create(
                "niche groups of " + type,
                StringColumn.create("group", new String[] {CLUSTERED, ISOLATED}),
                IntColumn.create("cells", clustered, isolated));
        return new Result(groups, t);
    }
}
