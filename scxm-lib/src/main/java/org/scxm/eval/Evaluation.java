package org.scxm.eval;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Per-gene evaluation on the validation slide (paper 5.1): correlation, across cells, between a
 * method's predicted bulked expression and the slide's own bulked binarised panel. Two reference
 * predictors make the numbers meaningful: the cell's own binarised expression (no spatial context at
 * all) and the cell-type mean of the target (context known only through the cell type).
 */
public final class Evaluation {
    private Evaluation() {}

    /** Pearson and Spearman per gene (rows = genes). */
    public static Table perGene(String method, DenseMatrix prediction, DenseMatrix truth, String[] genes) {
        if (prediction.rows() != truth.rows() || prediction.cols() != truth.cols())
            throw new ScxmException("the " + method + " prediction is " + prediction.rows() + " x " + prediction.cols()
                    + " but the truth is " + truth.rows() + " x " + truth.cols()
                    + " (cells x genes); predict and bulk the same slide on the same panel.");
        if (genes.length != truth.cols())
            throw new ScxmException("evaluation got " + genes.length + " gene names for a panel of " + truth.cols()
                    + " genes; pass the panel the targets were bulked on.");
        StringColumn m = StringColumn.create("method"), g = StringColumn.create("gene");
        DoubleColumn p = DoubleColumn.create("pearson"),
                s = DoubleColumn.create("spearman"),
                sd = DoubleColumn.create("sd_ratio");
        java.util.stream.IntStream.range(0, genes.length)
                .parallel()
                .mapToObj(j -> {
                    float[] a = prediction.column(j), b = truth.column(j);
                    double sb = sd(b);
                    return new double[] {
                        j, Correlation.pearson(a, b), Correlation.spearman(a, b), sb > 0 ? sd(a) / sb : Double.NaN
                    };
                })
                .toList()
                .forEach(r -> {
                    m.append(method);
                    g.append(genes[(int) r[0]]);
                    p.append(r[1]);
                    s.append(r[2]);
                    sd.append(r[3]);
                });
        return Table.create("per-gene correlation", m, g, p, s, sd);
    }

    /** Population standard deviation. */
    public static double sd(float[] v) {
        double mean = 0;
        for (float x : v) mean += x;
        mean /= Math.max(1, v.length);
        double ss = 0;
        for (float x : v) ss += (x - mean) * (x - mean);
        return Math.sqrt(ss / Math.max(1, v.length));
    }

    /**
     * A prediction whose per-gene spread (SD across cells) is, at the median gene, below this fraction of
     * the target's has collapsed to a near-constant value per gene: its correlations are noise. A trained
     * demo model sits near 0.3-1; a 4-step model near 0.001.
     */
    public static final double COLLAPSED_SPREAD = 0.05;

    /** Methods of a summary whose prediction collapsed (spread below {@link #COLLAPSED_SPREAD}), with one sentence each. */
    public static java.util.List<String> collapseWarnings(Table summary) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!summary.containsColumn("spread")) return out;
        for (int r = 0; r < summary.rowCount(); r++) {
            double spread = summary.doubleColumn("spread").getDouble(r);
            if (spread < COLLAPSED_SPREAD)
                out.add(String.format(
                        java.util.Locale.ROOT,
                        "%s's prediction has collapsed: at the median gene its spread across cells is %.2g of the target's "
                                + "(a near-constant value per gene), so its correlations are noise, not signal; train longer or check the run's losses.",
                        summary.stringColumn("method").get(r),
                        spread));
        }
        return out;
    }

    /**
     * Default Moran's I of the slide's binarised panel at or above which a gene counts as spatially structured
     * (on the demo tissue, 22 of 60 panel genes; the niche programme genes reach 0.1-0.23).
     * Below it a gene's bulked target is mostly the cell itself plus unstructured noise (the kernel has a
     * self loop), so the cell's own binarised expression wins there by construction and no model that
     * predicts context can do better; the median over structured genes is the comparison that tells.
     */
    public static final double SPATIAL_MORANS_I = 0.05;

    /** Adds each gene's Moran's I (by gene name) to a per-gene table as column morans_i. */
    public static Table withSpatialSignal(Table perGene, Map<String, Double> moransI) {
        Table t = perGene.copy();
        DoubleColumn c = DoubleColumn.create("morans_i");
        for (int r = 0; r < t.rowCount(); r++)
            c.append(moransI.getOrDefault(t.stringColumn("gene").get(r), Double.NaN));
        t.addColumns(c);
        return t;
    }

    /**
     * Median, quartiles and best gene of each method's Pearson, NaN genes (constant truth or prediction)
     * skipped; a method with no defined correlation at all keeps its row, with NaN and 0 genes. With a
     * morans_i column ({@link #withSpatialSignal}), also the median over spatially structured genes
     * (Moran's I ≥ {@link #SPATIAL_MORANS_I}) and their number.
     */
    public static Table summary(Table perGene) {
        return summary(perGene, SPATIAL_MORANS_I);
    }

    /** As {@link #summary(Table)} with another Moran's I threshold for the spatially structured genes. */
    public static Table summary(Table perGene, double spatialMoransI) {
        Table t = summaryOf(perGene);
        if (!perGene.containsColumn("morans_i")) return t;
        Table spatial = perGene.where(perGene.doubleColumn("morans_i").isGreaterThanOrEqualTo(spatialMoransI));
        Table s = summaryOf(spatial);
        DoubleColumn med = DoubleColumn.create("median_spatial"), n = DoubleColumn.create("spatial_genes");
        for (int r = 0; r < t.rowCount(); r++) {
            int k = s.stringColumn("method").indexOf(t.stringColumn("method").get(r));
            med.append(k < 0 ? Double.NaN : s.doubleColumn("median_pearson").getDouble(k));
            n.append(k < 0 ? 0 : s.doubleColumn("genes").getDouble(k));
        }
        t.addColumns(med, n);
        return t;
    }

    private static Table summaryOf(Table perGene) {
        Map<String, java.util.List<double[]>> by = new LinkedHashMap<>();
        Map<String, String> best = new HashMap<>();
        Map<String, Double> bestR = new HashMap<>();
        for (int r = 0; r < perGene.rowCount(); r++) {
            String method = perGene.stringColumn("method").get(r);
            double v = perGene.doubleColumn("pearson").getDouble(r);
            java.util.List<double[]> values = by.computeIfAbsent(method, k -> new java.util.ArrayList<>());
            if (Double.isNaN(v)) continue;
            values.add(new double[] {v});
            if (v > bestR.getOrDefault(method, Double.NEGATIVE_INFINITY)) {
                bestR.put(method, v);
                best.put(method, perGene.stringColumn("gene").get(r));
            }
        }
        StringColumn m = StringColumn.create("method"), bg = StringColumn.create("best_gene");
        DoubleColumn med = DoubleColumn.create("median_pearson"),
                q1 = DoubleColumn.create("q1"),
                q3 = DoubleColumn.create("q3"),
                br = DoubleColumn.create("best_pearson"),
                genes = DoubleColumn.create("genes");
        by.forEach((k, list) -> {
            double[] v = list.stream().mapToDouble(a -> a[0]).sorted().toArray();
            m.append(k);
            med.append(quantile(v, 0.5));
            q1.append(quantile(v, 0.25));
            q3.append(quantile(v, 0.75));
            bg.append(best.getOrDefault(k, ""));
            br.append(bestR.getOrDefault(k, Double.NaN));
            genes.append(v.length);
        });
        Table t = Table.create("evaluation summary", m, med, q1, q3, bg, br, genes);
        if (perGene.containsColumn("sd_ratio")) {
            DoubleColumn spread = DoubleColumn.create("spread");
            StringColumn collapsed = StringColumn.create("collapsed");
            for (String k : by.keySet()) {
                var rows = perGene.where(perGene.stringColumn("method").isEqualTo(k));
                double[] v = java.util.Arrays.stream(
                                rows.doubleColumn("sd_ratio").asDoubleArray())
                        .filter(Double::isFinite)
                        .sorted()
                        .toArray();
                double sp = v.length == 0 ? Double.NaN : quantile(v, 0.5);
                spread.append(sp);
                collapsed.append(sp < COLLAPSED_SPREAD ? "yes" : "no");
            }
            t.addColumns(spread, collapsed);
        }
        return t;
    }

    /**
     * One sentence placing a method's median Pearson among the references in a summary, e.g. "scxm: median
     * Pearson 0.365, above cell-type mean (0.330), below own binarised (0.468)". Null if the method is absent.
     */
    public static String reading(Table summary, String method, java.util.List<String> references) {
        return reading(summary, "median_pearson", "median Pearson", method, references);
    }

    /** As {@link #reading(Table, String, java.util.List)} on another column, e.g. median_spatial, named {@code label}. */
    public static String reading(
            Table summary, String column, String label, String method, java.util.List<String> references) {
        int row = summary.stringColumn("method").indexOf(method);
        if (row < 0) return null;
        double v = summary.doubleColumn(column).getDouble(row);
        java.util.List<String> above = new java.util.ArrayList<>(), below = new java.util.ArrayList<>();
        for (String ref : references) {
            int r = summary.stringColumn("method").indexOf(ref);
            if (r < 0) continue;
            double rv = summary.doubleColumn(column).getDouble(r);
            if (Double.isNaN(rv) || Double.isNaN(v)) continue;
            (v > rv ? above : below).add(String.format(java.util.Locale.ROOT, "%s (%.3f)", ref, rv));
        }
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%s: %s %.3f", method, label, v));
        if (!above.isEmpty()) b.append(", above ").append(String.join(" and ", above));
        if (!below.isEmpty()) b.append(", below ").append(String.join(" and ", below));
        return b.toString();
    }

    /** The {@code n} genes a method predicts best (highest Pearson first; undefined correlations left out). */
    public static Table bestGenes(Table perGene, String method, int n) {
        Table t = perGene.where(perGene.stringColumn("method")
                        .isEqualTo(method)
                        .and(perGene.doubleColumn("pearson").isNotMissing()))
                .sortDescendingOn("pearson");
        t = t.first(Math.min(n, t.rowCount()));
        t.setName("best " + t.rowCount() + " genes of " + method);
        return t;
    }

    /** Linear-interpolated quantile of sorted values (numpy's default). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The cell-type mean predictor: each cell gets the mean target of its type, learned on a labelled
     * slide (typically the training spatial slide) and applied by label; unseen types get the overall mean.
     */
    public static DenseMatrix cellTypeMean(DenseMatrix trainTarget, String[] trainTypes, String[] applyTypes) {
        int p = trainTarget.cols();
        Map<String, double[]> sums = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        double[] overall = new double[p];
        for (int i = 0; i < trainTarget.rows(); i++) {
            double[] s = sums.computeIfAbsent(trainTypes[i], k -> new double[p]);
            for (int j = 0; j < p; j++) {
                s[j] += trainTarget.get(i, j);
                overall[j] += trainTarget.get(i, j);
            }
            counts.merge(trainTypes[i], 1, Integer::sum);
        }
        DenseMatrix out = new DenseMatrix(applyTypes.length, p);
        for (int i = 0; i < applyTypes.length; i++) {
            double[] s = sums.get(applyTypes[i]);
            double n = s == null ? trainTarget.rows() : counts.get(applyTypes[i]);
            double[] src = s == null ? overall : s;
            for (int j = 0; j < p; j++) out.set(i, j, (float) (src[j] / n));
        }
        return out;
    }

    /** Concatenates per-gene tables of several methods. */
    public static Table combine(Table... perGene) {
        Table t = perGene[0].copy();
        for (int k = 1; k < perGene.length; k++) t.append(perGene[k]);
        return t;
    }
}
