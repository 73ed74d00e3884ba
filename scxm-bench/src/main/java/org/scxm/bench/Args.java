package org.scxm.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;

/**
 * A benchmark's command line: positional words, and options written {@code --key value} or {@code key=value}; each
 * read with its default, so a benchmark's opening is one line per setting.
 */
public final class Args {
    private final String bench;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    Args(String bench, String[] args) {
        this.bench = bench;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            if (a.startsWith("--") && i + 1 < args.length) options.put(a.substring(2), args[++i]);
            else if (eq > 0 && a.substring(0, eq).matches("[a-z_]+"))
                options.put(a.substring(0, eq), a.substring(eq + 1));
            else positional.add(a);
        }
    }

    /** The i-th positional word (from 0), or the default. */
    public String word(int i, String otherwise) {
        return i < positional.size() ? positional.get(i) : otherwise;
    }

    /** The i-th positional word as a whole number, or the default. */
    public int integer(int i, int otherwise) {
        return i < positional.size() ? integer("argument " + (i + 1), positional.get(i)) : otherwise;
    }

    /** The i-th positional word as comma-separated whole numbers, or the default. */
    public int[] integers(int i, int... otherwise) {
        if (i >= positional.size()) return otherwise;
        String[] parts = positional.get(i).split(",");
        int[] v = new int[parts.length];
        for (int k = 0; k < v.length; k++) v[k] = integer("argument " + (i + 1), parts[k].trim());
        return v;
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** An option's text, or the default. */
    public String option(String key, String otherwise) {
        return options.getOrDefault(key, otherwise);
    }

    /** An option as a whole number, or the default. */
    public int option(String key, int otherwise) {
        return options.containsKey(key) ? integer(key, options.get(key)) : otherwise;
    }

    private int integer(String what, String text) {
        try {
            return Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ScxmException("./scxm bench " + bench + ": " + what
                    + " must be a whole number such as 1000 (got '" + text + "').");
        }
    }
}
