package org.scxm.workbench;

import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.model.TrainConfig;

/**
 * Training settings read from {@code key=value} words: the one parser `train` and each row of a `sweep`
 * go through, so a key means the same in both and a bad value gets the same sentence.
 */
public final class TrainWords {
    private TrainWords() {}

    /**
     * {@code base} with every training key the words name (epochs, steps, batch, lr, lr_critic, critic,
     * lambda_gp, lambda_st, lambda_sc, seed, warmup, lambda_adv, lambda_pair, ema); other keys are left for
     * others to read. lr_critic follows a named lr where the base keeps the two rates equal.
     */
    public static TrainConfig read(Map<String, String> words, TrainConfig base) {
        double lr = number(words, "lr", base.lr());
        return new TrainConfig(
                integer(words, "epochs", base.epochs()),
                integer(words, "steps", base.steps()),
                integer(words, "batch", base.batch()),
                lr,
                number(
                        words,
                        "lr_critic",
                        words.containsKey("lr") && base.lrCritic() == base.lr() ? lr : base.lrCritic()),
                integer(words, "critic", base.criticSteps()),
                number(words, "lambda_gp", base.lambdaGp()),
                number(words, "lambda_st", base.lambdaSt()),
                number(words, "lambda_sc", base.lambdaSc()),
                longValue(words, "seed", base.seed()),
                integer(words, "warmup", base.decoderWarmup()),
                number(words, "lambda_adv", base.lambdaAdv()),
                number(words, "lambda_pair", base.lambdaPair()),
                number(words, "ema", base.ema()));
    }

    public static int integer(Map<String, String> words, String key, int fallback) {
        String v = words.get(key);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            if (v.strip().matches("[+-]?[0-9]+")) // a whole number, only past what an int holds
            throw new ScxmException(key + "=" + v + " is far too " + (v.strip().startsWith("-") ? "small" : "large")
                    + " (a whole number here is at most " + Integer.MAX_VALUE + " in size); write e.g. " + key + "="
                    + fallback + ".");
            throw new ScxmException(key + "=" + v + " is not a whole number; write e.g. " + key + "=" + fallback + ".");
        }
    }

    public static long longValue(Map<String, String> words, String key, long fallback) {
        return parsed(words, key, fallback, Long::parseLong, "a whole number");
    }

    public static double number(Map<String, String> words, String key, double fallback) {
        return parsed(words, key, fallback, Double::parseDouble, "a number");
    }

    /** The key's value read by {@code parse}, or the fallback; a value it cannot read is refused as not {@code kind}. */
    private static <T> T parsed(
            Map<String, String> words,
            String key,
            T fallback,
            java.util.function.Function<String, T> parse,
            String kind) {
        String v = words.get(key);
        if (v == null) return fallback;
        try {
            return parse.apply(v.strip());
        } catch (NumberFormatException e) {
            throw new ScxmException(key + "=" + v + " is not " + kind + "; write e.g. " + key + "=" + fallback + ".");
        }
    }
}
