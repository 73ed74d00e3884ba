package org.scxm.workbench;

import java.util.ArrayList;
import java.util.List;
import org.scxm.plot.Figure;
import tech.tablesaw.api.Table;

/**
 * What a workbench verb answers with, in the order a reader should see it: sentences, tables and
 * figures. The interpreter renders each item as a Zeppelin result, the headless runner as text, TSV and
 * HTML, a Java program reads them directly.
 */
public final class Report {
    /** One item of a report. */
    public sealed interface Item permits Text, Tabular, Plot, Prose {}
    /** A sentence or a few lines of plain text. */
    public record Text(String text) implements Item {}
    /** A result table. */
    public record Tabular(Table table) implements Item {}
    /** A figure. */
    public record Plot(Figure figure) implements Item {}
    /** Reference prose (help): shown, not saved as a result. */
    public record Prose(String text) implements Item {}

    private final List<Item> items = new ArrayList<>();

    public Report text(String s) {
        return item(new Text(s));
    }

    public Report table(Table t) {
        return item(new Tabular(t));
    }

    public Report figure(Figure f) {
        return item(new Plot(f));
    }

    public Report prose(String s) {
        return item(new Prose(s));
    }

    private Report item(Item i) {
        items.add(i);
        return this;
    }

    public Report add(Report other) {
        items.addAll(other.items);
        return this;
    }

    public List<Item> items() {
        return List.copyOf(items);
    }

    /** The tables, in order. */
    public List<Table> tables() {
        return items.stream()
                .filter(i -> i instanceof Tabular)
                .map(i -> ((Tabular) i).table())
                .toList();
    }

    /** The first table whose name starts with the given prefix, or null. */
    public Table table(String namePrefix) {
        return tables().stream()
                .filter(t -> t.name() != null && t.name().startsWith(namePrefix))
                .findFirst()
                .orElse(null);
    }

    /** All text items joined by newlines. */
    public String text() {
        return String.join(
                "\n",
                items.stream()
                        .filter(i -> i instanceof Text)
                        .map(i -> ((Text) i).text())
                        .toList());
    }
}
