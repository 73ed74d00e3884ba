package org.scxm.workbench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.scxm.ScxmException;

/**
 * The held-out protocol: a validation slide split by space into a tuning part (for choosing settings)
 * and a test part (for reporting once). Halves along the slide's longer axis at its median, with the
 * cells within one bulking radius of the cut left out of both, so no cell's neighbourhood (its target)
 * reaches into the other part.
 */
public final class HeldOut {
    private HeldOut() {}

    /** none = the whole slide; halves = tuning and test half. */
    public enum Split {
        NONE,
        HALVES;

        public static Split parse(String w) {
            return switch (w.toLowerCase(Locale.ROOT)) {
                case "none", "false", "no" -> NONE;
                case "halves", "true", "yes" -> HALVES;
                default ->
                    throw new ScxmException("split=" + w
                            + " is not none or halves; halves splits the slide into a tuning and a test half.");
            };
        }
    }

    /** Cell indices of the two parts; {@code buffer} cells are in neither. */
    public record Parts(int[] tuning, int[] test, int buffer, String axis, double cut) {}

    /** Splits cells at the median of the longer axis; the half with the smaller coordinates tunes, the other tests. */
    public static Parts halves(double[] x, double[] y, double radius) {
        if (x == null)
            throw new ScxmException(
                    "a spatial held-out split needs coordinates; this dataset has none (use split=none).");
        boolean alongX = span(x) >= span(y);
        double[] c = alongX ? x : y;
        double[] sorted = c.clone();
        Arrays.sort(sorted);
        double cut = sorted[sorted.length / 2];
        int[] tuning =
                IntStream.range(0, c.length).filter(i -> c[i] < cut - radius).toArray();
        int[] test =
                IntStream.range(0, c.length).filter(i -> c[i] > cut + radius).toArray();
        if (tuning.length < 20 || test.length < 20)
            throw new ScxmException("the held-out split leaves " + tuning.length + " tuning and " + test.length
                    + " test cells; the slide is too small for split=halves at radius " + radius + " µm.");
        return new Parts(tuning, test, c.length - tuning.length - test.length, alongX ? "x" : "y", cut);
    }

    private static double span(double[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        return hi - lo;
    }
}
