package org.scxm.zeppelin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.State;
import org.scxm.zeppelin.lang.Command;

/**
 * Completion of a paragraph line as Zeppelin's editor asks for it: command words, subcommands and dataset names,
 * option keys, and option values (genes of the named dataset's panel, dataset names, and the enumerated values a
 * command's usage line lists, such as kernel=gaussian|uniform). The usage lines are the one place those values are written.
 */
final class Completion {
    /** One proposal: what the editor shows, what it inserts in place of the word being typed, and a hint. */
    record Item(String name, String value, String meta) {}

    private static final Pattern LITERAL = Pattern.compile("[a-z][a-z0-9_]*");

    private Completion() {}

    static List<Item> complete(String line, Map<String, Command> commands, State session) {
        String word = line.substring(line.lastIndexOf(' ') + 1);
        List<Item> out = new ArrayList<>();
        String[] words = line.strip().split("\\s+");
        if (!line.strip().contains(" ") && !line.endsWith(" ")) {
            for (Command c : commands.values())
                if (c.name().startsWith(word)) out.add(new Item(c.name(), c.name(), c.summary()));
            return out;
        }
        Command c = commands.get(words[0]);
        if (c == null) return out;
        int eq = word.indexOf('=');
        if (eq > 0) {
            String key = word.substring(0, eq), prefix = word.substring(eq + 1);
            String listPrefix = prefix.contains(",") ? prefix.substring(0, prefix.lastIndexOf(',') + 1) : "";
            String last = prefix.substring(listPrefix.length());
            for (String v : values(c, key, line, session))
                if (v.startsWith(last) && !v.equals(last)) out.add(new Item(v, v, key + "="));
            return out;
        }
        for (String s : subcommands(c.usage(), c.name()))
            if (s.startsWith(word) && words.length <= 2) out.add(new Item(s, s, c.name() + " " + s));
        if (!word.isEmpty() || words.length >= 2)
            for (String d : datasetNames(session))
                if (d.startsWith(word) && !d.equals(word)) out.add(new Item(d, d, "dataset"));
        for (String k : c.keys()) if (k.startsWith(word)) out.add(new Item(k, k + "=", c.usage()));
        return out;
    }

    /** Values for key=: genes for gene=, dataset names for reference= and the like, else the usage line's literals. */
    static List<String> values(Command c, String key, String line, State session) {
        if (key.equals("gene") || key.endsWith("_gene")) return genes(line, session);
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?:^|[\\s\\[])" + Pattern.quote(key) + "=([^\\s\\]\\)]*)")
                .matcher(c.usage());
        while (m.find())
            for (String v : m.group(1).split("[|,]")) if (LITERAL.matcher(v).matches()) out.add(v);
        if (key.equals("reference")
                || key.equals("sc")
                || key.equals("st")
                || key.equals("val")
                || key.equals("dataset")) out.addAll(datasetNames(session));
        if (key.equals("model") && session != null) out.addAll(session.models().keySet());
        return List.copyOf(out);
    }

    /** Literal second words of the usage's alternatives: plot spatial|losses|correlation, load demo|sc|st|prime. */
    static List<String> subcommands(String usage, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String alternative : usage.split("\\s\\|\\s")) {
            String[] w = alternative.strip().split("\\s+");
            if (w.length < 2 || !w[0].equals(name)) continue;
            for (String v : w[1].split("\\|")) if (LITERAL.matcher(v).matches()) out.add(v);
        }
        return List.copyOf(out);
    }

    private static List<String> datasetNames(State session) {
        return session == null ? List.of() : List.copyOf(session.datasets().keySet());
    }

    /** The panel genes of the first dataset the line names (else of the first loaded dataset that has a panel). */
    private static List<String> genes(String line, State session) {
        if (session == null) return List.of();
        java.util.Collection<DatasetState> all = session.datasets().values();
        for (String w : line.strip().split("\\s+"))
            for (DatasetState d : all) if (d.name().equals(w) && panel(d) != null) return List.of(panel(d));
        for (DatasetState d : all) if (panel(d) != null) return List.of(panel(d));
        return List.of();
    }

    private static String[] panel(DatasetState d) {
        return d.panel();
    } // null before harmonise
}
