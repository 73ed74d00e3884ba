package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.data.Harmoniser;
import org.scxm.data.SparseMatrix;
import org.scxm.session.DatasetState;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/** `bulk`: the spatially bulked target z = Σ k_ij y_j over the radius graph (paper 3.1) on every slide. */
public final class Bulk implements Command {
    @Override public String name() { return "bulk"; }
    @Override public String usage() { return "bulk [NAME ...] [radius=25 kernel=gaussian|uniform sigma=radius/2 target=binarised|log]"; }
    @Override public String summary() { return "bulk the binarised spatial panel over each cell's neighbourhood: the model's target (and the validation truth)"; }
    @Override public List<String> keys() { return List.of("radius", "kernel", "sigma", "target"); }
    /** Session value: the radius (µm) of the last bulking, reused by evaluation's spatial-signal split. */
    static final String RADIUS_KEY = "bulk.radius";

    @Override public void run(Call call, CommandContext ctx) {
        double radius = call.number("radius", 25);
        if (!(radius > 0)) throw new ScxmException("radius=" + radius + " must be a positive distance in microns, e.g. radius=25.");
        String kernelName = call.choice("kernel", "gaussian", "gaussian", "uniform");
        double sigma = call.number("sigma", radius / 2);
        Kernel kernel = kernelName.equals("gaussian") ? Kernel.gaussian(sigma) : Kernel.uniform();
        String target = call.choice("target", "binarised", "binarised", "log");
        List<DatasetState> slides = new ArrayList<>();
        if (call.words().isEmpty()) {
            for (DatasetState d : ctx.tx().datasets()) if (d.modality().hasCoordinates() && !d.role().equals("sc")) slides.add(d);
            if (slides.isEmpty()) throw new ScxmException("no spatial slide to bulk: load one (`load demo` or `load st NAME path=...`) first.");
        } else for (String w : call.words()) slides.add(ctx.tx().require(w));
        StringColumn name = StringColumn.create("dataset");
        IntColumn cells = IntColumn.create("cells");
        DoubleColumn degree = DoubleColumn.create("mean_neighbours"), mean = DoubleColumn.create("mean_target");
        for (int s = 0; s < slides.size(); s++) {
            DatasetState d = slides.get(s);
            d.requirePanel();
            d.modality().requireCoordinates("bulking");
            ctx.progress().update(s / (double) slides.size(), "bulking " + d.name());
            NeighbourGraph g = NeighbourGraph.radius(d.modality().x(), d.modality().y(), radius);
            String warning = g.radiusWarning(radius);
            if (warning != null) ctx.text("warning for '" + d.name() + "': " + warning);
            SparseMatrix panel = d.modality().counts().selectCols(panelColumns(d));
            var z = target.equals("log") ? Bulker.logNormalised(panel, g, kernel) : Bulker.binarised(panel, g, kernel);
            ctx.tx().put(d.withTarget(z));
            double sum = 0;
            for (float v : z.data()) sum += v;
            name.append(d.name()); cells.append(d.nCells()); degree.append(g.meanDegree()); mean.append(sum / z.data().length);
        }
        ctx.tx().putValue(RADIUS_KEY, radius);
        ctx.tx().putValue("bulk.settings", "radius=" + radius + " kernel=" + kernel.describe() + " target=" + target);
        ctx.table(Table.create("bulked targets (" + kernel.describe() + ", radius " + radius + " µm)", name, cells, degree, mean));
    }

    static int[] panelColumns(DatasetState d) {
        return new Harmoniser.Harmonised(null, null, null, d.requirePanel(), null).panelColumns(d.modality());
    }

}
