package org.scxm.workbench.verbs;

import java.util.Locale;
import org.scxm.data.Normalise;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.spatial.SpatialAutocorrelation;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Step;
import tech.tablesaw.api.Table;

/** Moran's I and Geary's C of a slide's panel genes over the radius graph. */
public final class Autocorrelation {
    private Autocorrelation() {}

    /** Moran's I and Geary's C of each panel gene of a slide over the radius graph, on binarised or log1p CP10k values. */
    public static Table run(Step ctx, String dataset, double radius, boolean log) {
        DatasetState d = ctx.require(dataset);
        d.modality().requireCoordinates("spatial autocorrelation");
        NeighbourGraph g = NeighbourGraph.radius(d.modality().x(), d.modality().y(), radius);
        Table t = table(d, g, log);
        t.setName("spatial autocorrelation on '" + d.name() + "' (" + String.format(Locale.ROOT, "%.1f", g.meanDegree())
                + " neighbours per cell)");
        return t;
    }

    /** The table over a given graph, on the slide's panel genes. */
    public static Table table(DatasetState d, NeighbourGraph g, boolean log) {
        var panel = d.modality().matrix().selectCols(d.panelColumns()).inMemory();
        return SpatialAutocorrelation.table(
                log ? Normalise.log1pCp10k(panel) : Normalise.binarise(panel), d.requirePanel(), g);
    }
}
