package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.analysis.Niches;
import org.scxm.data.DenseMatrix;
import org.scxm.plot.SpatialPlots;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

import java.util.List;

/** `niches NAME gene=G type=T`: clustered vs isolated cells of one type by a bulked gene (paper 5.2, Fig. 4e). */
public final class Niche implements Command {
    @Override public String name() { return "niches"; }
    @Override public String usage() { return "niches NAME gene=G type=\"CELL TYPE\" [threshold=0.5 source=prediction|target]"; }
    @Override public String summary() { return "split one cell type into 'clustered' and 'isolated' cells by a gene's (predicted) bulked expression; counts and a spatial plot"; }
    @Override public List<String> keys() { return List.of("gene", "type", "threshold", "source"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "the dataset to call niches on (e.g. val)", null));
        String gene = call.required("gene"), type = call.required("type");
        String source = call.choice("source", "prediction", "prediction", "target");
        int g = d.panelIndex(gene);
        DenseMatrix values = source.equals("target") ? d.requireTarget() : d.requirePrediction();
        Niches.Result r = Niches.call(values.column(g), d.requireCellTypes(), type, call.number("threshold", 0.5));
        ctx.tx().put(d.withNiches(r.groups()));
        ctx.table(r.counts());
        if (d.modality().hasCoordinates()) {
            ctx.figure(SpatialPlots.categories("'" + d.name() + "' " + type + " by " + source + " " + gene + " ≥ " + call.number("threshold", 0.5),
                    d.modality().x(), d.modality().y(), r.groups(), "niche group", "other types"));
        } else {
            ctx.text("'" + d.name() + "' has no coordinates, so no spatial plot; the groups are stored for `de " + d.name() + "`.");
        }
        if (r.counts().intColumn("cells").get(0) == 0)
            throw new ScxmException("no " + type + (type.toLowerCase(java.util.Locale.ROOT).endsWith("cell") ? "" : " cell") + " reaches " + gene + " ≥ " + call.number("threshold", 0.5) + "; lower threshold= to get a clustered group.");
    }
}
