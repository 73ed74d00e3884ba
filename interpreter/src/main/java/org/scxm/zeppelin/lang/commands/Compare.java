package org.scxm.zeppelin.lang.commands;

import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `compare`: every evaluation and sweep row of the session side by side, with the model's per-gene distributions. */
public final class Compare extends BaseCommand {
    public Compare() {
        super(
                "compare",
                "compare",
                "all evaluations and sweeps of the session side by side (label, bulk and training settings, median Pearson, seeds and their spread) with their distributions");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        ctx.render(ctx.wb().compare());
    }
}
