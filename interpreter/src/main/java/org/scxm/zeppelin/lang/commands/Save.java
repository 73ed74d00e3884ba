package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.model.Checkpoint;
import org.scxm.model.Trainer;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

import java.nio.file.Path;
import java.util.List;

/** `save DIR`: a checkpoint of the trained model (weights, optimiser state, RNG, losses), written atomically. */
public final class Save implements Command {
    @Override public String name() { return "save"; }
    @Override public String usage() { return "save DIR [model=MODEL]"; }
    @Override public String summary() { return "checkpoint the trained model (resumable) into a folder"; }
    @Override public List<String> keys() { return List.of("model"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        Path dir = ctx.settings().model(call.word(0, "a folder to save into", null));
        String name = Model.currentName(ctx, call.string("model", null));
        Trainer t = name == null ? null : ctx.tx().value(Train.TRAINER + name, Trainer.class);
        if (t == null) throw new ScxmException("nothing to save: run `train` first (a checkpoint holds a trained model).");
        Checkpoint.save(dir, t);
        ctx.text("saved model '" + name + "' after " + t.step() + " steps to " + dir);
    }
}
