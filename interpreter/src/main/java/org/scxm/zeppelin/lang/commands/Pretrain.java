package org.scxm.zeppelin.lang.commands;

import org.scxm.model.Pretrainer;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Settings;
import org.scxm.zeppelin.lang.Usage;

/** `pretrain path=FOLDER`: our own foundation model, pretrained on the scRNA cells Geneformer's way. */
public final class Pretrain extends BaseCommand {
    /** Pretraining steps unless steps= says otherwise. */
    static final int STEPS = 1000;

    public Pretrain() {
        super(
                "pretrain",
                usageLine(),
                "pretrain a BERT on the scRNA cells' tokens with Geneformer's masked-gene objective (15%; 80/10/10): loss curve, held-out masked-token accuracy "
                        + "against each position's most frequent gene, and a Hugging Face folder with its dictionaries",
                "path layers hidden heads steps batch lr warmup seed held_out");
    }

    private static String usageLine() {
        Pretrainer.Options d =
                Pretrainer.Options.small(STEPS, Settings.defaults().seed());
        return "pretrain path=FOLDER [layers=" + d.layers() + " hidden=" + d.hidden() + " heads=" + d.heads()
                + " steps="
                + STEPS + " batch=" + d.batch() + " lr=" + Usage.num(d.lr()) + " warmup=" + d.warmup() + " seed="
                + Settings.defaults().seed() + " held_out=" + Usage.num(d.heldOut()) + "]";
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        int steps = call.integer("steps", STEPS);
        Pretrainer.Options d = Pretrainer.Options.small(steps, ctx.settings().seed());
        int hidden = call.integer("hidden", d.hidden());
        Pretrainer.Options o = new Pretrainer.Options(
                call.integer("layers", d.layers()),
                hidden,
                call.integer("heads", d.heads()),
                hidden * 2,
                steps,
                call.integer("batch", d.batch()),
                call.number("lr", d.lr()),
                call.integer("warmup", d.warmup()),
                call.longValue("seed", ctx.settings().seed()),
                call.number("held_out", d.heldOut()));
        ctx.render(ctx.wb().pretrain(new Options.Pretrain(ctx.settings().model(call.required("path")), o)));
    }
}
