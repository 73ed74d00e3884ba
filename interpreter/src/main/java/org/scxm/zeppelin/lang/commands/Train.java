package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.model.ScxmModel;
import org.scxm.model.TrainConfig;
import org.scxm.model.Trainer;
import org.scxm.model.TrainingData;
import org.scxm.plot.LossPlots;
import org.scxm.session.DatasetState;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * `train`: WGAN-GP fine-tuning (paper eq. 5). Training changes the model's weights in place; a cancel
 * stops after a whole step, and the losses so far are kept with the model.
 */
public final class Train implements Command {
    static final String TRAINER = "trainer:", LOSSES = "losses:", SETTINGS = "train.settings:";

    @Override public String name() { return "train"; }
    @Override public String usage() { return "train [MODEL] [epochs=5 steps=0 batch=16 lr=1e-4 critic=5 lambda_gp=10 lambda_st=1 lambda_sc=1 lambda_adv=1 warmup=200 seed=0]"; }
    @Override public String summary() { return "adversarial fine-tuning: critic with gradient penalty, decoder reconstruction and consistency losses; plots the losses"; }
    @Override public List<String> keys() { return List.of("epochs", "steps", "batch", "lr", "lr_critic", "critic", "lambda_gp", "lambda_st", "lambda_sc", "lambda_adv", "warmup", "seed"); }

    @Override public void run(Call call, CommandContext ctx) {
        Torch.threadReady(ctx.settings());
        call.maxWords(1);
        String name = Model.currentName(ctx, call.words().isEmpty() ? null : call.words().get(0));
        ScxmModel model = Model.require(ctx, name);
        DatasetState sc = ctx.tx().byRole("sc"), st = ctx.tx().byRole("st");
        if (sc == null || st == null) throw new ScxmException("training needs scRNA cells and a spatial slide: run `load demo` first.");
        st.requireTarget();
        RankValueEncoder enc = Tokenize.encoder(ctx, sc);
        TrainConfig d = TrainConfig.defaults();
        double lr = call.number("lr", d.lr());
        TrainConfig cfg = new TrainConfig(call.integer("epochs", d.epochs()), call.integer("steps", d.steps()), call.integer("batch", d.batch()),
                lr, call.number("lr_critic", lr), call.integer("critic", d.criticSteps()), call.number("lambda_gp", d.lambdaGp()),
                call.number("lambda_st", d.lambdaSt()), call.number("lambda_sc", d.lambdaSc()), call.longValue("seed", ctx.settings().seed()),
                call.integer("warmup", d.decoderWarmup()), call.number("lambda_adv", d.lambdaAdv()));
        if (cfg.batch() < 1 || cfg.criticSteps() < 1) throw new ScxmException("batch and critic must be at least 1.");
        Trainer trainer = ctx.tx().value(TRAINER + name, Trainer.class);
        if (trainer == null || !trainer.config().equals(cfg) || trainer.model() != model) trainer = new Trainer(model, cfg);
        else trainer = new Trainer(model, cfg.withSteps(trainer.step() + cfg.totalSteps(sc.nCells()))); // same knobs: continue
        TrainingData data = new TrainingData(enc::batch, sc.binarised(), st.target(), st.binarised());
        Table losses = trainer.train(data, ctx.progress());
        ctx.tx().putValue(TRAINER + name, trainer);
        ctx.tx().putValue(LOSSES + name, losses);
        ctx.tx().putValue(SETTINGS + name, String.format(java.util.Locale.ROOT, "steps=%d batch=%d lr=%g critic=%d lambda_gp=%g lambda_st=%g lambda_sc=%g seed=%d",
                trainer.step(), cfg.batch(), cfg.lr(), cfg.criticSteps(), cfg.lambdaGp(), cfg.lambdaSt(), cfg.lambdaSc(), cfg.seed()));
        ctx.figure(LossPlots.curves(losses, "training losses of '" + name + "'"));
        int last = losses.rowCount() - 1;
        if (last >= 0)
            ctx.text(String.format("trained '%s' for %d steps: critic %.3f, gp %.3f, st %.4f, sc %.4f at the last step",
                    name, losses.rowCount(), losses.doubleColumn("critic").getDouble(last), losses.doubleColumn("gp").getDouble(last),
                    losses.doubleColumn("st").getDouble(last), losses.doubleColumn("sc").getDouble(last)));
        if (trainer.stoppedEarly() != null) ctx.text(trainer.stoppedEarly()); // the good steps are kept, not rolled back
        else if (trainer.skippedSteps() > 0)
            ctx.text(trainer.skippedSteps() + " step(s) had a NaN or infinite loss or gradient; they were skipped, not applied, and tried again on fresh batches.");
    }

}
