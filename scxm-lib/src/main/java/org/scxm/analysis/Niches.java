package org.scxm.analysis;

import org.scxm.ScxmException;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Niche calls (paper 5.2, Figure 4e): within one cell type, cells whose (predicted or true) spatially
 * bulked expression of a gene reaches the threshold are "clustered", the others "isolated". Cells of
 * other types get no group (null). The composition form ({@link #byComposition}) calls the same groups from the
 * (predicted or true) share of a given cell type in each cell's neighbourhood.
 */
public final class Niches {
    private Niches() {}

    public static final String CLUSTERED = "clustered", ISOLATED = "isolated";

    public record Result(String[] groups, Table counts) {}

    /**
     * Niche calls from a neighbourhood composition: among cells of {@code type}, those whose share of
     * {@code neighbourType} around them (its column of {@code composition}) reaches the threshold are clustered,
     * the others isolated; e.g. B cells with at least 30% B cells around them sit in a lymphoid aggregate.
     *
     * @param composition cells x types, columns named by {@code categories}
     */
    public static Result byComposition(
            org.scxm.data.DenseMatrix composition,
            String[] categories,
            String[] cellTypes,
            String type,
            String neighbourType,
            double threshold) {
        if (categories.length != composition.cols())
            throw new IllegalArgumentException(
                    "the composition has " + composition.cols() + " columns, " + categories.length + " names");
        int col = java.util.Arrays.asList(categories).indexOf(neighbourType);
        if (col < 0)
            throw new ScxmException("composition=" + neighbourType
                    + " is not a cell type of the composition; its types: " + String.join(", ", categories) + ".");
        if (!(threshold >= 0 && threshold <= 1))
            throw new ScxmException(
                    "threshold must lie in [0, 1] (a share of the neighbourhood), got " + threshold + ".");
        Result r = call(composition.column(col), cellTypes, type, threshold);
        r.counts().setName("niche groups of " + type + " by the share of " + neighbourType + " around them");
        return r;
    }

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

    /**
     * How niche calls agree with a known truth (the generator's niche of each cell, on the demo): over the cells
     * that got a group, {@code accuracy} is the share called clustered exactly when their true niche is
     * {@code niche}; {@code chance} is the accuracy expected of calls made at random with the same numbers of
     * clustered and isolated cells (p·q + (1-p)(1-q), p the called and q the true share of the niche);
     * {@code balancedAccuracy} is the mean of the recall of either truth (0.5 by chance).
     */
    public record Agreement(int cells, double accuracy, double chance, double balancedAccuracy) {}

    public static Agreement agreement(String[] groups, String[] trueNiches, String niche) {
        if (groups.length != trueNiches.length)
            throw new IllegalArgumentException("groups and true niches differ in length");
        int n = 0, tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == null) continue;
            n++;
            boolean called = groups[i].equals(CLUSTERED), truth = niche.equals(trueNiches[i]);
            if (called && truth) tp++;
            else if (called) fp++;
            else if (truth) fn++;
            else tn++;
        }
        if (n == 0) return new Agreement(0, Double.NaN, Double.NaN, Double.NaN);
        double p = (tp + fp) / (double) n, q = (tp + fn) / (double) n;
        double recallIn = tp + fn == 0 ? Double.NaN : tp / (double) (tp + fn),
                recallOut = tn + fp == 0 ? Double.NaN : tn / (double) (tn + fp);
        return new Agreement(n, (tp + tn) / (double) n, p * q + (1 - p) * (1 - q), (recallIn + recallOut) / 2);
    }
}
