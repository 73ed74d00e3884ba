package org.scxm.zeppelin.lang.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.plot.CompositionPlots;
import org.scxm.plot.Distributions;
import org.scxm.plot.LossPlots;
import org.scxm.plot.SpatialPlots;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.State;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `plot spatial|losses|correlation|composition`: the paper's figures from session state. */
public final class Plot extends BaseCommand {
    private static final List<String> SHOWS =
            List.of("input", "target", "prediction", "decoded", "celltype", "niche", "dominant");

    public Plot() {
        super(
                "plot",
                "plot spatial NAME gene=G [show=input,target,prediction,decoded min=0 max=1] | plot spatial NAME show=celltype|niche|dominant | plot losses [MODEL] | plot correlation NAME | plot composition NAME",
                "spatial scatter of cells (shared colour scale across panels), training curves, per-gene correlation distributions; "
                        + "on a composition target: show=dominant colours each cell by its predicted dominant neighbour type, and `plot composition` stacks the mean predicted and true composition per cell type",
                "gene show min max");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        String kind = call.word(0, "what to plot (spatial, losses or correlation)", null)
                .toLowerCase(Locale.ROOT);
        switch (kind) {
            case "spatial" -> spatial(call, ctx);
            case "losses" -> {
                call.maxWords(2);
                State.ModelEntry e = ctx.wb()
                        .modelEntry(call.words().size() > 1 ? call.words().get(1) : null);
                if (e.run() == null)
                    throw new ScxmException("no training losses for '" + e.name() + "': run `train` first.");
                ctx.render(new org.scxm.workbench.Report()
                        .figure(LossPlots.curves(e.run().trainer().losses(), "training losses of '" + e.name() + "'")));
            }
            case "correlation" -> {
                call.maxWords(2);
                DatasetState d = ctx.wb().require(call.word(1, "the evaluated dataset", null));
                if (d.evaluation() == null)
                    throw new ScxmException(
                            "'" + d.name() + "' is not evaluated yet: run `evaluate " + d.name() + "` first.");
                figure(ctx, Distributions.perGene(d.evaluation(), "pearson", "per-gene Pearson on '" + d.name() + "'"));
            }
            case "composition" -> {
                call.maxWords(2);
                DatasetState d =
                        ctx.wb().require(call.word(1, "the dataset with a composition target (e.g. val)", null));
                String[] types = compositionTypes(d);
                String[] cellTypes = d.requireCellTypes().clone();
                for (int i = 0; i < cellTypes.length; i++) if (cellTypes[i].isEmpty()) cellTypes[i] = null;
                figure(
                        ctx,
                        CompositionPlots.meanByType(
                                "'" + d.name() + "': mean predicted vs true neighbourhood composition per cell type",
                                d.requirePrediction(),
                                d.requireTarget(),
                                types,
                                cellTypes));
            }
            default ->
                throw new ScxmException("plot what? '" + kind + "' is not spatial, losses, correlation or composition"
                        + org.scxm.Names.didYouMean(kind, List.of("spatial", "losses", "correlation", "composition"))
                        + ".");
        }
    }

    private void spatial(Call call, CommandContext ctx) {
        call.maxWords(2);
        DatasetState d = ctx.wb().require(call.word(1, "the dataset to draw (e.g. val)", null));
        d.modality().requireCoordinates("a spatial plot");
        List<String> show =
                call.list("show", call.has("gene") ? List.of("input", "target", "prediction") : List.of("celltype"));
        for (String s : show)
            if (!SHOWS.contains(s))
                throw new ScxmException("show=" + s + " is not one of " + String.join(", ", SHOWS)
                        + org.scxm.Names.didYouMean(s, SHOWS) + ".");
        double[] x = d.modality().x(), y = d.modality().y();
        if (show.contains("dominant")) {
            if (show.size() > 1)
                throw new ScxmException(
                        "show=dominant draws one categorical panel; plot numeric panels in a separate line.");
            figure(
                    ctx,
                    CompositionPlots.dominantType(
                            "'" + d.name() + "': predicted dominant neighbour type",
                            x,
                            y,
                            d.requirePrediction(),
                            compositionTypes(d)));
            return;
        }
        if (show.contains("celltype") || show.contains("niche")) {
            if (show.size() > 1)
                throw new ScxmException(
                        "show=celltype or show=niche draws one categorical panel; plot numeric panels in a separate line.");
            boolean niche = show.get(0).equals("niche");
            String[] labels = niche ? d.niches() : d.requireCellTypes();
            if (labels == null)
                throw new ScxmException(
                        "'" + d.name() + "' has no niche groups: run `niches " + d.name() + " gene=G type=T` first.");
            figure(
                    ctx,
                    SpatialPlots.categories(
                            "'" + d.name() + "' " + (niche ? "niche groups" : "cell types"),
                            x,
                            y,
                            labels,
                            niche ? "niche group" : "cell type"));
            return;
        }
        String gene = call.required("gene");
        int j = d.panelIndex(gene);
        String g = d.panel()[j];
        List<SpatialPlots.Panel> panels = new ArrayList<>();
        for (String s : show) {
            DenseMatrix m = switch (s) {
                case "input" -> d.binarised();
                case "target" -> d.requireTarget();
                case "prediction" -> d.requirePrediction();
                default -> {
                    d.requirePrediction();
                    yield d.decoded();
                }
            };
            panels.add(new SpatialPlots.Panel(label(s) + " " + g, m.column(j)));
        }
        figure(
                ctx,
                SpatialPlots.values(
                        "'" + d.name() + "': " + g, x, y, panels, g, call.number("min", 0), call.number("max", 1)));
    }

    /** The cell types naming a composition target's columns, or one sentence saying how to get one. */
    private static String[] compositionTypes(DatasetState d) {
        if (!d.compositionTarget())
            throw new ScxmException("'" + d.name() + "' has no composition target: run `bulk target=composition`, "
                    + "then train on it and `predict " + d.name() + "`.");
        if (d.prediction() != null && d.prediction().cols() != d.targetTypes().length)
            throw new ScxmException(
                    "the prediction of '" + d.name() + "' is not a composition over its " + d.targetTypes().length
                            + " cell types; predict it with a model trained on the composition target.");
        return d.targetTypes();
    }

    private static void figure(CommandContext ctx, org.scxm.plot.Figure f) {
        ctx.render(new org.scxm.workbench.Report().figure(f));
    }

    private static String label(String s) {
        return switch (s) {
            case "input" -> "input (binarised)";
            case "target" -> "target (bulked)";
            case "prediction" -> "prediction";
            default -> "decoder output";
        };
    }
}
