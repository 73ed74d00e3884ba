package org.scxm.zeppelin.lang.commands;

import org.scxm.data.Normalise;
import org.scxm.session.DatasetState;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.spatial.SpatialAutocorrelation;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.List;

/** `autocorrelation NAME`: Moran's I and Geary's C of each panel gene over the radius graph, to pick genes with spatial signal. */
public final class Autocorrelation implements Command {
    @Override public String name() { return "autocorrelation"; }
    @Override public String usage() { return "autocorrelation NAME [radius=25 values=binarised|log]"; }
    @Override public String summary() { return "Moran's I and Geary's C per panel gene over the neighbour graph: which genes carry spatial signal"; }
    @Override public List<String> keys() { return List.of("radius", "values"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "a spatial slide (e.g. st)", null));
        d.modality().requireCoordinates("spatial autocorrelation");
        NeighbourGraph g = NeighbourGraph.radius(d.modality().x(), d.modality().y(), call.number("radius", 25));
        Table t = of(d, g, call.choice("values", "binarised", "binarised", "log").equals("log"));
        t.setName("spatial autocorrelation on '" + d.name() + "' (" + String.format("%.1f", g.meanDegree()) + " neighbours per cell)");
        ctx.table(t);
    }

    /** Moran's I and Geary's C of each panel gene of a slide over graph g, on binarised or log1p CP10k values. */
    static Table of(DatasetState d, NeighbourGraph g, boolean log) {
        var panel = d.modality().counts().selectCols(Bulk.panelColumns(d));
        return SpatialAutocorrelation.table(log ? Normalise.log1pCp10k(panel) : Normalise.binarise(panel), d.requirePanel(), g);
    }
}
