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
}
