package org.scxm.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.scxm.Progress;
import org.scxm.ScxmException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Preranked gene set enrichment analysis (Subramanian et al. 2005), weight p = 1.
 * <ul>
 * <li>ES: running sum over genes ranked by decreasing score, hits step up by |r_j| / Σ_hits |r|,
 * misses step down by 1 / (N − N_H); ES is the largest deviation from zero (0 when max = −min).</li>
 * <li>Null: gene-set permutation — random sets of the same size (seeded), one column per permutation.</li>
 * <li>NES = ES / mean of the same-signed null ES of that set; null NES scaled the same way.</li>
 * <li>Nominal p = #(null ≥ ES) / #(null ≥ 0) for ES ≥ 0, mirrored for ES < 0.</li>
 * <li>FDR q (GSEA's rule): mean over permutation columns of min(1, φ_null / φ_obs), where for NES* ≥ 0
 * φ_null = #(null NES in the column ≥ NES*) / #(null NES in the column ≥ 0) and
 * φ_obs = #(observed NES ≥ NES*) / #(observed NES ≥ 0); mirrored for negative NES; columns without a
 * same-signed null are skipped.</li>
 * <li>BH-adjusted nominal p, as the SCXM paper's Table 1 reports.</li>
 * </ul>
 */
public final class Gsea {
    private Gsea() {}

    public record Options(int minSize, int maxSize, int permutations, long seed) {
        public static Options defaults() {
            return new Options(5, 500, 1000, 0);
        }
    }

    /** Results, plus what the enrichment curve of a set needs. */
    public record Result(Table table, String[] rankedGenes, double[] rankedScores, Map<String, int[]> hitPositions) {
        /** The running-sum curve of one set: value after each ranked gene. */
        public double[] curve(String set) {
            int[] hits = hitPositions.get(set);
            if (hits == null)
                throw new ScxmException(
                        "no gene set '" + set + "' in this GSEA result (it may have been filtered by size).");
            return runningSum(rankedScores, hits);
        }
    }

    public static Result prerank(
            String[] genes, double[] scores, Map<String, List<String>> sets, Options o, Progress progress) {
        if (genes.length != scores.length) throw new IllegalArgumentException("genes and scores differ in length");
        // drop NaN scores, rank descending (ties by gene name for a stable order)
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < genes.length; i++) if (!Double.isNaN(scores[i])) keep.add(i);
        Integer[] order = keep.toArray(new Integer[0]);
        Arrays.sort(
                order,
                (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : genes[a].compareTo(genes[b]));
        int n = order.length;
        String[] rg = new String[n];
        double[] rs = new double[n];
        Map<String, Integer> pos = new HashMap<>();
        for (int k = 0; k < n; k++) {
            rg[k] = genes[order[k]];
            rs[k] = scores[order[k]];
            pos.putIfAbsent(rg[k].toUpperCase(Locale.ROOT), k);
        }
        List<String> names = new ArrayList<>();
        List<int[]> hitsList = new ArrayList<>();
        Map<String, int[]> hitMap = new java.util.LinkedHashMap<>();
        sets.forEach((name, members) -> {
            int[] h = members.stream()
                    .map(g -> pos.get(g.toUpperCase(Locale.ROOT)))
                    .filter(java.util.Objects::nonNull)
                    .distinct()
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            if (h.length >= o.minSize() && h.length <= o.maxSize() && h.length < n) {
                names.add(name);
                hitsList.add(h);
                hitMap.put(name, h);
            }
        });
        if (names.isEmpty())
            throw new ScxmException(
                    "no gene set has between " + o.minSize() + " and " + o.maxSize() + " genes in the ranking of " + n
                            + " genes; check that set and ranking use the same gene symbols, or lower min_size.");
        int m = names.size(), perms = o.permutations();
        double[] es = new double[m];
        double[][] nullEs = new double[m][perms];
        for (int s = 0; s < m; s++) {
            es[s] = enrichment(rs, hitsList.get(s));
            SplittableRandom r = new SplittableRandom(o.seed() * 1_000_003L + s);
            int k = hitsList.get(s).length;
            int[] pool = new int[n];
            for (int i = 0; i < n; i++) pool[i] = i;
            for (int p = 0; p < perms; p++) {
                for (int i = 0; i < k; i++) {
                    int j = i + r.nextInt(n - i);
                    int t = pool[i];
                    pool[i] = pool[j];
                    pool[j] = t;
                }
                int[] h = Arrays.copyOf(pool, k);
                Arrays.sort(h);
                nullEs[s][p] = enrichment(rs, h);
            }
            progress.update((s + 1) / (double) m * 0.9, "permutations for " + (s + 1) + " of " + m + " gene sets");
        }
        Stats st = statistics(es, nullEs);
        double[] nes = st.nes(), pval = st.pval(), fdr = st.fdr();
        double[] bh = MultipleTesting.benjaminiHochberg(pval);
        Table t = Table.create(
                "GSEA (preranked)",
                StringColumn.create("set"),
                IntColumn.create("size"),
                DoubleColumn.create("es"),
                DoubleColumn.create("nes"),
                DoubleColumn.create("pval"),
                DoubleColumn.create("fdr_q"),
                DoubleColumn.create("padj_bh"),
                StringColumn.create("leading_edge"));
        for (int s = 0; s < m; s++) {
            t.stringColumn("set").append(names.get(s));
            t.intColumn("size").append(hitsList.get(s).length);
            t.doubleColumn("es").append(es[s]);
            t.doubleColumn("nes").append(nes[s]);
            t.doubleColumn("pval").append(pval[s]);
            t.doubleColumn("fdr_q").append(fdr[s]);
            t.doubleColumn("padj_bh").append(bh[s]);
            t.stringColumn("leading_edge").append(String.join(",", leadingEdge(rg, rs, hitsList.get(s), es[s])));
        }
        progress.update(1, "GSEA done");
        return new Result(t.sortAscendingOn("pval"), rg, rs, hitMap);
    }

    /** NES, nominal p and GSEA FDR q of each set, from its ES and its null ES (one row of permutations per set). */
    record Stats(double[] nes, double[] pval, double[] fdr) {}

    /**
     * GSEA's normalisation and significance (Subramanian et al. 2005): ES and null ES are divided by the mean
     * of the same-signed null ES of their set; p = share of same-signed null ES at least as extreme.
     */
    static Stats statistics(double[] es, double[][] nullEs) {
        int m = es.length, perms = nullEs[0].length;
        double[] nes = new double[m], pval = new double[m];
        double[][] nullNes = new double[m][perms];
        for (int s = 0; s < m; s++) {
            double posMean = 0, negMean = 0;
            int posN = 0, negN = 0;
            for (double v : nullEs[s])
                if (v >= 0) {
                    posMean += v;
                    posN++;
                } else {
                    negMean += v;
                    negN++;
                }
            posMean = posN > 0 ? posMean / posN : Double.NaN;
            negMean = negN > 0 ? Math.abs(negMean / negN) : Double.NaN;
            nes[s] = es[s] >= 0 ? es[s] / posMean : es[s] / negMean;
            for (int p = 0; p < perms; p++)
                nullNes[s][p] = nullEs[s][p] >= 0 ? nullEs[s][p] / posMean : nullEs[s][p] / negMean;
            int more = 0, same = 0;
            for (double v : nullEs[s]) {
                if (es[s] >= 0 && v >= 0) {
                    same++;
                    if (v >= es[s]) more++;
                }
                if (es[s] < 0 && v < 0) {
                    same++;
                    if (v <= es[s]) more++;
                }
            }
            pval[s] = same == 0 ? Double.NaN : more / (double) same;
        }
        return new Stats(nes, pval, fdr(nes, nullNes));
    }

    /** ES of a set given its sorted hit positions in the ranking; O(set size). */
    static double enrichment(double[] ranked, int[] hits) {
        int n = ranked.length, k = hits.length;
        double nr = 0;
        for (int h : hits) nr += Math.abs(ranked[h]);
        double missStep = 1.0 / (n - k);
        double max = 0, min = 0, hitSum = 0;
        for (int i = 0; i < k; i++) {
            double before = hitSum - (hits[i] - i) * missStep; // running sum just before hit i
            min = Math.min(min, before);
            hitSum += nr == 0 ? 1.0 / k : Math.abs(ranked[hits[i]]) / nr;
            max = Math.max(max, hitSum - (hits[i] - i) * missStep);
        }
        min = Math.min(min, hitSum - (n - k) * missStep); // after the last gene (0 up to rounding)
        if (max == -min) return 0;
        return max > -min ? max : min;
    }

    /** The running sum after each ranked gene (for plots). */
    static double[] runningSum(double[] ranked, int[] hits) {
        int n = ranked.length, k = hits.length;
        double nr = 0;
        for (int h : hits) nr += Math.abs(ranked[h]);
        boolean[] isHit = new boolean[n];
        for (int h : hits) isHit[h] = true;
        double[] out = new double[n];
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += isHit[j] ? (nr == 0 ? 1.0 / k : Math.abs(ranked[j]) / nr) : -1.0 / (n - k);
            out[j] = s;
        }
        return out;
    }

    private static List<String> leadingEdge(String[] genes, double[] ranked, int[] hits, double es) {
        double[] curve = runningSum(ranked, hits);
        int peak = 0;
        for (int j = 0; j < curve.length; j++) if (es >= 0 ? curve[j] > curve[peak] : curve[j] < curve[peak]) peak = j;
        List<String> le = new ArrayList<>();
        for (int h : hits) if (es >= 0 ? h <= peak : h > peak) le.add(genes[h]);
        return le;
    }

    /** GSEA's FDR: per set, the mean over permutation columns of min(1, φ_null/φ_obs). */
    static double[] fdr(double[] nes, double[][] nullNes) {
        int m = nes.length, perms = nullNes[0].length;
        double[] q = new double[m];
        for (int s = 0; s < m; s++) {
            double x = nes[s];
            boolean pos = x >= 0;
            int obsSame = 0, obsMore = 0;
            for (double v : nes)
                if (pos ? v >= 0 : v < 0) {
                    obsSame++;
                    if (pos ? v >= x : v <= x) obsMore++;
                }
            double phiObs = obsMore / (double) obsSame;
            double sum = 0;
            int cols = 0;
            for (int p = 0; p < perms; p++) {
                int same = 0, more = 0;
                for (int t = 0; t < m; t++) {
                    double v = nullNes[t][p];
                    if (pos ? v >= 0 : v < 0) {
                        same++;
                        if (pos ? v >= x : v <= x) more++;
                    }
                }
                if (same == 0) continue;
                sum += Math.min(1, (more / (double) same) / phiObs);
                cols++;
            }
            q[s] = cols == 0 ? Double.NaN : sum / cols;
        }
        return q;
    }
}
