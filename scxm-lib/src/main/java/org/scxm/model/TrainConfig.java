package org.scxm.model;

/**
 * Training knobs with documented defaults (paper 4.3 fixes the λ weights; the rest are the usual
 * WGAN-GP choices of Gulrajani et al. 2017: Adam with β = (0.5, 0.9), 5 critic steps per generator step).
 *
 * @param epochs      passes over the scRNA cells (one step = one generator batch)
 * @param steps       if > 0, the number of generator steps, overriding epochs
 * @param batch       cells per batch, for scRNA and spatial alike
 * @param lr          learning rate of encoder, head and decoder
 * @param lrCritic    learning rate of the critic
 * @param criticSteps critic updates per generator update
 * @param lambdaGp    gradient penalty weight λ_GP (paper: 10)
 * @param lambdaSt    decoder reconstruction weight λ_ST (paper: 1)
 * @param lambdaSc    consistency weight λ_SC (paper: 1)
 * @param seed        seeds batch sampling and interpolation; same seed, data and threads -> same losses
 * @param decoderWarmup decoder-only steps (L_ST on the spatial slide) before adversarial training starts:
 *                    the consistency term L_SC reads G_E's output through G_D, which means nothing while
 *                    G_D is still random. Cheap (no encoder pass); 0 disables it.
 * @param lambdaAdv   weight of the generator's adversarial term (paper: 1); 0 turns SCXM into a
 *                    plain consistency autoencoder, an ablation
 * @param lambdaPair  weight of L_pair (not in the paper, 0 there): the generator also reads the spatial slide's own
 *                    cells and is fitted to their bulked targets, ‖G_E(y) − z(y)‖². The spatial slide pairs each cell
 *                    with its neighbourhood; scRNA and spatial cells stay unpaired.
 * @param ema         decay of an exponential moving average of the generator's weights (not in the paper, 0 there):
 *                    after training the model holds the average of its recent steps instead of the last one, about
 *                    1/(1 − ema) steps (0.98: the last ~50); {@link GeneratorAverage}
 */
public record TrainConfig(
        int epochs,
        int steps,
        int batch,
        double lr,
        double lrCritic,
        int criticSteps,
        double lambdaGp,
        double lambdaSt,
        double lambdaSc,
        long seed,
        int decoderWarmup,
        double lambdaAdv,
        double lambdaPair,
        double ema) {
    public TrainConfig {
        // each value is checked where it enters, named as the paragraph key the user wrote
        if (batch < 1) throw new org.scxm.ScxmException("batch=" + batch + " must be at least 1 cell.");
        if (criticSteps < 1)
            throw new org.scxm.ScxmException(
                    "critic=" + criticSteps + " must be at least 1 critic step per generator step (the paper: 5).");
        if (!(lr > 0)) throw new org.scxm.ScxmException("lr=" + lr + " must be a positive learning rate, e.g. 1e-4.");
        if (!(lrCritic > 0))
            throw new org.scxm.ScxmException("lr_critic=" + lrCritic + " must be a positive learning rate, e.g. 1e-4.");
        if (epochs < 0) throw new org.scxm.ScxmException("epochs=" + epochs + " must be 0 or more passes.");
        if (steps < 0)
            throw new org.scxm.ScxmException(
                    "steps=" + steps + " must be 0 (train for epochs=) or a positive number of generator steps.");
        if (epochs < 1 && steps < 1)
            throw new org.scxm.ScxmException(
                    "give epochs or steps of at least 1 (got epochs " + epochs + ", steps " + steps + ").");
        if (decoderWarmup < 0)
            throw new org.scxm.ScxmException("warmup=" + decoderWarmup + " must be 0 or more decoder steps.");
        weight("lambda_gp", lambdaGp, "10");
        weight("lambda_st", lambdaSt, "1");
        weight("lambda_sc", lambdaSc, "1");
        weight("lambda_adv", lambdaAdv, "1");
        weight("lambda_pair", lambdaPair, "0");
        if (!(ema >= 0 && ema < 1))
            throw new org.scxm.ScxmException(
                    "ema=" + ema
                            + " must be 0 (no average, the paper) or a decay below 1, such as 0.98 (an average over ~50 steps).");
    }

    /** A loss weight is 0 (the term off) or positive and finite: a negative one would reward the loss it weighs. */
    private static void weight(String key, double w, String paper) {
        if (!(w >= 0 && w < Double.POSITIVE_INFINITY))
            throw new org.scxm.ScxmException(
                    key + "=" + w + " must be 0 (the term off) or a positive weight (the paper: " + paper + ").");
    }

    /** The paper's objective (no L_pair, no weight average). */
    public TrainConfig(
            int epochs,
            int steps,
            int batch,
            double lr,
            double lrCritic,
            int criticSteps,
            double lambdaGp,
            double lambdaSt,
            double lambdaSc,
            long seed,
            int decoderWarmup,
            double lambdaAdv) {
        this(
                epochs,
                steps,
                batch,
                lr,
                lrCritic,
                criticSteps,
                lambdaGp,
                lambdaSt,
                lambdaSc,
                seed,
                decoderWarmup,
                lambdaAdv,
                0,
                0);
    }

    public static TrainConfig defaults() {
        return new TrainConfig(5, 0, 16, 1e-4, 1e-4, 5, 10, 1, 1, 0, 200, 1);
    }

    public TrainConfig withSteps(int s) {
        return with(s, seed, lambdaPair, ema);
    }

    public TrainConfig withSeed(long s) {
        return with(steps, s, lambdaPair, ema);
    }

    /** This config with L_pair at weight {@code w} (beyond the paper). */
    public TrainConfig withLambdaPair(double w) {
        return with(steps, seed, w, ema);
    }

    /** This config ending on a moving average of the generator's weights with decay {@code d} (beyond the paper). */
    public TrainConfig withEma(double d) {
        return with(steps, seed, lambdaPair, d);
    }

    /** The one copy of every field, for the withers above. */
    private TrainConfig with(int steps, long seed, double lambdaPair, double ema) {
        return new TrainConfig(
                epochs,
                steps,
                batch,
                lr,
                lrCritic,
                criticSteps,
                lambdaGp,
                lambdaSt,
                lambdaSc,
                seed,
                decoderWarmup,
                lambdaAdv,
                lambdaPair,
                ema);
    }

    /** Generator steps for a given number of scRNA cells. */
    public int totalSteps(int scCells) {
        return steps > 0 ? steps : Math.max(1, epochs * (int) Math.ceil(scCells / (double) batch));
    }
}
