package org.scxm.eval;

import java.util.Arrays;
import java.util.Locale;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The first supervised transfer an analyst tries without SCXM: a ridge regression fitted on the training spatial
 * slide's own cells, from a cell's panel to that cell's bulked target, then applied to any other cells (a validation
 * slide's, or scRNA cells' panel genes). No scRNA, no pairing across modalities: a yardstick an unpaired method has to
 * beat.
 *
 * <p>Features of a cell, over the panel genes only: the non-zero indicator of each gene and log1p CP10k, where CP10k
 * divides by the cell's total over the panel genes. The same normalisation on every modality, so a scRNA cell (whose
 * whole transcriptome would otherwise dilute its panel) and a spatial cell (which measures only the panel) sit on one
 * scale. Unscaled features, an unpenalised intercept, predictions not clipped to [0, 1].
 *
 * <p>Penalty: chosen on the training slide alone, by leave-stripe-out cross-validation (cells sorted by x cut into
 * stripes of equal count, as {@link PairedRidge}: neighbouring cells share targets, so random folds would flatter
 * small penalties); the penalty whose pooled out-of-stripe predictions have the best median per-gene Pearson wins,
 * and the final model is refitted on every cell of the slide with it.
 */
public final class SpatialSlideRidge {
    /** Penalties tried, relative to the number of training cells. */
    static final double[] RELATIVE_ALPHAS = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10};
    /** Stripes of the penalty's cross-validation. */
    public static final int STRIPES = 5;

    private SpatialSlideRidge() {}

    /**
     * Fits the ridge on the training slide.
     *
     * @param stPanelCounts the training slide's raw counts, cells x panel genes (the panel's order is the target's)
     * @param x             each cell's x coordinate (the cross-validation's stripes run along it)
     * @param stTarget      each cell's bulked target, cells x panel genes
     */
    public static Fitted fit(SparseMatrix stPanelCounts, double[] x, DenseMatrix stTarget) {
        return fit(stPanelCounts, x, stTarget, STRIPES);
    }

    /** As {@link #fit(SparseMatrix, double[], DenseMatrix)} with {@code folds} stripes (at least 3). */
    public static Fitted fit(SparseMatrix stPanelCounts, double[] x, DenseMatrix stTarget, int folds) {
        int n = stPanelCounts.rows();
        if (stTarget.rows() != n || x.length != n)
            throw new ScxmException("the spatial-slide ridge needs counts, coordinates and target for the same " + n
                    + " cells (got " + x.length + " coordinates and " + stTarget.rows() + " target rows).");
        if (folds < 3 || n < PairedRidge.MIN_CELLS_PER_STRIPE * folds)
            throw new ScxmException("the spatial-slide ridge needs at least 3 stripes and "
                    + PairedRidge.MIN_CELLS_PER_STRIPE + " cells per stripe on the training slide (" + n + " cells, "
                    + folds + " stripes).");
        int panel = stPanelCounts.cols();
        PairedRidge.Row[] f = features(stPanelCounts);
        int d = 2 * panel, p = stTarget.cols();
        int[] stripe = PairedRidge.stripes(x, folds);
        PairedRidge.Stats[] per = new PairedRidge.Stats[folds];
        for (int s = 0; s < folds; s++) per[s] = new PairedRidge.Stats(d, p);
        for (int i = 0; i < n; i++) per[stripe[i]].add(f[i], stTarget.row(i));
        PairedRidge.Stats[] train = new PairedRidge.Stats[folds];
        for (int s = 0; s < folds; s++) train[s] = PairedRidge.Stats.sum(per, s, -1);

        DoubleColumn alphas = DoubleColumn.create("relative_penalty"),
                scores = DoubleColumn.create("cv_median_pearson");
        double bestScore = Double.NEGATIVE_INFINITY, bestAlpha = RELATIVE_ALPHAS[0];
        DenseMatrix oof = new DenseMatrix(n, p);
        for (double a : RELATIVE_ALPHAS) {
            PairedRidge.Fit[] fits = new PairedRidge.Fit[folds];
            for (int s = 0; s < folds; s++) fits[s] = train[s].fit(a * train[s].n);
            for (int i = 0; i < n; i++) {
                double[] y = fits[stripe[i]].apply(f[i]);
                for (int j = 0; j < p; j++) oof.set(i, j, (float) y[j]);
            }
            double score = medianPearson(oof, stTarget);
            alphas.append(a);
            scores.append(score);
            if (score > bestScore) { // ties keep the smaller penalty
                bestScore = score;
                bestAlpha = a;
            }
        }
        PairedRidge.Stats all = PairedRidge.Stats.sum(per, -1, -1);
        Table cv = Table.create("spatial-slide ridge: penalty by leave-stripe-out cross-validation", alphas, scores);
        return new Fitted(all.fit(bestAlpha * n), panel, bestAlpha * n, bestAlpha, bestScore, cv);
    }

    /** The ridge fitted on every cell with the given absolute penalty, no cross-validation. */
    static Fitted fitWithPenalty(SparseMatrix stPanelCounts, DenseMatrix stTarget, double penalty) {
        PairedRidge.Row[] f = features(stPanelCounts);
        PairedRidge.Stats all = new PairedRidge.Stats(2 * stPanelCounts.cols(), stTarget.cols());
        for (int i = 0; i < f.length; i++) all.add(f[i], stTarget.row(i));
        return new Fitted(
                all.fit(penalty),
                stPanelCounts.cols(),
                penalty,
                penalty / f.length,
                Double.NaN,
                Table.create("spatial-slide ridge: fixed penalty"));
    }

    /** A ridge fitted on a training slide: its penalty, its cross-validation and its predictions for any cells. */
    public static final class Fitted {
        private final PairedRidge.Fit fit;
        private final int panel;
        private final double penalty, relativePenalty, cvScore;
        private final Table crossValidation;

        private Fitted(
                PairedRidge.Fit fit,
                int panel,
                double penalty,
                double relativePenalty,
                double cvScore,
                Table crossValidation) {
            this.fit = fit;
            this.panel = panel;
            this.penalty = penalty;
            this.relativePenalty = relativePenalty;
            this.cvScore = cvScore;
            this.crossValidation = crossValidation;
        }

        /**
         * Predicted bulked target of cells given their raw counts on the panel genes, in the training panel's order
         * (cells x panel genes; normalised here as the training cells were).
         */
        public DenseMatrix predict(SparseMatrix panelCounts) {
            if (panelCounts.cols() != panel)
                throw new ScxmException("the spatial-slide ridge was fitted on " + panel + " panel genes but got cells"
                        + " with " + panelCounts.cols() + "; pass the evaluated cells' counts on the same panel genes,"
                        + " in the same order.");
            PairedRidge.Row[] f = features(panelCounts);
            int p = fit.b().length;
            DenseMatrix out = new DenseMatrix(f.length, p);
            java.util.stream.IntStream.range(0, f.length).parallel().forEach(i -> {
                double[] y = fit.apply(f[i]);
                for (int j = 0; j < p; j++) out.set(i, j, (float) y[j]);
            });
            return out;
        }

        /** The chosen penalty α (added to the diagonal of the centred X'X). */
        public double penalty() {
            return penalty;
        }

        /** The chosen penalty divided by the number of training cells (the grid's unit). */
        public double relativePenalty() {
            return relativePenalty;
        }

        /** The median per-gene Pearson of the out-of-stripe predictions at the chosen penalty (NaN without CV). */
        public double cvScore() {
            return cvScore;
        }

        /** One row per penalty tried: relative penalty, median per-gene Pearson out of stripe. */
        public Table crossValidation() {
            return crossValidation;
        }

        /** One line for reports, e.g. "penalty 0.001 x 6000 cells (out-of-stripe median Pearson 0.58)". */
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "penalty %.3g x %d cells = %.4g (out-of-stripe median Pearson %.3f)",
                    relativePenalty,
                    Math.round(penalty / relativePenalty),
                    penalty,
                    cvScore);
        }
    }

    /**
     * One cell's features: the panel genes' non-zero indicators (features 0..p-1), then their log1p CP10k over the
     * panel (features p..2p-1), sparse with ascending indices.
     */
    static PairedRidge.Row[] features(SparseMatrix panelCounts) {
        SparseMatrix norm = Normalise.log1pCp10k(panelCounts);
        int p = panelCounts.cols();
        PairedRidge.Row[] rows = new PairedRidge.Row[norm.rows()];
        for (int i = 0; i < rows.length; i++) {
            float[] v = norm.rowValues(i);
            int[] idx = norm.rowIndices(i);
            int m = 0;
            for (int k = norm.rowStart(i); k < norm.rowEnd(i); k++) if (v[k] != 0) m++;
            int[] genes = new int[m];
            double[] logs = new double[m];
            m = 0;
            for (int k = norm.rowStart(i); k < norm.rowEnd(i); k++)
                if (v[k] != 0) {
                    genes[m] = idx[k];
                    logs[m++] = v[k];
                }
            PairedRidge.sortByIndex(genes, logs);
            int[] fi = new int[2 * m];
            double[] fv = new double[2 * m];
            for (int k = 0; k < m; k++) {
                fi[k] = genes[k];
                fv[k] = 1;
                fi[m + k] = p + genes[k];
                fv[m + k] = logs[k];
            }
            rows[i] = new PairedRidge.Row(fi, fv);
        }
        return rows;
    }

    /** Median over genes of the Pearson between a prediction and the truth across cells; NaN genes skipped. */
    static double medianPearson(DenseMatrix pred, DenseMatrix truth) {
        int p = truth.cols();
        double[] rs = new double[p];
        int k = 0;
        for (int j = 0; j < p; j++) {
            double c = Correlation.pearson(pred.column(j), truth.column(j));
            if (!Double.isNaN(c)) rs[k++] = c;
        }
        double[] sorted = Arrays.copyOf(rs, k);
        Arrays.sort(sorted);
        return Evaluation.quantile(sorted, 0.5);
    }
}
