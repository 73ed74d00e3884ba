package org.scxm.zeppelin.lang;

import java.util.List;

/** One command word of the paragraph language. Implementations are stateless; state lives in the session. */
public interface Command {
    /** The command word. */
    String name();

    /** One usage line, e.g. {@code bulk [NAME] radius=25 kernel=gaussian|uniform}. */
    String usage();

    /** One sentence saying what it does. */
    String summary();

    /** The keys it accepts (anything else is an error with a suggestion). */
    List<String> keys();

    /** Runs against the paragraph's transaction; adds outputs to {@code ctx}. */
    void run(Call call, CommandContext ctx);
}
