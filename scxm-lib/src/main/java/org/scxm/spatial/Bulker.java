package org.scxm.spatial;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;

/**
 * Spatial bulking (paper 3.1, eq. z_ig = Σ_{j∈N(i)} k_ij y_jg) with kernel weights normalised per cell
 * (Σ_j k_ij = 1), so bulking a binarised panel yields values in [0, 1].
 */
public final class Bulker {
    private Bulker() {}

    /** The paper's target: bulked non-zero indicators of the spatial panel. */
    public static DenseMatrix binarised(SparseMatrix panel, NeighbourGraph g, Kernel k) {
        return convolve(Normalise.binarise(panel), g, k);
    }

    /** Alternative target: bulked log1p CP10k expression. */
    public static DenseMatrix logNormalised(SparseMatrix panel, NeighbourGraph g, Kernel k) {
        return convolve(Normalise.log1pCp10k(panel), g, k);
    }

    /**
     * Cell-type composition of each neighbourhood: {@code fractions} is cells x categories, row i holding the
     * kernel-weighted share of each category among the cells of N(i), the cell itself included (the same self
     * loop, graph and kernel as the bulked expression). {@code unlisted} names the labels that are not among the
     * categories (null labels as "NA") with their numbers of cells: such neighbours count in the kernel's
     * normalisation but in no column, so a row sums to 1 minus the weight of its unlisted neighbours.
     */
    public record Composition(DenseMatrix fractions, String[] categories, Map<String, Integer> unlisted) {
        public Composition(DenseMatrix fractions, String[] categories) {
            this(fractions, categories, Map.of());
        }
    }

    /** Composition over the labels' own categories, in order of first appearance (null labels as "NA"). */
    public static Composition composition(String[] labels, NeighbourGraph g, Kernel k) {
        Map<String, Integer> cat = new LinkedHashMap<>();
        for (String l : labels) cat.putIfAbsent(l == null ? "NA" : l, cat.size());
        SparseMatrix.Builder b = new SparseMatrix.Builder(cat.size());
        for (String l : labels) b.addRow(new int[] {cat.get(l == null ? "NA" : l)}, new float[] {1f}, 0, 1);
        return new Composition(convolve(b.build(), g, k), cat.keySet().toArray(new String[0]));
    }

    /**
     * Composition over a fixed list of categories, in that order: the training slide's cell types
     * ({@link #categories}), so that a validation slide's composition has the same columns as the training
     * target. A neighbour whose label is not listed (a type the training slide lacks, or null) is named in
     * {@link Composition#unlisted} and dropped: it keeps its kernel weight in the normalisation, so the listed
     * shares stay shares of the whole neighbourhood rather than being inflated, and no column is always zero on
     * the training slide.
     */
    public static Composition composition(String[] labels, String[] categories, NeighbourGraph g, Kernel k) {
        Map<String, Integer> cat = new LinkedHashMap<>();
        for (String c : categories) {
            if (c == null) throw new IllegalArgumentException("a category is null");
            if (cat.putIfAbsent(c, cat.size()) != null)
                throw new ScxmException("cell type '" + c + "' is listed twice among the composition's categories; "
                        + "give each type once.");
        }
        Map<String, Integer> unlisted = new TreeMap<>();
        SparseMatrix.Builder b = new SparseMatrix.Builder(cat.size());
        for (String l : labels) {
            Integer c = l == null ? null : cat.get(l);
            if (c == null) {
                unlisted.merge(l == null ? "NA" : l, 1, Integer::sum);
                b.addRow(new int[0], new float[0], 0, 0);
            } else b.addRow(new int[] {c}, new float[] {1f}, 0, 1);
        }
        return new Composition(convolve(b.build(), g, k), cat.keySet().toArray(new String[0]), unlisted);
    }

    /** The distinct non-null labels in alphabetical order: the stated column order of a composition target. */
    public static String[] categories(String[] labels) {
        return java.util.Arrays.stream(labels)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .sorted()
                .toArray(String[]::new);
    }

    /** Normalised graph convolution of any cells x genes matrix. */
    public static DenseMatrix convolve(SparseMatrix values, NeighbourGraph g, Kernel k) {
        int n = values.rows(), p = values.cols();
        if (g.size() != n) throw new IllegalArgumentException("graph has " + g.size() + " cells, values " + n);
        DenseMatrix out = new DenseMatrix(n, p);
        float[] o = out.data();
        int[] indptr = g.indptr(), nb = g.neighbours();
        float[] dist = g.distances();
        int[] order = g.localOrder();
        IntStream.range(0, n).parallel().forEach(t -> {
            int i = order[t];
            double total = 0;
            for (int e = indptr[i]; e < indptr[i + 1]; e++) total += k.weight(dist[e]);
            if (total == 0) return;
            double[] acc = new double[p];
            for (int e = indptr[i]; e < indptr[i + 1]; e++) {
                int j = nb[e];
                double w = k.weight(dist[e]) / total;
                float[] v = values.rowValues(j);
                int[] idx = values.rowIndices(j);
                for (int q = values.rowStart(j), end = values.rowEnd(j); q < end; q++) acc[idx[q]] += w * v[q];
            }
            int base = i * p;
            for (int c = 0; c < p; c++) o[base + c] = (float) acc[c];
        });
        return out;
    }
}
