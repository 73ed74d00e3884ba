package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Usage;

/** `bulk`: the spatially bulked target z = Σ k_ij y_j over the radius graph (paper 3.1) on every slide. */
public final class Bulk extends BaseCommand {
    public Bulk() {
        super(
                "bulk",
                "bulk [NAME ...] [radius=" + Usage.num(Options.Bulk.DEFAULT_RADIUS)
                        + " kernel=gaussian|uniform sigma=radius/2 target=binarised|log|composition label=COLUMN]",
                "bulk the binarised spatial panel over each cell's neighbourhood: the model's target (and the validation truth); "
                        + "target=composition: the neighbourhood's shares of the training slide's cell types (label= an obs column, else the loaded or annotated types)",
                "radius kernel sigma target label");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        ctx.render(ctx.wb()
                .bulk(new Options.Bulk(
                        call.words(),
                        call.number("radius", Options.Bulk.DEFAULT_RADIUS),
                        call.choice("kernel", "gaussian", "gaussian", "uniform"),
                        call.number("sigma", Double.NaN),
                        call.choice("target", "binarised", "binarised", "log", "composition"),
                        call.string("label", null))));
    }
}
