package org.scxm.zeppelin.lang;

import org.scxm.plot.Figure;
import tech.tablesaw.api.Table;

/** What a command answers with; the interpreter and the headless runner each render these their way. */
public sealed interface Output {
    record Text(String text) implements Output {}

    record Tabular(Table table) implements Output {}

    record Plot(Figure figure) implements Output {}
    /** Markdown-ish prose (help, notes): shown as text, not a result to save. */
    record Prose(String text) implements Output {}
}
