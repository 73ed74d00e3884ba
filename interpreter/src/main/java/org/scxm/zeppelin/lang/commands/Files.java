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
            throw new ScxmException("no file or folder at " + path + "; check path= (relative paths start at scxm.data.root " + ctx.settings().dataRoot() + ").");
        throw new ScxmException("reading " + path + " needs the io stage, which this build does not have yet; use `load demo`.");
    }
}
