package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.State;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** `list`: what the workbench holds (datasets, then models and their runs, and what was harmonised, bulked and tokenised). */
public final class ListCommand extends BaseCommand {
    public ListCommand() {
        super(
                "list",
                "list",
                "the session's datasets (with what was computed for each), its models and runs, and the panel, bulk and token settings");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        ctx.table(ctx.wb().listing());
        State s = ctx.wb().state();
        StringColumn key = StringColumn.create("object"), what = StringColumn.create("what");
        if (s.harmonisation() != null) {
            key.append("panel");
            what.append(s.harmonisation().panel().length + " genes from sc="
                    + s.harmonisation().sc() + " st=" + s.harmonisation().st()
                    + (s.harmonisation().val() == null
                            ? ""
                            : " val=" + s.harmonisation().val()));
        }
        if (s.bulk() != null) {
            key.append("bulk");
            what.append(s.bulk().describe());
        }
        if (s.tokens() != null) {
            key.append("tokens");
            what.append("vocabulary " + s.tokens().vocabulary().size() + " ("
                    + s.tokens().source() + "), max_length " + s.tokens().maxLength());
        }
        for (State.ModelEntry e : s.models().values()) {
            key.append("model " + e.name() + (e.name().equals(s.currentModel()) ? " (current)" : ""));
            what.append(e.run() == null ? "initial weights" : e.run().settings());
        }
        s.baselines().forEach((d, m) -> {
            key.append("baselines of " + d);
            what.append(String.join(", ", m.keySet()));
        });
        if (!key.isEmpty()) ctx.table(Table.create("other objects", key, what));
    }
}
