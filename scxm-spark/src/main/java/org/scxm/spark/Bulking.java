package org.scxm.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;
import scala.Tuple2;

/**
 * Spatial bulking (paper 3.1) of large or many slides by square tiles with a halo of one radius. Each cell goes to its
 * own tile and, as a halo cell, to every neighbouring tile whose square widened by the radius holds it; a tile then runs
 * the single-machine {@link NeighbourGraph#radius} and {@link Bulker} on its cells in file order and keeps its own cells.
 * Every neighbour of an own cell lies within one radius of the tile, so each own cell sees exactly its single-machine
 * neighbours, in the same (ascending) order and with the same distances: the result equals the one-machine bulk bit for
 * bit. Each file is its own slide.
 *
 * @param radius  neighbourhood radius in microns
 * @param kernel  gaussian or uniform
 * @param sigma   Gaussian sigma (NaN: radius / 2, as `bulk`)
 * @param target  binarised (the paper's) or log
 * @param panel   genes to bulk, by name, in output order; null: every gene of the file
 * @param tile    tile side in microns, at least two radii
 */
public record Bulking(double radius, String kernel, double sigma, String target, List<String> panel, double tile)
        implements Serializable {

    public static Bulking of(double radius, List<String> panel) {
        return new Bulking(radius, "gaussian", Double.NaN, "binarised", panel, 20 * radius);
    }

    public Bulking withTile(double t) {
        return new Bulking(radius, kernel, sigma, target, panel, t);
    }

    public Bulking withTarget(String t) {
        return new Bulking(radius, kernel, sigma, t, panel, tile);
    }

    public Bulking {
        if (!(radius > 0) || Double.isInfinite(radius))
            throw new ScxmException("radius=" + radius + " must be a positive distance in microns, e.g. radius=25.");
        if (!(tile >= 2 * radius) || Double.isInfinite(tile))
            throw new ScxmException(
                    "tile=" + tile + " must be at least two radii (" + 2 * radius + " µm); the default is 20 radii.");
        if (!target.equals("binarised") && !target.equals("log"))
            throw new ScxmException("target=" + target + " is not binarised or log.");
        Kernel.byName(kernel, sigma, radius); // one sentence for an unknown kernel, on the driver
    }

    /** The panel's columns in a file's genes. */
    int[] columns(Modality m) {
        if (panel == null)
            return java.util.stream.IntStream.range(0, m.nGenes()).toArray();
        Map<String, Integer> at = m.geneLookup();
        int[] cols = new int[panel.size()];
        for (int k = 0; k < cols.length; k++) {
            Integer c = at.get(panel.get(k));
            if (c == null)
                throw new ScxmException("gene " + panel.get(k) + " of the panel is not among the genes of " + m.name()
                        + "; give genes every slide has.");
            cols[k] = c;
        }
        return cols;
    }

    /** The output columns' genes (read from the first slice's genes when the panel is every gene). */
    String[] panelOf(Slice first, Slice.Reading r) {
        if (panel != null) return panel.toArray(new String[0]);
        return first.withRows(first.from(), first.from()).read(r).geneNames();
    }

    /** A cell as it travels to a tile. */
    record Placed(String id, int row, double x, double y, int[] idx, float[] val, boolean own)
            implements Serializable {}

    record TileKey(String source, long tx, long ty) implements Serializable {}

    Dataset<Row> rows(SparkSession spark, List<Slice> plan, Slice.Reading reading) {
        double margin = radius + 1e-9 * tile; // float slack at tile edges: extra halo cells change nothing
        JavaPairRDD<TileKey, Placed> placed = ScxmSpark.slices(spark, plan).flatMapToPair(s -> {
            Modality m = s.read(reading);
            m.requireCoordinates("bulking");
            SparseMatrix p = m.counts().selectCols(columns(m));
            List<Tuple2<TileKey, Placed>> out = new ArrayList<>();
            for (int i = 0; i < m.nCells(); i++) {
                double x = m.x()[i], y = m.y()[i];
                if (!Double.isFinite(x) || !Double.isFinite(y))
                    throw new ScxmException("cell " + m.cellIds()[i] + " has a non-finite coordinate (" + x + ", " + y
                            + "); drop or fix such cells before bulking.");
                long tx = (long) Math.floor(x / tile), ty = (long) Math.floor(y / tile);
                int[] idx = Arrays.copyOfRange(p.rowIndices(i), p.rowStart(i), p.rowEnd(i));
                float[] val = Arrays.copyOfRange(p.rowValues(i), p.rowStart(i), p.rowEnd(i));
                for (long dy = -1; dy <= 1; dy++)
                    for (long dx = -1; dx <= 1; dx++) {
                        long kx = tx + dx, ky = ty + dy;
                        boolean own = dx == 0 && dy == 0;
                        if (!own
                                && !(x >= kx * tile - margin
                                        && x <= (kx + 1) * tile + margin
                                        && y >= ky * tile - margin
                                        && y <= (ky + 1) * tile + margin)) continue;
                        out.add(new Tuple2<>(
                                new TileKey(s.source(), kx, ky),
                                new Placed(m.cellIds()[i], s.from() + i, x, y, idx, val, own)));
                    }
            }
            return out.iterator();
        });
        int cols = panelOf(plan.get(0), reading).length;
        JavaRDD<Row> rows = placed.groupByKey().flatMap(t -> {
            List<Placed> cells = new ArrayList<>();
            t._2().forEach(cells::add);
            cells.sort(Comparator.comparingInt(Placed::row)); // file order, as on one machine
            int n = cells.size();
            double[] x = new double[n], y = new double[n];
            SparseMatrix.Builder b = new SparseMatrix.Builder(cols);
            for (int k = 0; k < n; k++) {
                Placed c = cells.get(k);
                x[k] = c.x();
                y[k] = c.y();
                b.addRow(c.idx(), c.val(), 0, c.idx().length);
            }
            SparseMatrix values = b.build();
            NeighbourGraph g = NeighbourGraph.radius(x, y, radius);
            Kernel k = Kernel.byName(kernel, sigma, radius);
            DenseMatrix z = target.equals("log") ? Bulker.logNormalised(values, g, k) : Bulker.binarised(values, g, k);
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Placed c = cells.get(i);
                if (c.own()) out.add(RowFactory.create(c.id(), t._1().source(), c.row(), z.row(i)));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, ScxmSpark.panelSchema("target"));
    }
}
