package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `predict NAME`: the model's bulked prediction G_E(x) and decoder output G_D(G_E(x)) for every cell. */
public final class Predict extends BaseCommand {
    public Predict() {
        super(
                "predict",
                "predict NAME [model=MODEL or model=A,B,C (their average) batch=" + Options.Predict.DEFAULT_BATCH + "]",
                "predict the spatially bulked panel (and the decoder's reading of it) for each cell of a dataset",
                "model batch");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        ctx.render(ctx.wb()
                .predict(new Options.Predict(
                        call.word(0, "the dataset to predict (e.g. val)", null),
                        call.string("model", null),
                        call.integer("batch", Options.Predict.DEFAULT_BATCH))));
    }
}
