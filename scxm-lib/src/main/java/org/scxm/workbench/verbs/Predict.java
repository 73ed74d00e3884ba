package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.model.ActivationMemory;
import org.scxm.model.Predictor;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;

/** The predict verb: bulked prediction and decoder output of every cell of a dataset, one model or an ensemble. */
public final class Predict {
    private Predict() {}

    /** The model's bulked prediction G_E(x) and decoder output G_D(G_E(x)) for every cell of a dataset. */
    public static Report run(Step ctx, Options.Predict o) {
        ctx.threadReady();
        DatasetState d = ctx.require(o.dataset());
        if (d.role() == Role.ST)
            throw new ScxmException(
                    "'" + d.name()
                            + "' is the low-plex training slide, which the model does not read; predict the validation slide or scRNA cells.");
        RankValueEncoder enc = ctx.encoder(d);
        if (o.batch() < 1) throw new ScxmException("batch=" + o.batch() + " must be at least 1.");
        // model=a,b,c averages several models' predictions (an ensemble: independent seeds' draws average out)
        List<State.ModelEntry> models = new ArrayList<>();
        for (String name : o.model() == null ? new String[] {null} : o.model().split(","))
            models.add(ctx.modelEntry(name == null ? null : name.strip()));
        models.forEach(ctx::checkFits);
        // models predict one after another, so the largest CPU model's batch is the one that must fit
        int tokens = -1;
        for (State.ModelEntry e : models) {
            if (e.model().manager().getDevice().isGpu()) continue;
            if (tokens < 0) tokens = ActivationMemory.longestTokens(enc);
            ActivationMemory.check(
                    "predict batch=" + o.batch(),
                    e.spec().config().encoder(),
                    Math.min(o.batch(), d.nCells()),
                    tokens,
                    false,
                    "max_length (tokenize)");
        }
        int[] cells = IntStream.range(0, d.nCells()).toArray();
        DenseMatrix bulked = null, decoded = null;
        for (int k = 0; k < models.size(); k++) {
            Predictor.Prediction p = Predictor.predict(
                    models.get(k).model(),
                    enc.batches(cells, o.batch()),
                    d.binarised(),
                    cells.length,
                    d.modality().matrix().backed(), // a backed dataset's outputs go to scratch files
                    ctx.progress().sub(k / (double) models.size(), (k + 1) / (double) models.size()));
            if (bulked == null) {
                bulked = p.bulked();
                decoded = p.decoded();
            } else {
                bulked.combine(1f, p.bulked(), 1f);
                decoded.combine(1f, p.decoded(), 1f);
            }
        }
        if (models.size() > 1) {
            bulked.scale(1f / models.size());
            decoded.scale(1f / models.size());
        }
        ctx.publish(ctx.state().withDataset(d.withPrediction(bulked, decoded)));
        List<String> described = new ArrayList<>();
        for (State.ModelEntry e : models)
            described.add("'" + e.name() + "'"
                    + (e.run() == null
                            ? " (untrained: its initial weights)"
                            : " (" + e.run().trainer().step() + " steps)"));
        return new Report()
                .text(String.format(
                        Locale.ROOT,
                        "predicted %d cells x %d %s of '%s' with %s%s (mean %.3f)",
                        d.nCells(),
                        bulked.cols(),
                        models.get(0).model().config().composition() ? "cell-type shares" : "genes",
                        d.name(),
                        String.join(", ", described),
                        models.size() > 1 ? ", averaged" : "",
                        bulked.mean()));
    }
}
