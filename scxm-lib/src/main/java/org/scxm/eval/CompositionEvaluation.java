package org.scxm.eval;

import java.util.Arrays;
import java.util.List;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Evaluation of a predicted neighbourhood composition (cells x cell types, as from
 * {@link org.scxm.spatial.Bulker#composition(String[], String[], org.scxm.spatial.NeighbourGraph,
 * org.scxm.spatial.Kernel)}) against the true one: per type, Pearson and Spearman across cells between predicted
 * and true share (as {@link Evaluation#perGene} does for genes); per cell, the Jensen-Shannon divergence between
 * predicted and true composition. The reference that makes the numbers meaningful is the cell-type mean
 * composition ({@link Evaluation#cellTypeMean} on the training slide's composition): a cell's context known only
 * through its own type.
 */
public final class CompositionEvaluation {
    private CompositionEvaluation() {}

    /** One method's evaluation: per-type table (method, type, pearson, spearman, sd_ratio) and per-cell JSD. */
    public record Result(String method, Table perType, double[] jsd) {
        /** Mean JSD over cells with a defined divergence. */
        public double meanJsd() {
            double[] v = defined(jsd);
            return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
        }

        /** Median JSD over cells with a defined divergence. */
        public double medianJsd() {
            return Evaluation.quantile(defined(jsd), 0.5);
        }
    }

    public static Result evaluate(String method, DenseMatrix prediction, DenseMatrix truth, String[] types) {
        if (types.length != truth.cols())
            throw new ScxmException("the composition has " + truth.cols() + " cell-type columns but " + types.length
                    + " type names were given; pass the training slide's types in the target's column order.");
        Table t = Evaluation.perGene(method, prediction, truth, types);
        t.column("gene").setName("type");
        t.setName("per-type composition correlation");
        return new Result(method, t, jensenShannon(prediction, truth));
    }

    /** The per-type tables of several methods, one under the other. */
    public static Table perType(Result... results) {
        Table t = results[0].perType().copy();
        for (int k = 1; k < results.length; k++) t.append(results[k].perType());
        t.setName("per-type composition correlation");
        return t;
    }

    /**
     * One row per method: median, quartiles and best type of the per-type Pearson (types with an undefined
     * correlation left out), the number of types, the median SD ratio (spread) with the collapse flag of
     * {@link Evaluation#COLLAPSED_SPREAD}, and the mean and median per-cell JSD.
     */
    public static Table summary(Result... results) {
        Table per = perType(results).copy();
        per.column("type").setName("gene"); // Evaluation.summary reads the gene column
        Table s = Evaluation.summary(per);
        s.column("best_gene").setName("best_type");
        s.column("genes").setName("types");
        DoubleColumn mean = DoubleColumn.create("mean_jsd"), med = DoubleColumn.create("median_jsd");
        for (int r = 0; r < s.rowCount(); r++) {
            String m = s.stringColumn("method").get(r);
            Result res = Arrays.stream(results)
                    .filter(x -> x.method().equals(m))
                    .findFirst()
                    .orElseThrow();
            mean.append(res.meanJsd());
            med.append(res.medianJsd());
        }
        s.addColumns(mean, med);
        s.setName("composition evaluation summary");
        return s;
    }

    /** The cell-type mean composition reference, named as the summary shows it. */
    public static final String CELL_TYPE_MEAN = "cell-type mean composition";

    /**
     * The reference prediction: each cell gets the mean composition of its type on the training slide
     * (unseen types: the slide's overall mean).
     */
    public static DenseMatrix cellTypeMean(DenseMatrix trainComposition, String[] trainTypes, String[] applyTypes) {
        return Evaluation.cellTypeMean(trainComposition, trainTypes, applyTypes);
    }

    /** Per-cell JSD of the rows of two cells x types matrices. */
    public static double[] jensenShannon(DenseMatrix prediction, DenseMatrix truth) {
        if (prediction.rows() != truth.rows() || prediction.cols() != truth.cols())
            throw new ScxmException("the predicted composition is " + prediction.rows() + " x " + prediction.cols()
                    + " but the true one is " + truth.rows() + " x " + truth.cols()
                    + " (cells x types); predict and bulk the same slide over the training slide's types.");
        double[] out = new double[truth.rows()];
        java.util.stream.IntStream.range(0, out.length)
                .parallel()
                .forEach(i -> out[i] = jensenShannon(prediction.row(i), truth.row(i)));
        return out;
    }

    /**
     * Jensen-Shannon divergence in bits (base 2), so it lies in [0, 1]: JSD = H(m) - (H(p) + H(q)) / 2 with
     * m = (p + q) / 2, terms with a zero probability counting 0 (0 log 0 = 0). Both rows are first renormalised to
     * sum 1 (a predicted composition need not, nor a true one with unlisted neighbours); negative entries (a
     * linear model's prediction may have some) count as 0. NaN when either row has no positive mass.
     * It is the square of scipy.spatial.distance.jensenshannon(p, q, base=2).
     */
    public static double jensenShannon(float[] p, float[] q) {
        if (p.length != q.length) throw new IllegalArgumentException("rows differ in length");
        double sp = 0, sq = 0;
        for (int j = 0; j < p.length; j++) {
            sp += Math.max(0, p[j]);
            sq += Math.max(0, q[j]);
        }
        if (!(sp > 0) || !(sq > 0) || !Double.isFinite(sp) || !Double.isFinite(sq)) return Double.NaN;
        double d = 0;
        for (int j = 0; j < p.length; j++) {
            double a = Math.max(0, p[j]) / sp, b = Math.max(0, q[j]) / sq, m = (a + b) / 2;
            if (a > 0) d += a * Math.log(a / m);
            if (b > 0) d += b * Math.log(b / m);
        }
        return Math.min(1, Math.max(0, d / 2 / Math.log(2)));
    }

    /** The per-cell JSD values of a method's summary, e.g. for a box plot, as a one-column table per method. */
    public static Table perCell(List<Result> results) {
        StringColumn m = StringColumn.create("method");
        DoubleColumn j = DoubleColumn.create("jsd");
        for (Result r : results)
            for (double v : r.jsd()) {
                m.append(r.method());
                j.append(v);
            }
        return Table.create("per-cell Jensen-Shannon divergence", m, j);
    }

    private static double[] defined(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
    }
}
