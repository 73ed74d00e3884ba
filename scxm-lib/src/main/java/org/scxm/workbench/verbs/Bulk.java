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

/** The bulk verb: the spatially bulked target of each harmonised slide (paper 3.1), or its neighbourhood composition. */
public final class Bulk {
    private Bulk() {}

    /** The spatially bulked target z = Σ k_ij y_j over the radius graph (paper 3.1) on the harmonised slides. */
    public static Report run(Step ctx, Options.Bulk o) {
        if (!(o.radius() > 0))
            throw new ScxmException(
                    "radius=" + o.radius() + " must be a positive distance in microns, e.g. radius=25.");
        Kernel kernel = Kernel.byName(o.kernel(), o.sigma(), o.radius());
        boolean composition = o.target().equals("composition");
        if (o.label() != null && !composition)
            throw new ScxmException("label= names the cell types of a composition target; give target=composition, "
                    + "or drop label= to bulk expression.");
        String[] types = null;
        if (composition) {
            // the columns are the training slide's types, so every slide's composition has the same columns
            DatasetState st = ctx.harmonisedDataset(Role.ST);
            if (st == null)
                throw new ScxmException("a composition target is over the training slide's cell types: load a "
                        + "spatial slide (`load st NAME path=...`) and harmonise first.");
            types = Bulker.categories(labels(st, o.label()));
            if (types.length < 2)
                throw new ScxmException("the training slide '" + st.name() + "' has " + types.length
                        + " cell type(s); a composition needs at least two (check label=).");
        }
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
            DenseMatrix z;
            if (composition) {
                String[] labels = labels(d, o.label());
                Bulker.Composition c = Bulker.composition(labels, types, g, kernel);
                z = c.fractions();
                DatasetState next = d.withCompositionTarget(z, types);
                if (o.label() != null) // niches, de and the references read them; a missing label reads "" there
                next = next.withCellTypes(java.util.Arrays.stream(labels)
                        .map(l -> l == null ? "" : l)
                        .toArray(String[]::new));
                ctx.publish(ctx.state().withDataset(next));
                if (!c.unlisted().isEmpty()) {
                    int n = c.unlisted().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum();
                    r.text(
                            n + " cell(s) of '" + d.name() + "' have a type the training slide lacks ("
                                    + unlisted(c.unlisted())
                                    + "): they weigh in each neighbourhood but fill no column, so those rows sum to less than 1.");
                }
            } else {
                SparseMatrix panel =
                        d.modality().matrix().selectCols(d.panelColumns()).inMemory();
                z = o.target().equals("log")
                        ? Bulker.logNormalised(panel, g, kernel)
                        : Bulker.binarised(panel, g, kernel);
                ctx.publish(ctx.state().withDataset(d.withTarget(z)));
            }
            name.append(d.name());
            cells.append(d.nCells());
            degree.append(g.meanDegree());
            mean.append(z.mean());
        }
        ctx.publish(ctx.state().withBulk(new State.BulkSettings(o.radius(), kernel, o.target())));
        if (composition)
            r.text("composition target: each cell's neighbourhood (the cell itself included, as for bulked expression) "
                    + "as shares of the training slide's " + types.length + " cell types: " + String.join(", ", types)
                    + ".");
        return r.table(Table.create(
                (composition ? "composition targets (" : "bulked targets (") + kernel.describe() + ", radius "
                        + o.radius() + " µm)",
                name,
                cells,
                degree,
                mean));
    }

    /** A slide's cell types (null where missing): the obs column {@code label}, or the types it was loaded or annotated with. */
    static String[] labels(DatasetState d, String label) {
        String[] v = label == null ? d.cellTypes() : d.modality().lazyObs().strings(label);
        if (v == null && label == null)
            throw new ScxmException("'" + d.name() + "' has no cell types for a composition target: give "
                    + "label=COLUMN (an obs column) or run `annotate " + d.name() + "` first.");
        if (v == null)
            throw new ScxmException("'" + d.name() + "' has no obs column '" + label
                    + "'; give label= an obs column of cell types (`show " + d.name() + "` lists them).");
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] == null || v[i].isEmpty() ? null : v[i];
        return out;
    }

    private static String unlisted(java.util.Map<String, Integer> u) {
        List<String> parts = new ArrayList<>();
        u.forEach((k, v) -> parts.add(k + ": " + v));
        return String.join(", ", parts);
    }
}
