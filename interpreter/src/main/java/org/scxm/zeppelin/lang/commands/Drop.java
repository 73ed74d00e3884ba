package org.scxm.zeppelin.lang.commands;

import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `drop NAME`: removes a dataset and everything derived from it. */
public final class Drop extends BaseCommand {
    public Drop() {
        super(
                "drop",
                "drop NAME",
                "remove a dataset and everything derived from it (with a harmonised dataset: the panel, targets, tokens, predictions, baselines)");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb().drop(call.word(0, "the dataset to drop", null)));
    }
}
