package org.scxm.zeppelin.lang.commands;

import java.util.Locale;
import org.scxm.ScxmException;
import org.scxm.io.LoadOptions;
import org.scxm.workbench.Options;
import org.scxm.workbench.Role;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `load demo` (the built-in tissue: sc, st and val at once) or `load ROLE NAME path=...`. */
public final class Load extends BaseCommand {
    public Load() {
        super(
                "load",
                "load demo [seed=0 cells=4000] | load sc|st|prime NAME path=FILE [label=COLUMN layer=counts raw=false format=h5ad|10x|xenium|visium|merscope backed=false]",
                "load the built-in demo tissue, or one modality (scRNA, spatial slide, validation slide) from a file or folder; replacing a dataset drops what was derived from it; backed=true keeps an .h5ad's matrix on disk and streams it in row chunks",
                "seed cells path label layer raw format backed");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        String what = call.word(0, "what to load (demo, sc, st or prime)", null).toLowerCase(Locale.ROOT);
        if (what.equals("demo")) {
            call.maxWords(1);
            ctx.render(ctx.wb()
                    .loadDemo(new Options.Demo(
                            call.longValue("seed", ctx.settings().seed()), call.integer("cells", 4000))));
            return;
        }
        Role role;
        try {
            role = Role.parse(what);
        } catch (ScxmException e) {
            throw new ScxmException("load what? '" + what + "' is not demo, sc, st or prime; usage: " + usage());
        }
        call.maxWords(2);
        String name = call.word(1, "a name for the dataset", null);
        LoadOptions read = LoadOptions.defaults();
        if (call.has("layer")) read = read.withLayer(call.string("layer", null));
        if (call.bool("raw", false)) read = read.withRaw();
        if (call.has("format")) read = read.withFormat(call.string("format", null));
        if (call.bool("backed", false)) read = read.withBacked(true);
        java.nio.file.Path path = ctx.settings().data(call.required("path"));
        if (!java.nio.file.Files.exists(path))
            throw new ScxmException(
                    "no file or folder at " + path + "; check path= (relative paths start at the workspace "
                            + ctx.settings().dataRoot() + ": scxm.workdir, or scxm.data.root when set).");
        ctx.render(ctx.wb().load(new Options.Load(role, name, path, call.string("label", null), read)));
    }
}
