package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** Reading modalities from files: the one place the language meets the io stage. */
final class Files {
    private Files() { }

    static Modality read(Call call, CommandContext ctx, String name, String role) {
        java.nio.file.Path path = ctx.settings().data(call.required("path"));
        if (!java.nio.file.Files.exists(path))
            throw new ScxmException("no file or folder at " + path + "; check path= (relative paths start at the workspace " + ctx.settings().dataRoot() + ": scxm.workdir, or scxm.data.root when set).");
        org.scxm.io.LoadOptions opts = org.scxm.io.LoadOptions.defaults().withWarnings(ctx::text);
        if (call.has("layer")) opts = opts.withLayer(call.string("layer", null));
        if (call.bool("raw", false)) opts = opts.withRaw();
        if (call.has("format")) opts = opts.withFormat(call.string("format", null));
        Modality m = org.scxm.io.Readers.load(path, name, opts, ctx.progress());
        String label = call.string("label", null);
        if (label != null && !label.equals("cell_type")) {
            if (!m.obs().containsColumn(label))
                throw new ScxmException("'" + name + "' has no obs column '" + label + "'" + org.scxm.session.Names.didYouMean(label, m.obs().columnNames())
                        + "; its columns: " + String.join(", ", m.obs().columnNames()) + ".");
            var obs = m.obs().copy();
            var col = obs.column(label).copy().asStringColumn().setName("cell_type");
            if (obs.containsColumn("cell_type")) obs.removeColumns("cell_type");
            obs.addColumns(col);
            m = m.withObs(obs);
        }
        return m;
    }
}
