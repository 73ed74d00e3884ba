package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.List;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The bulk verb: the spatially bulked target of each harmonised slide (paper 3.1). */
public final class Bulk {
    private Bulk() {}

    /** The spatially bulked target z = Σ k_ij y_j over the radius graph (paper 3.1) on the harmonised slides. */
    public static Report run(Step ctx, Options.Bulk o) {
        if (!(o.radius() > 0))
            throw new ScxmException(
                    "radius=" + o.radius() + " must be a positive distance in microns, e.g. radius=25.");
        Kernel kernel = Kernel.byName(o.kernel(), o.sigma(), o.radius());
        List<DatasetState> slides = new ArrayList<>();
        if (o.datasets().isEmpty()) {
            for (Role role : List.of(Role.ST, Role.VAL)) {
                DatasetState d = ctx.harmonisedDataset(role);
                if (d != null && d.modality().hasCoordinates()) slides.add(d);
            }
            if (slides.isEmpty())
                throw new ScxmException(
                        "no spatial slide to bulk: load one (`load demo` or `load st NAME path=...`) and harmonise first.");
        } else for (String w : o.datasets()) slides.add(ctx.require(w));
        StringColumn name = StringColumn.create("dataset");
        IntColumn cells = IntColumn.create("cells");
        DoubleColumn degree = DoubleColumn.create("mean_neighbours"), mean = DoubleColumn.create("mean_target");
        Report r = new Report();
        for (int k = 0; k < slides.size(); k++) {
            DatasetState d = slides.get(k);
            d.requirePanel();
            d.modality().requireCoordinates("bulking");
            ctx.progress().update(k / (double) slides.size(), "bulking " + d.name());
            NeighbourGraph g =
                    NeighbourGraph.radius(d.modality().x(), d.modality().y(), o.radius());
            String warning = g.radiusWarning(o.radius());
            if (warning != null) r.text("warning for '" + d.name() + "': " + warning);
            SparseMatrix panel =
                    d.modality().matrix().selectCols(d.panelColumns()).inMemory();
            DenseMatrix z = o.target().equals("log")
                    ? Bulker.logNormalised(panel, g, kernel)
                    : Bulker.binarised(panel, g, kernel);
            ctx.publish(ctx.state().withDataset(d.withTarget(z)));
            name.append(d.name());
            cells.append(d.nCells());
            degree.append(g.meanDegree());
            mean.append(z.mean());
        }
        ctx.publish(ctx.state().withBulk(new State.BulkSettings(o.radius(), kernel, o.target())));
        return r.table(Table.create(
                "bulked targets (" + kernel.describe() + ", radius " + o.radius() + " µm)", name, cells, degree, mean));
    }
}
