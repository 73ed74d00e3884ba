package org.scxm.zeppelin.lang.commands;

import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Engine;

/** `help` and `help COMMAND`: the language reference, generated from the command table. */
public final class Help extends BaseCommand {
    public static final String GRAMMAR = """
            One statement per line: command [WORD ...] [key=value ...]
              values with spaces go in quotes: type="B cell"; # starts a comment
              several lines in one paragraph run in order and are kept only if all succeed
              Zeppelin forms work anywhere: gene=${gene=CXCR4,CXCR4|MARCO|EPCAM}
            """;

    private final Engine engine;

    public Help(Engine engine) {
        super("help", "help [COMMAND]", "this reference, or one command's usage");
        this.engine = engine;
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        if (!call.words().isEmpty()) {
            String w = call.words().get(0);
            Command c = engine.commands().get(w);
            if (c == null)
                throw new ScxmException("no command '" + w + "'"
                        + Names.didYouMean(w, engine.commands().keySet()) + "; `help` lists them all.");
            ctx.prose(c.usage() + "\n  " + c.summary()
                    + (c.keys().isEmpty() ? "" : "\n  keys: " + String.join(", ", c.keys())));
            return;
        }
        ctx.prose(reference(engine));
    }

    /** The whole reference: grammar plus one line per command. */
    public static String reference(Engine engine) {
        StringBuilder sb =
                new StringBuilder("%scxm paragraph language\n").append(GRAMMAR).append("\nCommands:\n");
        for (Command c : engine.commands().values())
            sb.append("  ")
                    .append(c.usage())
                    .append("\n      ")
                    .append(c.summary())
                    .append('\n');
        return sb.toString();
    }
}
