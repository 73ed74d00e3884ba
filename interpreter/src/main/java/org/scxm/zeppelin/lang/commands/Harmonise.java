package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `harmonise`: shared gene panels and the same cell filter in every modality (paper 4.2), then binarise the panel. */
public final class Harmonise extends BaseCommand {
    public Harmonise() {
        super(
                "harmonise",
                "harmonise [sc=NAME st=NAME val=NAME min_counts="
                        + Options.Harmonise.defaults().minCounts() + " min_genes="
                        + Options.Harmonise.defaults().minGenes() + "]",
                "slice the scRNA, spatial and validation datasets to the shared gene panel, filter cells alike, binarise the spatial panel",
                "sc st val min_counts min_genes");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        ctx.render(ctx.wb()
                .harmonise(new Options.Harmonise(
                        call.string("sc", null),
                        call.string("st", null),
                        call.string("val", null),
                        call.integer("min_counts", Options.Harmonise.defaults().minCounts()),
                        call.integer("min_genes", Options.Harmonise.defaults().minGenes()))));
    }
}
