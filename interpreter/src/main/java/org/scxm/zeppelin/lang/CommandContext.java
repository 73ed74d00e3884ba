package org.scxm.zeppelin.lang;

import org.scxm.Progress;
import org.scxm.plot.Figure;
import org.scxm.session.Session;
import tech.tablesaw.api.Table;

import java.util.List;

/** What a running command sees: the paragraph's transaction, settings, progress, and where outputs go. */
public record CommandContext(Session.Transaction tx, Settings settings, Progress progress, List<Output> outputs) {
    public void text(String s) { outputs.add(new Output.Text(s)); }
    public void table(Table t) { outputs.add(new Output.Tabular(t)); }
    public void figure(Figure f) { outputs.add(new Output.Plot(f)); }
    public void prose(String s) { outputs.add(new Output.Prose(s)); }
}
