package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `save DIR`: a checkpoint of the trained model (weights, optimiser state, RNG, losses, panel, vocabulary), written atomically. */
public final class Save extends BaseCommand {
    public Save() {
        super(
                "save",
                "save DIR [model=MODEL]",
                "checkpoint the trained model into a folder; `model NAME checkpoint=DIR` restores it, `train continue=true` resumes it",
                "model");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb()
                .save(new Options.Save(
                        ctx.settings().model(call.word(0, "a folder to save into", null)),
                        call.string("model", null))));
    }
}
