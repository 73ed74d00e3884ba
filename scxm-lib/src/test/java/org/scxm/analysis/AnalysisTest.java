package org.scxm.analysis;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.Table;

class AnalysisTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static List<String[]> tsv(Path p, boolean header) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(p);
        for (int i = header ? 1 : 0; i < lines.size(); i++)
            if (!lines.get(i).isBlank()) rows.add(lines.get(i).split("\t"));
        return rows;
    }

    @Test
    void wilcoxonMatchesScanpysZScoresWithAndWithoutTieCorrection() throws IOException {
        List<String[]> x = tsv(GOLDEN.resolve("scanpy_wilcoxon_example_X.tsv"), false);
        List<String[]> groups = tsv(GOLDEN.resolve("scanpy_wilcoxon_example_groups.tsv"), false);
        int n = x.size(), g = x.get(0).length;
        float[][] dense = new float[n][g];
        for (int i = 0; i < n; i++) for (int j = 0; j < g; j++) dense[i][j] = Float.parseFloat(x.get(i)[j]);
        SparseMatrix m = SparseMatrix.fromDense(dense, g);
        String[] genes = new String[g];
        for (int j = 0; j < g; j++) genes[j] = "g" + j;
        int checked = 0;
        for (String[] row : tsv(GOLDEN.resolve("scanpy_wilcoxon_example_expected.tsv"), true)) {
            int grp = Integer.parseInt(row[0]), gene = Integer.parseInt(row[1]);
            boolean[] in = new boolean[n];
            for (int i = 0; i < n; i++) in[i] = Integer.parseInt(groups.get(i)[0]) == grp;
            for (boolean tie : new boolean[] {false, true}) {
                Table t = DifferentialExpression.run(DifferentialExpression.Test.WILCOXON, m, genes, in, null, tie);
                int r = t.stringColumn("gene").indexOf("g" + gene);
                assertEquals(
                        Double.parseDouble(row[tie ? 3 : 2]),
                        t.doubleColumn("score").get(r),
                        1e-6,
                        "group " + grp + " gene " + gene + " tie " + tie);
            }
            checked++;
        }
        assertEquals(40, checked);
    }

    @Test
    void wilcoxonPValuesAndBenjaminiHochbergFollowTheTextbook() {
        // a gene with every group-1 value above every group-2 value, no ties: U = n1*n2
        float[][] d = {{5}, {6}, {7}, {1}, {2}, {3}, {0}, {0}};
        boolean[] g1 = {true, true, true, false, false, false, false, false};
        Table t = DifferentialExpression.run(
                DifferentialExpression.Test.WILCOXON, SparseMatrix.fromDense(d, 1), new String[] {"a"}, g1, null, true);
        // n1=3, n2=5, n=8; R1 = 6+7+8 = 21; mean 13.5; zeros tie (t=2): tc = 1 - 6/504
        double sd = Math.sqrt((1 - 6.0 / 504) * 3 * 5 * 9 / 12.0), z = (21 - 13.5) / sd;
        assertEquals(z, t.doubleColumn("score").get(0), 1e-12);
        assertEquals(
                smile.math.special.Erf.erfc(z / Math.sqrt(2)),
                t.doubleColumn("pval").get(0),
                1e-12);
        // scipy.stats.mannwhitneyu([5,6,7], [1,2,3,0,0], use_continuity=False) (tie-corrected): p =
        // 0.024480833992911833
        assertEquals(0.024480833992911833, t.doubleColumn("pval").get(0), 1e-12);
        assertArrayEquals(
                new double[] {0.04, 0.04, 0.04, 0.04},
                MultipleTesting.benjaminiHochberg(new double[] {0.01, 0.02, 0.03, 0.04}),
                1e-12);
        assertArrayEquals(
                new double[] {0.03, 2.0 / 3, 0.03, 1.0},
                MultipleTesting.benjaminiHochberg(new double[] {0.01, 0.5, 0.015, Double.NaN}),
                1e-12);
    }

    /** DE of genes "zero" and "b" (two columns of {@code d}) between g1 and the rest, tie-corrected. */
    private static Table zeroAndB(DifferentialExpression.Test test, float[][] d, boolean[] g1) {
        return DifferentialExpression.run(
                test, SparseMatrix.fromDense(d, 2), new String[] {"zero", "b"}, g1, null, true);
    }

    @Test
    void allZeroGeneAndWelch() {
        float[][] d = {{0, 1}, {0, 2}, {0, 3}, {0, 1}, {0, 5}, {0, 6}};
        boolean[] g1 = {true, true, true, false, false, false};
        Table w = zeroAndB(DifferentialExpression.Test.WILCOXON, d, g1);
        int r = w.stringColumn("gene").indexOf("zero");
        assertEquals(0.0, w.doubleColumn("score").get(r));
        assertEquals(1.0, w.doubleColumn("pval").get(r));
        Table t = zeroAndB(DifferentialExpression.Test.WELCH, d, g1);
        int rb = t.stringColumn("gene").indexOf("b");
        // Welch by hand: m1=2, v1=1, m2=4, v2=7; se²=8/3; t=-2/sqrt(8/3); df=(8/3)²/((1/3)²/2+(7/3)²/2)
        assertEquals(-2 / Math.sqrt(8 / 3.0), t.doubleColumn("score").get(rb), 1e-12);
        double df = (64 / 9.0) / ((1 / 9.0) / 2 + (49 / 9.0) / 2);
        assertEquals(2.56, df, 1e-9);
        double p = t.doubleColumn("pval").get(rb);
        // scipy.stats.ttest_ind([1,2,3], [1,5,6], equal_var=False): t = -1.2247, p = 0.32134
        assertEquals(0.3213418550431946, p, 1e-9);
        assertThrows(
                ScxmException.class,
                () -> DifferentialExpression.run(
                        DifferentialExpression.Test.WELCH,
                        SparseMatrix.fromDense(d, 2),
                        new String[] {"zero", "b"},
                        new boolean[] {true, false, false, false, false, false},
                        null,
                        true));
    }

    @Test
    void wilcoxonStaysExactForAtlasSizedGroups() {
        // 90,000 cells, two groups of 45,000 with identical value counts: R1 equals its expectation, so z = 0 and
        // p = 1. n1 * (n + 1) is 4e9 here, past int range; found by `./scxm bench de` at 100k cells.
        int n = 90_000;
        SparseMatrix.Builder b = new SparseMatrix.Builder(1);
        boolean[] a = new boolean[n], rest = new boolean[n];
        for (int i = 0; i < n; i++) {
            b.addDenseRow(new float[] {i % 3});
            a[i] = i < n / 2;
            rest[i] = !a[i];
        }
        Table w = DifferentialExpression.run(
                DifferentialExpression.Test.WILCOXON, b.build(), new String[] {"g"}, a, rest, true);
        assertEquals(0, w.doubleColumn("score").get(0), 1e-9);
        assertEquals(1, w.doubleColumn("pval").get(0), 1e-9);
    }

    @Test
    void differentialExpressionMatchesScipyAndStatsmodelsWithHeavyTiesAndDegenerateGenes() throws IOException {
        // golden/de/make_de_fixture.py: scipy mannwhitneyu / ttest_ind(equal_var=False), statsmodels fdr_bh
        List<String[]> xs = tsv(GOLDEN.resolve("de/de_X.tsv"), false);
        List<String[]> gs = tsv(GOLDEN.resolve("de/de_groups.tsv"), false);
        float[][] x = new float[xs.size()][];
        boolean[] a = new boolean[x.length], b = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = new float[xs.get(i).length];
            for (int j = 0; j < x[i].length; j++) x[i][j] = (float) Double.parseDouble(xs.get(i)[j]);
            a[i] = gs.get(i)[0].equals("a");
            b[i] = gs.get(i)[0].equals("b");
        }
        String[] genes = new String[x[0].length];
        for (int j = 0; j < genes.length; j++) genes[j] = "g" + j;
        SparseMatrix m = SparseMatrix.fromDense(x, genes.length);
        Table w = DifferentialExpression.run(DifferentialExpression.Test.WILCOXON, m, genes, a, b, true);
        Table t = DifferentialExpression.run(DifferentialExpression.Test.WELCH, m, genes, a, b, true);
        for (String[] e : tsv(GOLDEN.resolve("de/de_expected.tsv"), true)) {
            int r = w.stringColumn("gene").indexOf(e[0]),
                    rt = t.stringColumn("gene").indexOf(e[0]);
            double p = e[1].equals("nan") ? Double.NaN : Double.parseDouble(e[1]);
            // scipy gives NaN where a gene is constant over both groups; like scanpy we report p = 1 there
            assertEquals(
                    Double.isNaN(p) ? 1.0 : p,
                    w.doubleColumn("pval").get(r),
                    1e-6 * (Double.isNaN(p) ? 1 : Math.max(1e-3, p)),
                    e[0] + " Wilcoxon p");
            assertEquals(Double.parseDouble(e[2]), w.doubleColumn("pval_adj").get(r), 1e-6, e[0] + " BH");
            assertEquals(Double.parseDouble(e[5]), w.doubleColumn("log2fc").get(r), 1e-5, e[0] + " log2 fold change");
            assertEquals(Double.parseDouble(e[6]), w.doubleColumn("pct_group1").get(r), 1e-9, e[0] + " fraction in a");
            assertEquals(Double.parseDouble(e[7]), w.doubleColumn("pct_group2").get(r), 1e-9, e[0] + " fraction in b");
            if (e[0].equals("g7") || e[0].equals("g8"))
                continue; // constant genes: scipy's Welch is NaN or rounding noise
            assertEquals(Double.parseDouble(e[3]), t.doubleColumn("score").get(rt), 1e-5, e[0] + " Welch t");
            assertEquals(Double.parseDouble(e[4]), t.doubleColumn("pval").get(rt), 1e-6, e[0] + " Welch p");
        }
    }

    @Test
    void gseaEnrichmentScoresMatchFgsea() throws IOException {
        // analytic cases of fgsea's test_gsea_stat.R: stats = 10:-10
        double[] stats = new double[21];
        for (int i = 0; i < 21; i++) stats[i] = 10 - i;
        assertEquals(1.0, Gsea.enrichment(stats, new int[] {0, 1, 2, 3, 4}), 1e-12);
        assertEquals(-1.0, Gsea.enrichment(stats, new int[] {16, 17, 18, 19, 20}), 1e-12);
        assertEquals(0.71, Gsea.enrichment(stats, new int[] {1, 3, 5, 7, 9}), 0.005);
        // real data: fgsea's example ranks and Reactome sets, ES recorded by fgsea
        Map<String, Double> ranks = new HashMap<>();
        for (String[] r : tsv(GOLDEN.resolve("fgsea_extdata/naive.vs.th1.rnk"), true))
            ranks.put(r[0], Double.parseDouble(r[1]));
        String[] genes = ranks.keySet().toArray(new String[0]);
        double[] scores = new double[genes.length];
        for (int i = 0; i < genes.length; i++) scores[i] = ranks.get(genes[i]);
        Map<String, List<String>> byId = new HashMap<>();
        for (String[] r : tsv(GOLDEN.resolve("fgsea_extdata/mouse.reactome.gmt"), false)) {
            List<String> g = new ArrayList<>();
            for (int k = 2; k < r.length; k++) g.add(r[k]);
            byId.put(r[1], g);
        }
        Map<String, List<String>> sets = new HashMap<>();
        List<String[]> expected = tsv(GOLDEN.resolve("fgsea_extdata/fgsea_res.tsv"), true);
        for (String[] e : expected) sets.put(e[0], byId.get(e[0]));
        Gsea.Result res = Gsea.prerank(genes, scores, sets, new Gsea.Options(15, 500, 50, 1), Progress.NONE);
        Table t = res.table();
        double maxErr = 0;
        for (String[] e : expected) {
            int r = t.stringColumn("set").indexOf(e[0]);
            assertEquals(Integer.parseInt(e[6]), t.intColumn("size").get(r), e[0]);
            maxErr = Math.max(
                    maxErr,
                    Math.abs(Double.parseDouble(e[3]) - t.doubleColumn("es").get(r)));
        }
        assertTrue(maxErr < 1e-9, "max |ES - fgsea ES| = " + maxErr);
        assertEquals(expected.size(), t.rowCount());
        // NES has the sign of ES; the strongest set is significant
        int top = t.stringColumn("set").indexOf("5990980");
        assertTrue(t.doubleColumn("nes").get(top) > 2 && t.doubleColumn("pval").get(top) < 0.05);
        double[] curve = res.curve("5990980");
        assertEquals(
                t.doubleColumn("es").get(top),
                java.util.Arrays.stream(curve).max().getAsDouble(),
                1e-9);
    }

    @Test
    void nesNominalPAndFdrMatchBroadGseaOnItsOwnNullDistribution() throws IOException {
        // Broad GSEA's results.edb (via GSEApy's test data) records each set's ES and its 1,000 null ES (RND_ES):
        // feeding both to our statistics must give the NES, nominal p and FDR q Broad reported (4 decimals).
        List<String[]> summary = tsv(GOLDEN.resolve("gseapy_edb/edb_summary.tsv"), true);
        Map<String, double[]> rnd = new HashMap<>();
        for (String[] r : tsv(GOLDEN.resolve("gseapy_edb/edb_rnd_es.tsv"), false)) {
            double[] v = new double[r.length - 1];
            for (int k = 1; k < r.length; k++) v[k - 1] = Double.parseDouble(r[k]);
            rnd.put(r[0], v);
        }
        int m = summary.size();
        double[] es = new double[m];
        double[][] nullEs = new double[m][];
        for (int s = 0; s < m; s++) {
            es[s] = Double.parseDouble(summary.get(s)[1]);
            nullEs[s] = rnd.get(summary.get(s)[0]);
        }
        Gsea.Stats st = Gsea.statistics(es, nullEs);
        for (int s = 0; s < m; s++) {
            String[] e = summary.get(s);
            assertEquals(Double.parseDouble(e[2]), st.nes()[s], 2e-3, e[0] + " NES");
            assertEquals(Double.parseDouble(e[3]), st.pval()[s], 1e-3, e[0] + " nominal p");
            assertEquals(Double.parseDouble(e[4]), st.fdr()[s], 1e-3, e[0] + " FDR q");
        }
    }

    @Test
    void nichesSplitOneCellTypeAtTheThreshold() {
        Niches.Result r = Niches.call(
                new float[] {0.7f, 0.2f, 0.5f, 0.9f},
                new String[] {"B cell", "B cell", "B cell", "T cell"},
                "B cell",
                0.5);
        assertArrayEquals(new String[] {"clustered", "isolated", "clustered", null}, r.groups());
        assertEquals(2, r.counts().intColumn("cells").get(0));
        ScxmException e = assertThrows(
                ScxmException.class, () -> Niches.call(new float[] {1}, new String[] {"T"}, "B cell", 0.5));
        assertTrue(e.getMessage().contains("known types: T"));
    }
}
