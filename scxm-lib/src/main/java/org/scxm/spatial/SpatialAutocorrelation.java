package org.scxm.spatial;

import java.util.stream.IntStream;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Spatial autocorrelation per gene over a neighbour graph, so users can see which genes carry spatial
 * signal before training. Binary weights w_ij = 1 for graph neighbours i ≠ j (self loops excluded),
 * W = Σ w_ij, z = x − mean(x):
 * Moran's I = (N / W) · Σ_ij w_ij z_i z_j / Σ_i z_i²  (scanpy/squidpy's definition; 1 = perfectly clustered),
 * Geary's C = ((N − 1) / 2W) · Σ_ij w_ij (x_i − x_j)² / Σ_i z_i²  (1 = random, &lt; 1 = clustered).
 */
public final class SpatialAutocorrelation {
    private SpatialAutocorrelation() {}

    public static Table table(SparseMatrix values, String[] genes, NeighbourGraph g) {
        int n = values.rows(), p = values.cols();
        if (g.size() != n) throw new IllegalArgumentException("graph has " + g.size() + " cells, values " + n);
        int[] indptr = g.indptr(), nb = g.neighbours();
        long w = 0;
        for (int i = 0; i < n; i++) for (int e = indptr[i]; e < indptr[i + 1]; e++) if (nb[e] != i) w++;
        final double wSum = w;
        // dense columns: one gene at a time keeps memory at O(n)
        double[][] res = new double[p][];
        float[][] cols = new float[p][];
        for (int j = 0; j < p; j++) cols[j] = new float[n];
        for (int i = 0; i < n; i++) {
            int[] idx = values.rowIndices(i);
            float[] v = values.rowValues(i);
            for (int k = values.rowStart(i), e = values.rowEnd(i); k < e; k++) cols[idx[k]][i] = v[k];
        }
        IntStream.range(0, p).parallel().forEach(j -> {
            float[] x = cols[j];
            double mean = 0;
            for (float v : x) mean += v;
            mean /= n;
            double ss = 0, cross = 0, diff = 0;
            for (int i = 0; i < n; i++) {
                double zi = x[i] - mean;
                ss += zi * zi;
                for (int e = indptr[i]; e < indptr[i + 1]; e++) {
                    int k = nb[e];
                    if (k == i) continue;
                    cross += zi * (x[k] - mean);
                    double d = x[i] - x[k];
                    diff += d * d;
                }
            }
            res[j] = ss == 0 || wSum == 0
                    ? new double[] {Double.NaN, Double.NaN}
                    : new double[] {n / wSum * cross / ss, (n - 1) / (2 * wSum) * diff / ss};
        });
        double[] moran = new double[p], geary = new double[p];
        for (int j = 0; j < p; j++) {
            moran[j] = res[j][0];
            geary[j] = res[j][1];
        }
        Table t = Table.create(
                "spatial autocorrelation",
                StringColumn.create("gene", genes),
                DoubleColumn.create("morans_i", moran),
                DoubleColumn.create("gearys_c", geary));
        return t.sortDescendingOn("morans_i");
    }
}
