package org.scxm.zeppelin.lang.commands;

import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;

/** `list`: what the session holds (datasets, then models, loss tables and other values). */
public final class ListCommand implements Command {
    @Override public String name() { return "list"; }
    @Override public String usage() { return "list"; }
    @Override public String summary() { return "the session's datasets (with what was computed for each) and other objects (models, losses)"; }
    @Override public List<String> keys() { return List.of(); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        ctx.table(Load.listing(ctx.tx().datasets()));
        StringColumn key = StringColumn.create("object"), kind = StringColumn.create("kind");
        for (Map.Entry<String, Object> e : ctx.tx().session().values().entrySet()) {
            if (e.getValue() == null) continue;
            key.append(e.getKey()); kind.append(e.getValue().getClass().getSimpleName());
        }
        if (!key.isEmpty()) ctx.table(Table.create("other objects", key, kind));
    }
}
