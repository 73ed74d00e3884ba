package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Usage;

/** `autocorrelation NAME`: Moran's I and Geary's C of each panel gene over the radius graph, to pick genes with spatial signal. */
public final class Autocorrelation extends BaseCommand {
    public Autocorrelation() {
        super(
                "autocorrelation",
                "autocorrelation NAME [radius=" + Usage.num(Options.Bulk.DEFAULT_RADIUS) + " values=binarised|log]",
                "Moran's I and Geary's C per panel gene over the neighbour graph: which genes carry spatial signal",
                "radius values");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.table(ctx.wb()
                .autocorrelation(
                        call.word(0, "a spatial slide (e.g. st)", null),
                        call.number("radius", Options.Bulk.DEFAULT_RADIUS),
                        call.choice("values", "binarised", "binarised", "log").equals("log")));
    }
}
