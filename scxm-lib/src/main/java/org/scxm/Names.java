package org.scxm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Near-name suggestions for user-facing errors ("did you mean ..."), by case-insensitive edit distance. */
public final class Names {
    private Names() {}

    /** The closest candidate within a sensible distance (a third of the word, at least 2), or null. */
    public static String closest(String word, Collection<String> candidates) {
        List<String> near = near(word, candidates, 1);
        return near.isEmpty() ? null : near.get(0);
    }

    /** Up to {@code limit} candidates near {@code word}, nearest first; prefix matches count as near. */
    public static List<String> near(String word, Collection<String> candidates, int limit) {
        String w = word.toLowerCase(Locale.ROOT);
        int budget = Math.max(2, w.length() / 3);
        List<String> hits = new ArrayList<>();
        List<Integer> scores = new ArrayList<>();
        for (String c : candidates) {
            if (c == null) continue;
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(w, lc);
            if (lc.startsWith(w) || w.startsWith(lc)) d = Math.min(d, 1);
            if (d <= budget) {
                hits.add(c);
                scores.add(d);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) order.add(i);
        order.sort(Comparator.<Integer>comparingInt(scores::get).thenComparing(hits::get));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, order.size()); i++) out.add(hits.get(order.get(i)));
        return out;
    }

    /** " (did you mean X?)" or "" when nothing is close. */
    public static String didYouMean(String word, Collection<String> candidates) {
        List<String> near = near(word, candidates, 3);
        if (near.isEmpty()) return "";
        return " (did you mean "
                + String.join(", ", near.stream().map(s -> "'" + s + "'").toList()) + "?)";
    }

    /** Levenshtein distance with unit costs. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * How two gene lists differ, for a refusal that names the genes that matter: those only in one, those only in the
     * other, or the same genes in another order (the first position that differs).
     */
    public static String difference(String nameA, String[] a, String nameB, String[] b) {
        java.util.Set<String> inA = new java.util.LinkedHashSet<>(List.of(a)),
                inB = new java.util.LinkedHashSet<>(List.of(b));
        List<String> onlyA = inA.stream().filter(g -> !inB.contains(g)).toList();
        List<String> onlyB = inB.stream().filter(g -> !inA.contains(g)).toList();
        List<String> parts = new ArrayList<>();
        if (!onlyA.isEmpty()) parts.add(onlyA.size() + " only in " + nameA + " (" + preview(onlyA) + ")");
        if (!onlyB.isEmpty()) parts.add(onlyB.size() + " only in " + nameB + " (" + preview(onlyB) + ")");
        if (!parts.isEmpty()) return String.join(" and ", parts);
        if (a.length != b.length) return "the same genes, some repeated (" + a.length + " vs " + b.length + " entries)";
        for (int i = 0; i < a.length; i++)
            if (!a[i].equals(b[i]))
                return "the same genes in another order (position " + (i + 1) + ": " + a[i] + " in " + nameA + ", "
                        + b[i] + " in " + nameB + ")";
        return "no difference";
    }

    private static String preview(List<String> genes) {
        return String.join(", ", genes.subList(0, Math.min(5, genes.size()))) + (genes.size() > 5 ? ", ..." : "");
    }

    /**
     * A name as the user must type it as a paragraph value: quoted when it holds a space, '#', '=' or a quote (the
     * paragraph language quotes with " or ' and has no escapes, so a name with a " is quoted with ').
     */
    public static String asValue(String name) {
        if (!name.isEmpty() && name.chars().noneMatch(c -> Character.isWhitespace(c) || "#=\"'".indexOf(c) >= 0))
            return name;
        return name.indexOf('"') >= 0 ? "'" + name + "'" : "\"" + name + "\"";
    }
}
