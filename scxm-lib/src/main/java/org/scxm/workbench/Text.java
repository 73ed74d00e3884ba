package org.scxm.workbench;

import java.util.Arrays;
import java.util.Locale;
import org.scxm.model.TrainConfig;

/** How the workbench writes numbers, settings and gene lists in its sentences. */
public final class Text {
    private Text() {}

    /** A run's settings as the `train` words that reproduce them. */
    public static String settingsOf(TrainConfig c, int steps) {
        return String.format(
                Locale.ROOT,
                "steps=%d batch=%d lr=%s critic=%d lambda_gp=%s lambda_st=%s lambda_sc=%s lambda_adv=%s lambda_pair=%s ema=%s warmup=%d seed=%d",
                steps,
                c.batch(),
                plain(c.lr()),
                c.criticSteps(),
                plain(c.lambdaGp()),
                plain(c.lambdaSt()),
                plain(c.lambdaSc()),
                plain(c.lambdaAdv()),
                plain(c.lambdaPair()),
                plain(c.ema()),
                c.decoderWarmup(),
                c.seed());
    }

    /** A number without trailing zeros or an exponent (25, 0.999). */
    public static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The first three genes, then "..." when there are more. */
    public static String preview(String[] genes) {
        return String.join(", ", Arrays.copyOf(genes, Math.min(3, genes.length))) + (genes.length > 3 ? ", ..." : "");
    }
}
