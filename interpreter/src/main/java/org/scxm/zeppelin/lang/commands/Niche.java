package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `niches NAME gene=G type=T` or `composition=T2`: clustered vs isolated cells of one type by a bulked gene (paper 5.2, Fig. 4e) or a neighbour type's share. */
public final class Niche extends BaseCommand {
    public Niche() {
        super(
                "niches",
                "niches NAME gene=G type=\"CELL TYPE\" [threshold=0.5 | top=SHARE] [source=prediction|target] | niches NAME type=\"CELL TYPE\" composition=\"NEIGHBOUR TYPE\" [threshold=0.5 | top=SHARE] [source=prediction|target]",
                "split one cell type into 'clustered' and 'isolated' cells by a gene's (predicted) bulked expression, or by the (predicted) share of a neighbour type around them (a composition target); top= calls the given share of the type's cells with the highest values clustered (ranks, not scale); counts and a spatial plot; refuses a near-constant prediction",
                "gene composition top type threshold source");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb()
                .niches(new Options.Niches(
                        call.word(0, "the dataset to call niches on (e.g. val)", null),
                        call.has("composition") ? call.string("gene", null) : call.required("gene"),
                        call.required("type"),
                        call.number("threshold", 0.5),
                        call.choice("source", "prediction", "prediction", "target")
                                .equals("target"),
                        call.string("composition", null),
                        call.number("top", Double.NaN))));
    }
}
