package org.scxm.spatial;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.scxm.ScxmException;

/**
 * The spatial neighbour graph N(i) of paper 3.1, in CSR form: for cell i, neighbours
 * {@code neighbours[indptr[i] .. indptr[i+1])} (ascending cell index, the cell itself included) with
 * Euclidean distances in microns. Built in O(n) expected time by hashing cells into a uniform grid
 * whose cell size is the radius, so only the 3 x 3 surrounding grid cells are searched.
 */
public final class NeighbourGraph {
    private final int[] indptr;
    private final int[] neighbours;
    private final float[] distances;
    private final int[] localOrder;

    private NeighbourGraph(int[] indptr, int[] neighbours, float[] distances, int[] localOrder) {
        this.indptr = indptr;
        this.neighbours = neighbours;
        this.distances = distances;
        this.localOrder = localOrder;
    }

    public int size() {
        return indptr.length - 1;
    }

    public int[] indptr() {
        return indptr;
    }

    public int[] neighbours() {
        return neighbours;
    }

    public float[] distances() {
        return distances;
    }

    public int degree(int i) {
        return indptr[i + 1] - indptr[i];
    }

    public long edges() {
        return neighbours.length;
    }
    /**
     * Every cell once, grid cell by grid cell: consecutive cells share most neighbours, so walking cells in
     * this order (rather than file order, often random in space) keeps the neighbours' data in cache.
     */
    public int[] localOrder() {
        return localOrder;
    }
    /** Mean neighbours per cell, self included. */
    public double meanDegree() {
        return size() == 0 ? 0 : (double) neighbours.length / size();
    }

    /**
     * A warning sentence when the radius looks wrong for the slide (the neighbourhood is nearly the cell alone,
     * or a large share of the slide), or null when it looks sensible.
     */
    public String radiusWarning(double radius) {
        double mean = meanDegree();
        if (size() > 50 && (mean > 500 || mean > 0.2 * size()))
            return String.format(
                    "radius %.0f µm gives %.0f neighbours per cell on average (%.0f%% of the slide): the bulked target will be "
                            + "nearly the same for every cell; are the coordinates in microns? The paper uses 25 µm.",
                    radius, mean, 100 * mean / size());
        if (size() > 50 && mean < 1.5)
            return String.format(
                    "radius %.0f µm gives %.1f neighbours per cell on average (the cell itself counts as one): bulking changes little; "
                            + "are the coordinates in microns (not pixels)? The paper uses 25 µm.",
                    radius, mean);
        return null;
    }

    /** All cells within {@code radius} microns (inclusive), self included. */
    public static NeighbourGraph radius(double[] x, double[] y, double radius) {
        Runtime rt = Runtime.getRuntime();
        return radius(x, y, radius, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
    }

    /** Bytes a neighbour pair costs: its index and distance here, and its kernel weight when the slide is bulked. */
    static final int BYTES_PER_PAIR = 12;

    /**
     * As {@link #radius(double[], double[], double)}; the pairs are counted first and a graph that would not fit in
     * {@code heapBytes} (with room to spare) is refused before it is built, naming the neighbours per cell.
     */
    static NeighbourGraph radius(double[] x, double[] y, double radius, long heapBytes) {
        check(x, y);
        if (!(radius > 0) || Double.isInfinite(radius))
            throw new ScxmException(
                    "radius must be a positive number of microns, got " + radius + "; the paper uses 25.");
        int n = x.length;
        if (n == 0) return new NeighbourGraph(new int[1], new int[0], new float[0], new int[0]);
        double minX = Arrays.stream(x).min().getAsDouble(),
                minY = Arrays.stream(y).min().getAsDouble();
        double maxX = Arrays.stream(x).max().getAsDouble(),
                maxY = Arrays.stream(y).max().getAsDouble();
        long gx = (long) Math.floor((maxX - minX) / radius) + 1, gy = (long) Math.floor((maxY - minY) / radius) + 1;
        if (gx * gy > 4L * n + 1024) { // sparse slide: fall back to a hashed grid through sorting keys
            return radiusSorted(x, y, radius, minX, minY, gx);
        }
        int cellsX = (int) gx, cellsY = (int) gy;
        int[] bucketStart = new int[cellsX * cellsY + 1];
        int[] bucketOf = new int[n];
        for (int i = 0; i < n; i++) {
            int b = (int) ((y[i] - minY) / radius) * cellsX + (int) ((x[i] - minX) / radius);
            bucketOf[i] = b;
            bucketStart[b + 1]++;
        }
        for (int b = 0; b < cellsX * cellsY; b++) bucketStart[b + 1] += bucketStart[b];
        int[] order = new int[n];
        int[] fill = Arrays.copyOf(bucketStart, bucketStart.length - 1);
        for (int i = 0; i < n; i++) order[fill[bucketOf[i]]++] = i; // ascending i within each bucket
        // coordinates in bucket order: each bucket's scan reads contiguous memory
        double[] xs = new double[n], ys = new double[n];
        for (int k = 0; k < n; k++) {
            xs[k] = x[order[k]];
            ys[k] = y[order[k]];
        }
        double r2 = radius * radius;
        int[] counts = new int[n];
        IntStream.range(0, n).parallel().forEach(t -> {
            int i = order[t], bx = bucketOf[i] % cellsX, by = bucketOf[i] / cellsX, c = 0;
            for (int yy = Math.max(0, by - 1); yy <= Math.min(cellsY - 1, by + 1); yy++)
                for (int xx = Math.max(0, bx - 1); xx <= Math.min(cellsX - 1, bx + 1); xx++) {
                    int b = yy * cellsX + xx;
                    for (int k = bucketStart[b]; k < bucketStart[b + 1]; k++) {
                        double dx = x[i] - xs[k], dy = y[i] - ys[k];
                        if (dx * dx + dy * dy <= r2) c++;
                    }
                }
            counts[i] = c;
        });
        long pairs = 0;
        for (int c : counts) pairs += c;
        if (pairs > Integer.MAX_VALUE - 8 || pairs * BYTES_PER_PAIR > 0.8 * heapBytes)
            throw new ScxmException(String.format(
                    java.util.Locale.ROOT,
                    "radius %s µm gives %.0f neighbours per cell on average (%d pairs for %d cells, about %.1f GiB), "
                            + "more than %s; the paper uses 25 µm: give a smaller radius (are the coordinates in "
                            + "microns?), or more heap (SCXM_HEAP) if you mean it.",
                    radius < 1e6 ? String.format(java.util.Locale.ROOT, "%.0f", radius) : String.valueOf(radius),
                    (double) pairs / n,
                    pairs,
                    n,
                    pairs * (double) BYTES_PER_PAIR / (1L << 30),
                    pairs > Integer.MAX_VALUE - 8
                            ? "the 2^31 pairs one graph can hold"
                            : String.format(
                                    java.util.Locale.ROOT,
                                    "the %.1f GiB of heap left",
                                    heapBytes / (double) (1L << 30))));
        int[] indptr = prefix(counts);
        int[] nb = new int[indptr[n]];
        float[] dist = new float[indptr[n]];
        IntStream.range(0, n).parallel().forEach(t -> {
            int i = order[t], bx = bucketOf[i] % cellsX, by = bucketOf[i] / cellsX, p = indptr[i];
            for (int yy = Math.max(0, by - 1); yy <= Math.min(cellsY - 1, by + 1); yy++)
                for (int xx = Math.max(0, bx - 1); xx <= Math.min(cellsX - 1, bx + 1); xx++) {
                    int b = yy * cellsX + xx;
                    for (int k = bucketStart[b]; k < bucketStart[b + 1]; k++) {
                        double dx = x[i] - xs[k], dy = y[i] - ys[k], d2 = dx * dx + dy * dy;
                        if (d2 <= r2) {
                            nb[p] = order[k];
                            dist[p] = (float) Math.sqrt(d2);
                            p++;
                        }
                    }
                }
            sortRow(nb, dist, indptr[i], p);
        });
        return new NeighbourGraph(indptr, nb, dist, order);
    }

    /** Radius graph for slides whose bounding box is mostly empty: buckets by sorted 64-bit grid keys. */
    private static NeighbourGraph radiusSorted(
            double[] x, double[] y, double radius, double minX, double minY, long gx) {
        int n = x.length;
        long[] keyed = new long[n];
        long[] key = new long[n];
        for (int i = 0; i < n; i++) {
            long kx = (long) ((x[i] - minX) / radius), ky = (long) ((y[i] - minY) / radius);
            key[i] = ky * gx + kx;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> key[a] != key[b] ? Long.compare(key[a], key[b]) : Integer.compare(a, b));
        for (int i = 0; i < n; i++) keyed[i] = key[idx[i]];
        double r2 = radius * radius;
        int[][] rows = new int[n][];
        float[][] rowsD = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            long kx = (long) ((x[i] - minX) / radius), ky = (long) ((y[i] - minY) / radius);
            int[] nb = new int[8];
            float[] dd = new float[8];
            int c = 0;
            for (long yy = ky - 1; yy <= ky + 1; yy++)
                for (long xx = kx - 1; xx <= kx + 1; xx++) {
                    if (xx < 0 || yy < 0 || xx >= gx) continue;
                    long k = yy * gx + xx;
                    int lo = lowerBound(keyed, k);
                    for (int p = lo; p < n && keyed[p] == k; p++) {
                        int j = idx[p];
                        double dx = x[i] - x[j], dy = y[i] - y[j], d2 = dx * dx + dy * dy;
                        if (d2 <= r2) {
                            if (c == nb.length) {
                                nb = Arrays.copyOf(nb, c * 2);
                                dd = Arrays.copyOf(dd, c * 2);
                            }
                            nb[c] = j;
                            dd[c] = (float) Math.sqrt(d2);
                            c++;
                        }
                    }
                }
            sortRow(nb, dd, 0, c);
            rows[i] = Arrays.copyOf(nb, c);
            rowsD[i] = Arrays.copyOf(dd, c);
        });
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) counts[i] = rows[i].length;
        int[] indptr = prefix(counts);
        int[] nb = new int[indptr[n]];
        float[] dist = new float[indptr[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, nb, indptr[i], rows[i].length);
            System.arraycopy(rowsD[i], 0, dist, indptr[i], rows[i].length);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = idx[i];
        return new NeighbourGraph(indptr, nb, dist, order);
    }

    /** The k nearest cells (self included, so k >= 1), ties broken by cell index. Grid search with growing rings. */
    public static NeighbourGraph knn(double[] x, double[] y, int k) {
        check(x, y);
        int n = x.length;
        if (k < 1) throw new ScxmException("k must be at least 1 (the cell itself), got " + k + ".");
        int kk = Math.min(k, n);
        if (n == 0) return new NeighbourGraph(new int[1], new int[0], new float[0], new int[0]);
        Runtime rt = Runtime.getRuntime();
        long pairs = (long) n * kk, heap = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (pairs > Integer.MAX_VALUE - 8 || pairs * BYTES_PER_PAIR > 0.8 * heap)
            throw new ScxmException(String.format(
                    java.util.Locale.ROOT,
                    "k=%d neighbours for %d cells is %d pairs (about %.1f GiB), more than the %.1f GiB of heap left;"
                            + " give a smaller k (or more heap, SCXM_HEAP).",
                    kk,
                    n,
                    pairs,
                    pairs * (double) BYTES_PER_PAIR / (1L << 30),
                    heap / (double) (1L << 30)));
        double w = Arrays.stream(x).max().getAsDouble() - Arrays.stream(x).min().getAsDouble();
        double h = Arrays.stream(y).max().getAsDouble() - Arrays.stream(y).min().getAsDouble();
        // a radius expected to hold ~k cells, then grow it for cells that found fewer
        double r = Math.max(1e-6, Math.sqrt(Math.max(w * h, 1e-12) * kk / Math.max(1, n) / Math.PI) * 1.5);
        int[] indptr = new int[n + 1];
        for (int i = 0; i < n; i++) indptr[i + 1] = indptr[i] + kk;
        int[] nb = new int[n * kk];
        float[] dist = new float[n * kk];
        boolean[] done = new boolean[n];
        int remaining = n;
        int[] order = null;
        while (remaining > 0) {
            NeighbourGraph g = radius(x, y, r);
            if (order == null) order = g.localOrder;
            int[] left = new int[] {0};
            IntStream.range(0, n).parallel().forEach(i -> {
                if (done[i] || g.degree(i) < kk) return;
                int s = g.indptr[i], e = g.indptr[i + 1];
                Integer[] ord = new Integer[e - s];
                for (int p = 0; p < ord.length; p++) ord[p] = s + p;
                Arrays.sort(
                        ord,
                        (a, b) -> g.distances[a] != g.distances[b]
                                ? Float.compare(g.distances[a], g.distances[b])
                                : Integer.compare(g.neighbours[a], g.neighbours[b]));
                int[] tmpN = new int[kk];
                float[] tmpD = new float[kk];
                for (int p = 0; p < kk; p++) {
                    tmpN[p] = g.neighbours[ord[p]];
                    tmpD[p] = g.distances[ord[p]];
                }
                sortRow(tmpN, tmpD, 0, kk);
                System.arraycopy(tmpN, 0, nb, i * kk, kk);
                System.arraycopy(tmpD, 0, dist, i * kk, kk);
                done[i] = true;
            });
            remaining = 0;
            for (boolean d : done) if (!d) remaining++;
            r *= 2;
        }
        return new NeighbourGraph(indptr, nb, dist, order);
    }

    private static void check(double[] x, double[] y) {
        if (x == null || y == null)
            throw new ScxmException("the neighbour graph needs x/y coordinates in microns; this modality has none.");
        if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length");
        for (int i = 0; i < x.length; i++)
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]))
                throw new ScxmException("cell " + i + " has a non-finite coordinate (" + x[i] + ", " + y[i]
                        + "); drop or fix such cells before building the graph.");
    }

    private static int[] prefix(int[] counts) {
        int[] p = new int[counts.length + 1];
        for (int i = 0; i < counts.length; i++) p[i + 1] = p[i] + counts[i];
        return p;
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Sorts one row's neighbours ascending by index (deterministic output whatever the bucket order). */
    private static void sortRow(int[] nb, float[] d, int from, int to) {
        for (int a = from + 1; a < to; a++) {
            int kn = nb[a];
            float kd = d[a];
            int b = a - 1;
            while (b >= from && nb[b] > kn) {
                nb[b + 1] = nb[b];
                d[b + 1] = d[b];
                b--;
            }
            nb[b + 1] = kn;
            d[b + 1] = kd;
        }
    }
}
