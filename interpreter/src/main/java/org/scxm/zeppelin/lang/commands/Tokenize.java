package org.scxm.zeppelin.lang.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import org.scxm.data.Homology;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `tokenize`: Geneformer rank value encoding of the cells the model reads (scRNA and validation). */
public final class Tokenize extends BaseCommand {
    public Tokenize() {
        super(
                "tokenize",
                "tokenize [vocab=data|FOLDER max_length=" + Options.Tokenize.DEFAULT_MAX_LENGTH
                        + "|the model's token=TOKEN_DICT medians=MEDIAN_DICT species=auto|human|mouse homology=MGI_TABLE genes=all|panel]",
                "rank value encoding (Geneformer) of the scRNA and validation cells; vocab=data builds a vocabulary from the scRNA data, "
                        + "vocab=FOLDER uses a pretrained model's own dictionaries (mouse genes mapped to human)",
                "vocab max_length token medians species homology genes");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        String v = call.string("vocab", "data");
        Path table = call.has("homology") ? ctx.settings().data(call.string("homology", null)) : shippedHomologyTable();
        ctx.render(ctx.wb()
                .tokenize(new Options.Tokenize(
                        v.equals("data") ? null : ctx.settings().model(v),
                        call.positive("max_length", 0, Options.Tokenize.DEFAULT_MAX_LENGTH),
                        call.has("token") ? ctx.settings().model(call.string("token", null)) : null,
                        call.has("medians") ? ctx.settings().model(call.string("medians", null)) : null,
                        call.choice("species", "auto", "auto", "human", "mouse"),
                        table,
                        call.choice("genes", "all", "all", "panel").equals("panel"))));
    }

    /** The MGI table in the workbench's checkout (scxm.root, set by ./scxm), else beside the working folder. */
    static Path shippedHomologyTable() {
        for (String root : new String[] {System.getProperty("scxm.root", "."), ".", ".."}) {
            Path p = Path.of(root).resolve(Homology.MGI_TABLE);
            if (Files.isRegularFile(p)) return p.toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("scxm.root", "."))
                .resolve(Homology.MGI_TABLE)
                .toAbsolutePath()
                .normalize();
    }
}
