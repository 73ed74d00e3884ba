package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.data.DemoTissue;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Locale;

/** `load demo` (the built-in tissue: sc, st and val at once) or `load ROLE NAME path=...`. */
public final class Load implements Command {
    @Override public String name() { return "load"; }
    @Override public String usage() { return "load demo [seed=0 cells=4000] | load sc|st|prime NAME path=FILE [label=COLUMN layer=counts raw=false]"; }
    @Override public String summary() { return "load the built-in demo tissue, or one modality (scRNA, spatial slide, validation slide) from a file or folder"; }
    @Override public List<String> keys() { return List.of("seed", "cells", "path", "label", "layer", "raw", "format"); }

    @Override public void run(Call call, CommandContext ctx) {
        String what = call.word(0, "what to load (demo, sc, st or prime)", null).toLowerCase(Locale.ROOT);
        if (what.equals("demo")) {
            call.maxWords(1);
            long seed = call.longValue("seed", ctx.settings().seed());
            int cells = call.integer("cells", 4000);
            if (cells < 200) throw new ScxmException("cells=" + cells + " is too few for a tissue; use at least 200.");
            ctx.progress().update(0.05, "generating the demo tissue");
            DemoTissue.Params d = DemoTissue.Params.defaults(seed);
            DemoTissue demo = DemoTissue.generate(new DemoTissue.Params(seed, cells, cells * 3 / 2, cells, d.stPanel(), d.valPanel()));
            ctx.tx().put(DatasetState.loaded("sc", "sc", demo.sc().renamed("sc")));
            ctx.tx().put(DatasetState.loaded("st", "st", demo.st().renamed("st")));
            ctx.tx().put(DatasetState.loaded("val", "val", demo.val().renamed("val")));
            ctx.tx().putValue("demo.programmes", demo.programmes());
            ctx.table(listing(ctx.tx().datasets()));
            return;
        }
        String role = switch (what) {
            case "sc", "scrna" -> "sc";
            case "st", "spatial" -> "st";
            case "prime", "val", "validation" -> "val";
            default -> throw new ScxmException("load what? '" + what + "' is not demo, sc, st or prime; usage: " + usage());
        };
        call.maxWords(2);
        String name = call.word(1, "a name for the dataset", null);
        DatasetState d = DatasetState.loaded(name, role, Files.read(call, ctx, name, role));
        ctx.tx().put(d);
        ctx.text("loaded " + d.modality() + " as '" + name + "' (" + role + ")");
    }

    /** One row per dataset: what `load`, `list` and `datasets` show. */
    public static Table listing(List<DatasetState> ds) {
        StringColumn name = StringColumn.create("name"), role = StringColumn.create("role"), steps = StringColumn.create("computed");
        IntColumn cells = IntColumn.create("cells"), genes = IntColumn.create("genes"), panel = IntColumn.create("panel");
        for (DatasetState d : ds) {
            name.append(d.name()); role.append(d.role()); cells.append(d.nCells()); genes.append(d.modality().nGenes());
            panel.append(d.panel() == null ? 0 : d.panel().length);
            StringBuilder s = new StringBuilder();
            if (d.modality().hasCoordinates()) s.append("x/y ");
            if (d.cellTypes() != null) s.append("cell types ");
            if (d.binarised() != null) s.append("binarised ");
            if (d.target() != null) s.append("target ");
            if (d.prediction() != null) s.append("prediction decoded ");
            if (d.niches() != null) s.append("niches ");
            if (d.evaluation() != null) s.append("evaluation");
            steps.append(s.toString().strip());
        }
        return Table.create("datasets", name, role, cells, genes, panel, steps);
    }
}
