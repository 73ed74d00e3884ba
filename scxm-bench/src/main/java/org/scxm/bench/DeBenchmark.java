package org.scxm.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.Table;

/**
 * `./scxm bench de [cells] [genes]`: Wilcoxon rank-sum (tie-corrected, two-sided, normal approximation)
 * + BH for every gene of a 100k x 5k sparse log1p CP10k matrix, one group vs the rest, next to
 * scipy.stats.mannwhitneyu (use_continuity=False, asymptotic) + statsmodels BH on the same input
 * (bench/de_reference.py); reports both times, the ratio and the largest p-value difference.
 */
public final class DeBenchmark extends Benchmark {
    public DeBenchmark() {
        super("de", "Wilcoxon rank-sum + BH, 100k cells x 5k genes (sparse, heavy ties), vs scipy mannwhitneyu");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        int n = args.integer(0, 100_000), g = args.integer(1, 5_000);
        SplittableRandom r = new SplittableRandom(7);
        double[] rate = new double[g], shift = new double[g];
        for (int j = 0; j < g; j++) {
            rate[j] = 0.005 + 0.3 * r.nextDouble() * r.nextDouble();
            shift[j] = r.nextDouble() < 0.1 ? 0.5 * r.nextDouble() : 0;
        }
        boolean[] group = new boolean[n];
        SparseMatrix.Builder b = new SparseMatrix.Builder(g);
        int[] idx = new int[g];
        float[] val = new float[g];
        for (int i = 0; i < n; i++) {
            group[i] = r.nextDouble() < 0.3;
            int k = 0;
            for (int j = 0; j < g; j++) {
                double p = Math.min(0.95, rate[j] * (group[i] ? 1 + shift[j] * 3 : 1));
                if (r.nextDouble() < p) {
                    idx[k] = j;
                    val[k] = (float) Math.log1p(1 + r.nextInt(group[i] && shift[j] > 0 ? 6 : 4));
                    k++;
                }
            }
            b.addRow(idx, val, 0, k);
        }
        SparseMatrix x = b.build();
        String[] genes = new String[g];
        for (int j = 0; j < g; j++) genes[j] = "G" + j;
        out.printf(
                "matrix: %,d cells x %,d genes, %,d non-zeros (%.1f%%), group of %,d vs rest; values log1p of 1-6 (heavy ties)%n",
                n,
                g,
                x.nnz(),
                100.0 * x.nnz() / ((double) n * g),
                IntStream.range(0, n).filter(i -> group[i]).count());
        Table t = null;
        double ours = 0;
        for (int rep = 0; rep < 2; rep++) { // the second run is the measurement; the first warms the JIT
            long t0 = System.nanoTime();
            t = DifferentialExpression.run(DifferentialExpression.Test.WILCOXON, x, genes, group, null, true);
            ours = (System.nanoTime() - t0) / 1e9;
        }
        out.printf(
                "ours:      %.2f s (ranking, tie correction, p, BH, fold changes, fractions), peak RSS %.0f MiB%n",
                ours, Reference.peakRssMiB());
        String py = Reference.pythonOrSkip(out, "numpy", "scipy");
        if (py == null) return;
        Path dir = Files.createTempDirectory("scxm-bench-de");
        try {
            SparseMatrix.Csr csr = x.toCsr();
            int[] grp = new int[n];
            for (int i = 0; i < n; i++) grp[i] = group[i] ? 1 : 0;
            Reference.writeInts(dir.resolve("indptr.i32"), csr.indptr());
            Reference.writeInts(dir.resolve("indices.i32"), csr.indices());
            Reference.writeFloats(dir.resolve("data.f32"), csr.data());
            Reference.writeInts(dir.resolve("group.i32"), grp);
            String[] res = Reference.exec(List.of(
                            py, root.resolve("bench/de_reference.py").toString(), dir.toString(), "" + n, "" + g))
                    .trim()
                    .split("\\s+");
            double refSecs = Double.parseDouble(res[0]);
            float[] refP = Reference.readFloats(dir.resolve("ref_p.f32"));
            double maxDiff = 0;
            int worst = 0;
            for (int k = 0; k < t.rowCount(); k++) {
                int j = Integer.parseInt(t.stringColumn("gene").get(k).substring(1));
                double d = Math.abs(t.doubleColumn("pval").get(k) - refP[j]);
                if (d > maxDiff) {
                    maxDiff = d;
                    worst = k;
                }
            }
            out.printf(
                    "reference: %.2f s (scipy.stats.mannwhitneyu over gene chunks of dense columns + BH), peak RSS %s MiB%n",
                    refSecs, res[1]);
            out.printf(
                    "ratio:     ours is %.1fx %s than the reference%n",
                    Math.max(refSecs / ours, ours / refSecs), ours <= refSecs ? "faster" : "slower");
            String wg = t.stringColumn("gene").get(worst);
            out.printf(
                    "equality:  max |p ours - p scipy| = %.1e over %,d genes (at %s: ours %.3g, scipy %.3g)%n",
                    maxDiff, g, wg, t.doubleColumn("pval").get(worst), refP[Integer.parseInt(wg.substring(1))]);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }
}
