package org.scxm.zeppelin.lang.commands;

import java.util.List;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

/** `drop NAME`: removes a dataset and everything derived from it. */
public final class Drop implements Command {
    @Override
    public String name() {
        return "drop";
    }

    @Override
    public String usage() {
        return "drop NAME";
    }

    @Override
    public String summary() {
        return "remove a dataset and everything derived from it (with a harmonised dataset: the panel, targets, tokens, predictions, baselines)";
    }

    @Override
    public List<String> keys() {
        return List.of();
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb().drop(call.word(0, "the dataset to drop", null)));
    }
}
