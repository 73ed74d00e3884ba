package org.scxm.analysis;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.scxm.ScxmException;
import org.scxm.data.RowChunks;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Differential expression between two groups of cells, every gene, as the field's standard tool
 * (scanpy's rank_genes_groups) does it, on log1p CP10k expression:
 * <ul>
 * <li>Wilcoxon rank-sum: mid-ranks over both groups (ties averaged), z = (R1 − n1(n+1)/2) /
 * sqrt(tc·n1·n2·(n+1)/12) with the tie correction tc = 1 − Σ(t³−t)/(n³−n) (on by default; scanpy's
 * default is off: pass tieCorrect=false to match it), two-sided normal p without continuity correction.
 * Sparse-aware: the zeros of a gene share one rank, so a gene costs O(non-zeros · log).</li>
 * <li>Welch's t-test on the same values.</li>
 * <li>log2 fold change = log2((mean CP10k in group 1 + 1e-9) / (mean CP10k in group 2 + 1e-9)),
 * means of the normalised counts themselves (not of their logs); BH-adjusted p over all genes;
 * fraction of cells expressing the gene in each group.</li>
 * <li>Where one group has no expressing cell the fold change is infinite and scanpy's value above (e.g. 34.9) only
 * measures the pseudocount: {@code log2fc} keeps scanpy's value and {@code log2fc_note} says so (see
 * {@link #foldChangeNote}); it is empty where both groups express the gene.</li>
 * </ul>
 */
public final class DifferentialExpression {
    private DifferentialExpression() {}

    public enum Test {
        WILCOXON,
        WELCH
    }

    /**
     * @param logNorm  cells x genes log1p CP10k expression (non-negative)
     * @param genes    gene names, one per column
     * @param group1   membership of group 1
     * @param group2   membership of group 2, or null for "all other cells"
     */
    public static Table run(
            Test test, SparseMatrix logNorm, String[] genes, boolean[] group1, boolean[] group2, boolean tieCorrect) {
        return run(test, logNorm, UnaryOperator.identity(), genes, group1, group2, tieCorrect);
    }

    /** Added to both groups' mean CP10k before the fold change, as scanpy's rank_genes_groups does. */
    public static final double PSEUDOCOUNT = 1e-9;

    /**
     * Beside a log2 fold change: empty where both groups express the gene; where one has no expressing cell, that the
     * true change is infinite and the number's size comes from the pseudocount (a reader would take 34.9 for a
     * 30-billion-fold change).
     */
    public static String foldChangeNote(double pctGroup1, double pctGroup2) {
        if (pctGroup1 == 0 && pctGroup2 == 0) return "no expressing cell in either group";
        if (pctGroup2 == 0) return "inf: no expressing cell in group 2 (value set by the 1e-9 pseudocount)";
        if (pctGroup1 == 0) return "-inf: no expressing cell in group 1 (value set by the 1e-9 pseudocount)";
        return "";
    }

    /** The {@link #foldChangeNote} of every gene. */
    public static String[] foldChangeNotes(double[] pctGroup1, double[] pctGroup2) {
        String[] notes = new String[pctGroup1.length];
        for (int j = 0; j < notes.length; j++) notes[j] = foldChangeNote(pctGroup1[j], pctGroup2[j]);
        return notes;
    }

    /** Entries of the per-gene columns held at once for a backed matrix: genes are tested in blocks that fit. */
    static int blockEntries = 1 << 25;

    /**
     * The same on counts read in row chunks, each chunk normalised by {@code perChunk} (a row-wise transform such as
     * log1p CP10k). In memory the matrix is normalised once; a backed one is read once to count each gene's
     * non-zeros in the two groups, then once per block of genes whose columns fit {@link #blockEntries}, so memory
     * stays at one chunk plus one block of columns.
     */
    public static Table run(
            Test test,
            RowChunks counts,
            UnaryOperator<SparseMatrix> perChunk,
            String[] genes,
            boolean[] group1,
            boolean[] group2,
            boolean tieCorrect) {
        RowChunks logNorm = counts.backed() ? counts : perChunk.apply(counts.inMemory());
        UnaryOperator<SparseMatrix> norm = counts.backed() ? perChunk : UnaryOperator.identity();
        int n = logNorm.rows(), g = logNorm.cols();
        byte[] grp = new byte[n]; // 1, 2 or 0 (in neither)
        int n1 = 0, n2 = 0;
        for (int i = 0; i < n; i++) {
            boolean a = group1[i], b = group2 == null ? !a : group2[i];
            if (a && b) throw new ScxmException("cell " + i + " is in both groups; the groups must not overlap.");
            grp[i] = (byte) (a ? 1 : b ? 2 : 0);
            if (a) n1++;
            else if (b) n2++;
        }
        if (n1 < 2 || n2 < 2)
            throw new ScxmException(
                    "each group needs at least 2 cells, got " + n1 + " and " + n2 + "; check the group definition.");
        // Transpose the two groups' non-zeros to per-gene columns: count, then fill block by block.
        long[] colCount = new long[g];
        logNorm.forEachChunk((first, raw) -> {
            SparseMatrix c = norm.apply(raw);
            for (int r = 0; r < c.rows(); r++) {
                int i = first + r;
                if (grp[i] == 0) continue;
                int[] idx = c.rowIndices(r);
                float[] v = c.rowValues(r);
                for (int k = c.rowStart(r), e = c.rowEnd(r); k < e; k++) {
                    if (v[k] < 0)
                        throw new ScxmException("expression must be non-negative (log1p of counts), found " + v[k]
                                + " at cell " + i + ".");
                    if (v[k] != 0) colCount[idx[k]]++;
                }
            }
        });
        final int fn1 = n1, fn2 = n2;
        double[][] res = new double[g][];
        long budget = counts.backed() ? blockEntries : Long.MAX_VALUE;
        for (int g0 = 0; g0 < g; ) {
            int g1 = g0 + 1;
            long entries = colCount[g0];
            while (g1 < g && entries + colCount[g1] <= Math.min(budget, Integer.MAX_VALUE - 16))
                entries += colCount[g1++];
            if (entries > Integer.MAX_VALUE - 16)
                throw new ScxmException("gene " + genes[g0] + " has " + entries
                        + " non-zeros in the two groups, more than one array holds: compare fewer cells.");
            int lo = g0, hi = g1;
            int[] colStart = new int[hi - lo + 1];
            for (int j = lo; j < hi; j++) colStart[j - lo + 1] = colStart[j - lo] + (int) colCount[j];
            float[] colVal = new float[colStart[hi - lo]];
            byte[] colGrp = new byte[colStart[hi - lo]];
            int[] fill = Arrays.copyOf(colStart, hi - lo);
            logNorm.forEachChunk((first, raw) -> {
                SparseMatrix c = norm.apply(raw);
                for (int r = 0; r < c.rows(); r++) {
                    int i = first + r;
                    if (grp[i] == 0) continue;
                    int[] idx = c.rowIndices(r);
                    float[] v = c.rowValues(r);
                    for (int k = c.rowStart(r), e = c.rowEnd(r); k < e; k++)
                        if (v[k] != 0 && idx[k] >= lo && idx[k] < hi) {
                            int p = fill[idx[k] - lo]++;
                            colVal[p] = v[k];
                            colGrp[p] = grp[i];
                        }
                }
            });
            IntStream.range(lo, hi)
                    .parallel()
                    .forEach(j -> res[j] =
                            gene(test, colVal, colGrp, colStart[j - lo], colStart[j - lo + 1], fn1, fn2, tieCorrect));
            g0 = g1;
        }
        double[] p = new double[g];
        for (int j = 0; j < g; j++) p[j] = res[j][1];
        double[] q = MultipleTesting.benjaminiHochberg(p);
        double[][] cols = new double[4][g];
        for (int j = 0; j < g; j++) {
            cols[0][j] = res[j][0];
            cols[1][j] = res[j][2];
            cols[2][j] = res[j][3];
            cols[3][j] = res[j][4];
        }
        Table t = Table.create(
                test == Test.WILCOXON ? "Wilcoxon rank-sum" : "Welch t-test",
                StringColumn.create("gene", genes),
                DoubleColumn.create("score", cols[0]),
                DoubleColumn.create("pval", p),
                DoubleColumn.create("pval_adj", q),
                DoubleColumn.create("log2fc", cols[1]),
                StringColumn.create("log2fc_note", foldChangeNotes(cols[2], cols[3])),
                DoubleColumn.create("pct_group1", cols[2]),
                DoubleColumn.create("pct_group2", cols[3]));
        return t.sortDescendingOn("score");
    }

    /** score, p, log2fc, pct1, pct2 of one gene from its non-zeros [s, e). */
    private static double[] gene(Test test, float[] val, byte[] grp, int s, int e, int n1, int n2, boolean tieCorrect) {
        int nz1 = 0, nz2 = 0;
        double sum1 = 0, sum2 = 0, sq1 = 0, sq2 = 0, cp1 = 0, cp2 = 0;
        for (int k = s; k < e; k++) {
            double v = val[k], lin = Math.expm1(v);
            if (grp[k] == 1) {
                nz1++;
                sum1 += v;
                sq1 += v * v;
                cp1 += lin;
            } else {
                nz2++;
                sum2 += v;
                sq2 += v * v;
                cp2 += lin;
            }
        }
        double lfc = log2((cp1 / n1 + PSEUDOCOUNT) / (cp2 / n2 + PSEUDOCOUNT));
        double pct1 = nz1 / (double) n1, pct2 = nz2 / (double) n2;
        double score, p;
        if (test == Test.WELCH) {
            double m1 = sum1 / n1, m2 = sum2 / n2;
            double v1 = (sq1 - n1 * m1 * m1) / (n1 - 1), v2 = (sq2 - n2 * m2 * m2) / (n2 - 1);
            double se2 = v1 / n1 + v2 / n2;
            if (se2 <= 0) {
                score = 0;
                p = 1;
            } else {
                score = (m1 - m2) / Math.sqrt(se2);
                double df =
                        se2 * se2 / (v1 * v1 / ((double) n1 * n1 * (n1 - 1)) + v2 * v2 / ((double) n2 * n2 * (n2 - 1)));
                // two-sided Student-t tail with non-integer df: I_{df/(df+t²)}(df/2, 1/2)
                p = smile.math.special.Beta.regularizedIncompleteBetaFunction(df / 2, 0.5, df / (df + score * score));
            }
            return new double[] {score, p, lfc, pct1, pct2};
        }
        int n = n1 + n2, nnz = e - s, zeros = n - nnz;
        // zeros (both groups) occupy ranks 1..zeros; non-zeros follow, ties averaged
        float[] v = Arrays.copyOfRange(val, s, e);
        Integer[] order = new Integer[nnz];
        for (int k = 0; k < nnz; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Float.compare(v[a], v[b]));
        double r1 = (double) (n1 - nz1) * (zeros + 1) / 2.0;
        double ties = zeros > 1 ? (double) zeros * zeros * zeros - zeros : 0;
        for (int a = 0; a < nnz; ) {
            int b = a;
            while (b + 1 < nnz && v[order[b + 1]] == v[order[a]]) b++;
            double mid = zeros + (a + b) / 2.0 + 1;
            int t = b - a + 1;
            if (t > 1) ties += (double) t * t * t - t;
            for (int k = a; k <= b; k++) if (grp[s + order[k]] == 1) r1 += mid;
            a = b + 1;
        }
        double tc = tieCorrect ? 1 - ties / ((double) n * n * n - n) : 1;
        double sd = Math.sqrt(tc * n1 * (double) n2 * (n + 1) / 12.0);
        score = sd == 0 ? 0 : (r1 - n1 * (n + 1.0) / 2.0) / sd; // n1 * (n + 1) overflows int beyond ~65k cells
        p = sd == 0 ? 1 : smile.math.special.Erf.erfc(Math.abs(score) / Math.sqrt(2));
        return new double[] {score, p, lfc, pct1, pct2};
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
