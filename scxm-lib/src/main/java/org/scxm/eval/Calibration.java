package org.scxm.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Calibration of predictions on cells without truth (dissociated scRNA-seq cells): per feature (gene of the
 * bulked target, or cell type of a composition target), the distribution of the prediction across cells against
 * the distribution of the spatial training slide's own targets. A prediction on the scale of real neighbourhoods
 * has about the target's mean and spread; one that drifted (a domain shift in the input the model did not
 * absorb) does not, whatever its correlations.
 *
 * <p>The rule: a feature is flagged when any of
 * <ul>
 *   <li>its mean shift |mean(prediction) - mean(target)| exceeds {@link #MAX_SHIFT_SD} = 0.5 target SDs;</li>
 *   <li>its SD ratio sd(prediction) / sd(target) lies outside [{@link #MIN_SD_RATIO}, {@link #MAX_SD_RATIO}]
 *   = [0.5, 2];</li>
 *   <li>its energy distance (scipy.stats.energy_distance: sqrt(2 ∫ (F - G)²)) exceeds both
 *   {@link #NOISE_FACTOR} = 3 times what two samples of these sizes drawn from the target itself give (measured
 *   on a random split of the target into halves, rescaled by sqrt((1/n₁ + 1/n₂) / (4/n))), and
 *   {@link #MAX_ENERGY_SD} = 0.35 target SDs (about what a shift of half an SD gives between two normals), so a
 *   difference of shape the mean and SD miss is caught, but not a tiny one that only many cells make
 *   significant.</li>
 * </ul>
 * A constant target (SD 0) is compared on its mean alone and flagged when the prediction's mean differs by more
 * than 0.05 (bulked values and shares are fractions).
 */
public final class Calibration {
    private Calibration() {}

    public static final double MAX_SHIFT_SD = 0.5,
            MIN_SD_RATIO = 0.5,
            MAX_SD_RATIO = 2,
            NOISE_FACTOR = 3,
            MAX_ENERGY_SD = 0.35;

    /**
     * The per-feature table: dataset, feature, mean_prediction, mean_target, sd_ratio, shift_sd (signed mean
     * difference in target SDs), energy, energy_null (the target-split value at these sample sizes), auc
     * ({@link #auc}: prediction against target by value alone; informative, not part of the rule), flagged
     * ("yes"/"no") and reason (which rules fired, empty when none).
     *
     * @param dataset    the name of the predicted dataset (e.g. sc, val)
     * @param prediction cells x features predicted on that dataset
     * @param target     cells x features of the spatial training slide's own targets
     * @param features   the feature names (genes or cell types), in column order
     * @param seed       the seed of the target's random split
     */
    public static Table compare(
            String dataset, DenseMatrix prediction, DenseMatrix target, String[] features, long seed) {
        if (prediction.cols() != target.cols() || features.length != target.cols())
            throw new ScxmException("the " + dataset + " prediction has " + prediction.cols()
                    + " columns, the training target " + target.cols() + " and " + features.length
                    + " names were given; compare a prediction with the target it was trained on.");
        if (prediction.rows() < 2 || target.rows() < 4)
            throw new ScxmException("calibration needs at least 2 predicted cells and 4 target cells; got "
                    + prediction.rows() + " and " + target.rows() + ".");
        int n = target.rows(), m = prediction.rows();
        int[] perm = permutation(n, seed);
        int[] halfA = Arrays.copyOf(perm, n / 2), halfB = Arrays.copyOfRange(perm, n / 2, n);
        double rescale = Math.sqrt((1.0 / m + 1.0 / n) / (1.0 / halfA.length + 1.0 / halfB.length));
        double[][] rows = new double[features.length][];
        java.util.stream.IntStream.range(0, features.length).parallel().forEach(j -> {
            float[] p = prediction.column(j), t = target.column(j);
            double mp = mean(p), mt = mean(t), sp = Evaluation.sd(p), st = Evaluation.sd(t);
            double energy = energyDistance(p, t);
            double nul = energyDistance(pick(t, halfA), pick(t, halfB)) * rescale;
            rows[j] = new double[] {
                mp, mt, st > 0 ? sp / st : Double.NaN, st > 0 ? (mp - mt) / st : Double.NaN, energy, nul, st, auc(p, t)
            };
        });
        StringColumn ds = StringColumn.create("dataset"),
                fe = StringColumn.create("feature"),
                flagged = StringColumn.create("flagged"),
                reason = StringColumn.create("reason");
        DoubleColumn meanP = DoubleColumn.create("mean_prediction"),
                meanT = DoubleColumn.create("mean_target"),
                ratio = DoubleColumn.create("sd_ratio"),
                shift = DoubleColumn.create("shift_sd"),
                en = DoubleColumn.create("energy"),
                enNull = DoubleColumn.create("energy_null"),
                auc = DoubleColumn.create("auc");
        for (int j = 0; j < features.length; j++) {
            double[] r = rows[j];
            String why = reason(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
            ds.append(dataset);
            fe.append(features[j]);
            meanP.append(r[0]);
            meanT.append(r[1]);
            ratio.append(r[2]);
            shift.append(r[3]);
            en.append(r[4]);
            enNull.append(r[5]);
            auc.append(r[7]);
            flagged.append(why.isEmpty() ? "no" : "yes");
            reason.append(why);
        }
        return Table.create(
                "calibration of " + dataset + " against the training targets",
                ds,
                fe,
                meanP,
                meanT,
                ratio,
                shift,
                en,
                enNull,
                auc,
                flagged,
                reason);
    }

    /** Which rules a feature breaks, as a short phrase ("" when calibrated). */
    static String reason(double mp, double mt, double ratio, double shiftSd, double energy, double nul, double sdT) {
        java.util.List<String> why = new java.util.ArrayList<>();
        if (!(sdT > 0)) {
            if (Math.abs(mp - mt) > 0.05)
                why.add(String.format(Locale.ROOT, "mean %.3g vs a constant target %.3g", mp, mt));
            return String.join("; ", why);
        }
        if (Math.abs(shiftSd) > MAX_SHIFT_SD) why.add(String.format(Locale.ROOT, "mean shifted by %+.2f SD", shiftSd));
        if (!(ratio >= MIN_SD_RATIO && ratio <= MAX_SD_RATIO))
            why.add(String.format(Locale.ROOT, "SD ratio %.2f", ratio));
        if (energy > NOISE_FACTOR * nul && energy > MAX_ENERGY_SD * sdT)
            why.add(String.format(Locale.ROOT, "energy distance %.3g (%.2f SD)", energy, energy / sdT));
        return String.join("; ", why);
    }

    /**
     * One row per dataset of a (combined) per-feature table: features, flagged, the median SD ratio and the
     * median |shift| in SDs.
     */
    public static Table summary(Table perFeature) {
        StringColumn ds = StringColumn.create("dataset");
        IntColumn nf = IntColumn.create("features"), nflag = IntColumn.create("flagged");
        DoubleColumn ratio = DoubleColumn.create("median_sd_ratio"), shift = DoubleColumn.create("median_abs_shift_sd");
        for (String d : datasets(perFeature)) {
            Table t = perFeature.where(perFeature.stringColumn("dataset").isEqualTo(d));
            ds.append(d);
            nf.append(t.rowCount());
            nflag.append((int) t.stringColumn("flagged").isEqualTo("yes").size());
            ratio.append(
                    Evaluation.quantile(finiteSorted(t.doubleColumn("sd_ratio").asDoubleArray(), false), 0.5));
            shift.append(
                    Evaluation.quantile(finiteSorted(t.doubleColumn("shift_sd").asDoubleArray(), true), 0.5));
        }
        return Table.create("calibration summary", ds, nf, nflag, ratio, shift);
    }

    /** One sentence per dataset with flagged features, naming up to five of them; empty when none is flagged. */
    public static java.util.List<String> warnings(Table perFeature) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String d : datasets(perFeature)) {
            Table t = perFeature.where(perFeature
                    .stringColumn("dataset")
                    .isEqualTo(d)
                    .and(perFeature.stringColumn("flagged").isEqualTo("yes")));
            if (t.rowCount() == 0) continue;
            int total = perFeature
                    .where(perFeature.stringColumn("dataset").isEqualTo(d))
                    .rowCount();
            java.util.List<String> names = new java.util.ArrayList<>();
            for (int r = 0; r < Math.min(5, t.rowCount()); r++)
                names.add(t.stringColumn("feature").get(r) + " ("
                        + t.stringColumn("reason").get(r) + ")");
            out.add(String.format(
                    Locale.ROOT,
                    "%d of %d predicted features on %s are off the training targets' scale, e.g. %s: these predictions "
                            + "are not on the scale of real neighbourhoods; read their ranks, not their values.",
                    t.rowCount(),
                    total,
                    d,
                    String.join(", ", names)));
        }
        return out;
    }

    /**
     * The one-feature classifier AUC of telling the first sample from the second by value: P(u > v) + P(u = v) / 2
     * (the Mann-Whitney U over n·m, ties as mid-ranks), as sklearn's roc_auc_score with u labelled 1 gives it. 0.5:
     * indistinguishable by ranks; near 0 or 1: the values alone tell a prediction from a target.
     */
    public static double auc(float[] u, float[] v) {
        if (u.length == 0 || v.length == 0) return Double.NaN;
        float[] all = new float[u.length + v.length];
        System.arraycopy(u, 0, all, 0, u.length);
        System.arraycopy(v, 0, all, u.length, v.length);
        float[] r = Correlation.ranks(all);
        double sum = 0;
        for (int i = 0; i < u.length; i++) sum += r[i];
        return (sum - u.length * (u.length + 1.0) / 2) / ((double) u.length * v.length);
    }

    /**
     * The energy distance between two one-dimensional samples as scipy.stats.energy_distance gives it:
     * sqrt(2 ∫ (F(x) - G(x))² dx) with F and G the empirical CDFs. O((n + m) log(n + m)).
     */
    public static double energyDistance(float[] u, float[] v) {
        if (u.length == 0 || v.length == 0) return Double.NaN;
        float[] a = u.clone(), b = v.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0, j = 0;
        double integral = 0, prev = Math.min(a[0], b[0]);
        while (i < a.length || j < b.length) {
            double x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            double f = (double) i / a.length - (double) j / b.length; // CDF difference on [prev, x)
            integral += f * f * (x - prev);
            while (i < a.length && a[i] == x) i++;
            while (j < b.length && b[j] == x) j++;
            prev = x;
        }
        return Math.sqrt(2 * integral);
    }

    /** The datasets of a table in order of first appearance. */
    private static java.util.List<String> datasets(Table perFeature) {
        return new java.util.ArrayList<>(
                new java.util.LinkedHashSet<>(perFeature.stringColumn("dataset").asList()));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return s / v.length;
    }

    private static float[] pick(float[] v, int[] idx) {
        float[] out = new float[idx.length];
        for (int k = 0; k < idx.length; k++) out[k] = v[idx[k]];
        return out;
    }

    private static int[] permutation(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int k = r.nextInt(i + 1), t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }

    private static double[] finiteSorted(double[] v, boolean abs) {
        return Arrays.stream(v)
                .filter(Double::isFinite)
                .map(x -> abs ? Math.abs(x) : x)
                .sorted()
                .toArray();
    }
}
