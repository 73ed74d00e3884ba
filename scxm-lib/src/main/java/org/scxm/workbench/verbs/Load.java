package org.scxm.workbench.verbs;

import java.nio.file.Files;
import java.util.List;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.data.DemoTissue;
import org.scxm.data.Modality;
import org.scxm.io.Readers;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.Step;

/** The load verbs: the built-in demo tissue, or one modality from a file or folder. */
public final class Load {
    private Load() {}

    /** The built-in synthetic tissue as sc, st and val (DemoTissue documents its generative model). */
    public static Report demo(Step ctx, Options.Demo o) {
        if (o.cells() < 200)
            throw new ScxmException("cells=" + o.cells() + " is too few for a tissue; use at least 200.");
        ctx.progress().update(0.05, "generating the demo tissue");
        DemoTissue.Params d = DemoTissue.Params.defaults(o.seed());
        DemoTissue demo = DemoTissue.generate(
                new DemoTissue.Params(o.seed(), o.cells(), o.cells() * 3 / 2, o.cells(), d.stPanel(), d.valPanel()));
        Report r = new Report();
        Datasets.replace(ctx, DatasetState.loaded("sc", Role.SC, demo.sc().renamed("sc")), r);
        Datasets.replace(ctx, DatasetState.loaded("st", Role.ST, demo.st().renamed("st")), r);
        Datasets.replace(ctx, DatasetState.loaded("val", Role.VAL, demo.val().renamed("val")), r);
        ctx.publish(ctx.state().withDemoProgrammes(demo.programmes()));
        r.table(ctx.listing());
        return r;
    }

    /** One modality from a file or folder (h5ad, 10x .h5, Xenium, Visium, MERSCOPE), under a name and a role. */
    public static Report run(Step ctx, Options.Load o) {
        if (!Files.exists(o.path()))
            throw new ScxmException("no file or folder at " + o.path().toAbsolutePath() + "; check path=.");
        Report r = new Report();
        Modality m = Readers.load(o.path(), o.name(), o.read().withWarnings(w -> r.text(w)), ctx.progress());
        if (o.label() != null && !o.label().equals("cell_type")) m = withLabel(m, o.label(), o.name());
        DatasetState d = DatasetState.loaded(o.name(), o.role(), m);
        Datasets.replace(ctx, d, r);
        r.text("loaded " + m + " as '" + o.name() + "' (" + o.role() + ")");
        List<String> same = ctx.state().byRole(o.role()).stream()
                .map(DatasetState::name)
                .filter(n -> !n.equals(o.name()))
                .toList();
        if (!same.isEmpty())
            r.text("note: " + o.role() + " now has " + (same.size() + 1) + " datasets (" + String.join(", ", same)
                    + ", " + o.name() + "); name the ones to use: `harmonise " + o.role() + "="
                    + Names.asValue(o.name())
                    + " ...`.");
        return r;
    }

    private static Modality withLabel(Modality m, String label, String name) {
        if (!m.obs().containsColumn(label))
            throw new ScxmException("'" + name + "' has no obs column '" + label + "'"
                    + Names.didYouMean(label, m.obs().columnNames()) + "; its columns: "
                    + String.join(", ", m.obs().columnNames()) + ".");
        var obs = m.obs().copy();
        var col = obs.column(label).copy().asStringColumn().setName("cell_type");
        if (obs.containsColumn("cell_type")) obs.removeColumns("cell_type");
        obs.addColumns(col);
        return m.withObs(obs);
    }
}
