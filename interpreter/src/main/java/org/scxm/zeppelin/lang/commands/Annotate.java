package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `annotate NAME reference=REF` (label transfer, paper 4.2's CellTypist step) or `annotate NAME from=COLUMN` (import). */
public final class Annotate extends BaseCommand {
    public Annotate() {
        super(
                "annotate",
                "annotate NAME reference=sc [hold_out=0.2 seed=0] | annotate NAME from=OBS_COLUMN",
                "cell types by label transfer from a labelled reference (logistic regression), or imported from an obs column",
                "reference from hold_out seed");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        String from = call.string("from", null);
        ctx.render(ctx.wb()
                .annotate(new Options.Annotate(
                        call.word(0, "the dataset to annotate", null),
                        from == null ? call.required("reference") : null,
                        from,
                        call.number("hold_out", 0.2),
                        call.longValue("seed", ctx.settings().seed()))));
    }
}
