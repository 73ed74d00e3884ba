package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

import java.util.List;

/** `tokenize`: Geneformer rank value encoding of the cells the model reads (scRNA and validation). */
public final class Tokenize implements Command {
    @Override public String name() { return "tokenize"; }
    @Override public String usage() { return "tokenize [vocab=data|FOLDER max_length=2048]"; }
    @Override public String summary() { return "rank value encoding (Geneformer) of the scRNA and validation cells; vocab=data builds a vocabulary from the scRNA data, a folder reads Geneformer's dictionaries"; }
    @Override public List<String> keys() { return List.of("vocab", "max_length"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        String v = call.string("vocab", "data");
        ctx.render(ctx.wb().tokenize(new Options.Tokenize(v.equals("data") ? null : ctx.settings().model(v), call.integer("max_length", 0))));
    }
}
