package org.scxm.zeppelin.lang;

import org.scxm.model.TrainConfig;

/** Option groups several commands read the same way (train and sweep share the training knobs). */
public final class Knobs {
    private Knobs() {}

    /** The training knobs of a paragraph, defaults from {@link TrainConfig#defaults()} and the session seed. */
    public static TrainConfig train(Call call, Settings settings) {
        TrainConfig d = TrainConfig.defaults();
        double lr = call.number("lr", d.lr());
        return new TrainConfig(
                call.integer("epochs", d.epochs()),
                call.integer("steps", d.steps()),
                call.integer("batch", d.batch()),
                lr,
                call.number("lr_critic", lr),
                call.integer("critic", d.criticSteps()),
                call.number("lambda_gp", d.lambdaGp()),
                call.number("lambda_st", d.lambdaSt()),
                call.number("lambda_sc", d.lambdaSc()),
                call.longValue("seed", settings.seed()),
                call.integer("warmup", d.decoderWarmup()),
                call.number("lambda_adv", d.lambdaAdv()),
                call.number("lambda_pair", d.lambdaPair()),
                call.number("ema", d.ema()));
    }
}
