package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.model.Predictor;
import org.scxm.model.ScxmModel;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

import java.util.List;
import java.util.stream.IntStream;

/** `predict NAME`: the model's bulked prediction G_E(x) and decoder output G_D(G_E(x)) for every cell. */
public final class Predict implements Command {
    @Override public String name() { return "predict"; }
    @Override public String usage() { return "predict NAME [model=MODEL batch=64]"; }
    @Override public String summary() { return "predict the spatially bulked panel (and the decoder's reading of it) for each cell of a dataset"; }
    @Override public List<String> keys() { return List.of("model", "batch"); }

    @Override public void run(Call call, CommandContext ctx) {
        Torch.threadReady(ctx.settings());
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "the dataset to predict (e.g. val)", null));
        if (d.role().equals("st")) throw new ScxmException("'" + d.name() + "' is the low-plex training slide, which the model does not read; predict the validation slide or scRNA cells.");
        var encoder = Tokenize.encoder(ctx, d);
        ScxmModel model = Model.require(ctx, call.string("model", null));
        int batch = call.integer("batch", 64);
        if (batch < 1) throw new ScxmException("batch=" + batch + " must be at least 1.");
        int[] cells = IntStream.range(0, d.nCells()).toArray();
        Predictor.Prediction p = Predictor.predict(model, encoder.batches(cells, batch), cells.length, ctx.progress());
        ctx.tx().put(d.withPrediction(p.bulked(), p.decoded()));
        double sum = 0;
        for (float v : p.bulked().data()) sum += v;
        ctx.text(String.format("predicted %d cells x %d genes of '%s' (mean %.3f)", d.nCells(), p.bulked().cols(), d.name(), sum / p.bulked().data().length));
    }
}
