package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `export NAME path=FILE.h5ad`: the dataset (spatial panel) with what was computed for it as layers and obs columns. */
public final class Export extends BaseCommand {
    public Export() {
        super(
                "export",
                "export NAME path=FILE.h5ad [overwrite=false]",
                "write a dataset (spatial panel genes) with its binarised input, target, prediction, decoder output, cell types and niche groups as an .h5ad (an existing file is replaced only with overwrite=true)",
                "path overwrite");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb()
                .export(new Options.Export(
                        call.word(0, "the dataset to export", null),
                        ctx.settings().data(call.required("path")),
                        call.bool("overwrite", false))));
    }
}
