package org.scxm.zeppelin.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.scxm.ScxmException;

/**
 * The paragraph language's grammar, all of it: one statement per line,
 * {@code command [word ...] [key=value ...]}; values may be quoted with " or ' (to hold spaces or #);
 * {@code #} starts a comment outside quotes; blank lines and a leading {@code %scxm} line are ignored.
 */
public final class Parser {
    private Parser() {}

    public static List<Statement> parse(String paragraph) {
        List<Statement> out = new ArrayList<>();
        String[] lines = paragraph.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            if (n == 0 && raw.strip().startsWith("%")) continue; // interpreter directive, e.g. %scxm
            List<String[]> tokens = tokenize(raw, n + 1);
            if (tokens.isEmpty()) continue;
            String[] first = tokens.get(0);
            if (first[1] != null)
                throw new ScxmException("line " + (n + 1) + " starts with '" + first[0] + "=" + first[1]
                        + "' but a line must start with a command word; try `help`.");
            List<String> words = new ArrayList<>();
            LinkedHashMap<String, String> options = new LinkedHashMap<>();
            for (int t = 1; t < tokens.size(); t++) {
                String[] tok = tokens.get(t);
                if (tok[1] == null) {
                    if (!options.isEmpty())
                        throw new ScxmException("line " + (n + 1) + ": '" + tok[0]
                                + "' comes after key=value options; put plain words right after the command.");
                    words.add(tok[0]);
                } else {
                    String key = tok[0].toLowerCase(Locale.ROOT);
                    if (options.containsKey(key))
                        throw new ScxmException("line " + (n + 1) + " gives '" + key + "' twice; keep one.");
                    options.put(key, tok[1]);
                }
            }
            out.add(new Statement(n + 1, first[0].toLowerCase(Locale.ROOT), List.copyOf(words), options, raw.strip()));
        }
        return out;
    }

    /** Tokens of one line as {word, null} or {key, value}. */
    private static List<String[]> tokenize(String line, int lineNo) {
        List<String[]> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') break;
            StringBuilder word = new StringBuilder();
            String key = null;
            boolean quoted = false;
            while (i < n) {
                c = line.charAt(i);
                if (Character.isWhitespace(c) || c == '#') break;
                if (c == '"' || c == '\'') {
                    int end = line.indexOf(c, i + 1);
                    if (end < 0)
                        throw new ScxmException("line " + lineNo + " has an unclosed " + c + " quote; close it.");
                    word.append(line, i + 1, end);
                    quoted = true;
                    i = end + 1;
                    continue;
                }
                if (c == '=' && key == null && !quoted) {
                    key = word.toString();
                    if (key.isEmpty())
                        throw new ScxmException("line " + lineNo + " has '=' with no key before it; write key=value.");
                    word.setLength(0);
                    i++;
                    continue;
                }
                word.append(c);
                i++;
            }
            out.add(key == null ? new String[] {word.toString(), null} : new String[] {key, word.toString()});
        }
        return out;
    }
}
