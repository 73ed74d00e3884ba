package org.scxm.zeppelin.lang.commands;

import java.util.List;
import org.scxm.model.TrainConfig;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Knobs;
import org.scxm.zeppelin.lang.Settings;
import org.scxm.zeppelin.lang.Usage;

/** `train`: WGAN-GP fine-tuning (paper eq. 5), a new run from the model's initial weights unless continue=true. */
public final class Train extends BaseCommand {
    public Train() {
        super(
                "train",
                usageLine(),
                "adversarial training, a new independent run from the model's initial weights (continue=true resumes the last run for steps= more): critic with gradient penalty, decoder reconstruction and consistency losses; plots the losses",
                keyList());
    }

    private static String usageLine() {
        TrainConfig d = TrainConfig.defaults();
        return "train [MODEL] [continue=false epochs=" + d.epochs() + " steps=" + d.steps() + " batch=" + d.batch()
                + " lr=" + Usage.num(d.lr()) + " lr_critic=lr critic=" + d.criticSteps() + " lambda_gp="
                + Usage.num(d.lambdaGp()) + " lambda_st=" + Usage.num(d.lambdaSt()) + " lambda_sc="
                + Usage.num(d.lambdaSc()) + " lambda_adv=" + Usage.num(d.lambdaAdv()) + " lambda_pair="
                + Usage.num(d.lambdaPair()) + " ema=" + Usage.num(d.ema()) + " warmup=" + d.decoderWarmup()
                + " seed=" + Settings.defaults().seed() + "]";
    }

    private static List<String> keyList() {
        // the knobs Knobs.train reads: the training keys a sweep takes too, with epochs and seed
        List<String> k = new java.util.ArrayList<>(List.of("continue", "epochs"));
        k.addAll(Options.Sweep.TRAIN_KEYS);
        k.add("seed");
        return k;
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb()
                .train(new Options.Train(
                        call.words().isEmpty() ? null : call.words().get(0),
                        Knobs.train(call, ctx.settings()),
                        call.bool("continue", false))));
    }
}
