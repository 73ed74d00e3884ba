package org.scxm.zeppelin.lang.commands;

import java.util.List;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

/** `save DIR`: a checkpoint of the trained model (weights, optimiser state, RNG, losses, panel, vocabulary), written atomically. */
public final class Save implements Command {
    @Override
    public String name() {
        return "save";
    }

    @Override
    public String usage() {
        return "save DIR [model=MODEL]";
    }

    @Override
    public String summary() {
        return "checkpoint the trained model into a folder; `model NAME checkpoint=DIR` restores it, `train continue=true` resumes it";
    }

    @Override
    public List<String> keys() {
        return List.of("model");
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
