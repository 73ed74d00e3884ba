package org.scxm.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;

/**
 * `./scxm bench bulk [cells] [genes]`: spatial bulking of a generated slide at Xenium density (one cell per
 * 100 µm², ~20 cells within 25 µm) with a binarised panel (default: the paper's lung Xenium size, 1.1M cells
 * x 204 genes) — our grid-hashed radius graph + normalised Gaussian convolution next to scipy's cKDTree
 * sparse distance matrix and a sparse product, on the same data; reports both times, the ratio, peak
 * memory and the largest difference.
 */
public final class BulkBenchmark extends Benchmark {
    public BulkBenchmark() {
        super("bulk", "radius graph + Gaussian bulking, 1.1M cells x 204 genes, vs scipy cKDTree + sparse product");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        int n = args.integer(0, 1_100_000), g = args.integer(1, 204);
        double radius = 25, sigma = radius / 2;
        SplittableRandom r = new SplittableRandom(42);
        double side = Math.sqrt(n * 100.0);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() * side;
            y[i] = r.nextDouble() * side;
        }
        double[] rate = new double[g];
        for (int j = 0; j < g; j++) rate[j] = 0.02 + 0.4 * r.nextDouble() * r.nextDouble();
        SparseMatrix panel = Synthetic.rows(r, n, g, (i, j) -> rate[j], (i, j) -> 1 + r.nextInt(4));
        out.printf(
                "slide: %,d cells x %d genes, %,d non-zeros, %.0f x %.0f µm, radius %.0f µm, Gaussian sigma %.1f µm%n",
                n, g, panel.nnz(), side, side, radius, sigma);

        // ours (twice; the second run is the measurement, the first warms the JIT)
        DenseMatrix z = null;
        double ours = 0;
        long edges = 0;
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            NeighbourGraph graph = NeighbourGraph.radius(x, y, radius);
            z = Bulker.binarised(panel, graph, Kernel.gaussian(sigma));
            ours = (System.nanoTime() - t0) / 1e9;
            edges = graph.edges();
        }
        out.printf(
                "ours:      %.2f s (graph + bulking, %d threads), %,d edges (mean %.1f neighbours), peak RSS %.0f MiB%n",
                ours, Runtime.getRuntime().availableProcessors(), edges, edges / (double) n, Reference.peakRssMiB());

        String py = Reference.pythonOrSkip(out, "numpy", "scipy");
        if (py == null) return;
        Path dir = Files.createTempDirectory("scxm-bench-bulk");
        try {
            Reference.writeDoubles(dir.resolve("x.f64"), x);
            Reference.writeDoubles(dir.resolve("y.f64"), y);
            SparseMatrix.Csr csr = panel.toCsr();
            Reference.writeInts(dir.resolve("indptr.i32"), csr.indptr());
            Reference.writeInts(dir.resolve("indices.i32"), csr.indices());
            String[] res = Reference.exec(List.of(
                            py,
                            root.resolve("bench/bulk_reference.py").toString(),
                            dir.toString(),
                            String.valueOf(radius),
                            String.valueOf(sigma),
                            String.valueOf(n),
                            String.valueOf(g)))
                    .trim()
                    .split("\\s+");
            double refSecs = Double.parseDouble(res[0]), refMem = Double.parseDouble(res[1]);
            float[] ref = Reference.readFloats(dir.resolve("ref_z.f32"));
            double maxDiff = 0;
            for (int i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i] - z.data()[i]));
            out.printf(
                    "reference: %.2f s (scipy cKDTree.sparse_distance_matrix + sparse product), %s edges, peak RSS %.0f MiB%n",
                    refSecs, res[2], refMem);
            out.printf(
                    "ratio:     ours is %.1fx %s than the reference%n",
                    Math.max(refSecs / ours, ours / refSecs), ours <= refSecs ? "faster" : "slower");
            out.printf(
                    "equality:  max |ours - reference| = %.2e -> %s (tolerance 1e-6)%n",
                    maxDiff, maxDiff <= 1e-6 ? "identical" : "DIFFERENT");
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }
}
