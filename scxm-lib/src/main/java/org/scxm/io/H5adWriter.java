package org.scxm.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.columns.Column;

/**
 * Writes results as an AnnData .h5ad (current encoding) that anndata reads back: X as CSR float32,
 * layers and obsm as dense float32 arrays, x/y as obsm['spatial'], obs columns from the modality's
 * table, var with gene_ids. Written to a temporary file beside the target and renamed into place, so a
 * reader never sees half a file.
 *
 * <p>Limits of the HDF5 writer (jhdf): text and categorical obs columns are written as string arrays
 * (anndata reads them as text columns; {@code .astype('category')} restores the dtype), booleans as
 * uint8, and obs always gets a {@code total_counts} column (jhdf cannot write the empty column-order
 * attribute an empty dataframe needs).
 */
public final class H5adWriter {
    private H5adWriter() {}

    /**
     * As {@link #write(Path, Modality, Map, Map, boolean)} with overwrite: an existing file is replaced.
     *
     * @return true when an existing file was replaced
     */
    public static boolean write(Path file, Modality m, Map<String, DenseMatrix> layers, Map<String, DenseMatrix> obsm) {
        return write(file, m, layers, obsm, true);
    }

    /**
     * Writes {@code m} with its layers and obsm arrays to {@code file}. An existing file is replaced only with
     * {@code overwrite} (the rule of {@link Targets}); without it the write is refused before any work.
     *
     * @return true when an existing file was replaced, for the caller to say so
     */
    public static boolean write(
            Path file, Modality m, Map<String, DenseMatrix> layers, Map<String, DenseMatrix> obsm, boolean overwrite) {
        boolean replaces = Targets.checkFile(file, overwrite);
        int n = m.nCells(), g = m.nGenes();
        // the HDF5 writer cannot make a zero-length array; anndata could not use such a file either
        if (n == 0 || g == 0)
            throw new ScxmException("'" + m.name() + "' has " + n + " cells x " + g
                    + " genes, so there is nothing to write to " + file + "; export a data set with cells and genes.");
        if (layers == null) layers = Map.of();
        if (obsm == null) obsm = Map.of();
        for (var e : layers.entrySet())
            if (e.getValue().rows() != n || e.getValue().cols() != g)
                throw new ScxmException("layer '" + e.getKey() + "' is "
                        + e.getValue().rows() + " x " + e.getValue().cols() + " but '" + m.name() + "' is " + n + " x "
                        + g + ": a layer must have one value per cell and gene.");
        for (var e : obsm.entrySet())
            if (e.getValue().rows() != n)
                throw new ScxmException(
                        "obsm '" + e.getKey() + "' has " + e.getValue().rows() + " rows but '" + m.name() + "' has " + n
                                + " cells: give one row per cell.");
        Path abs = file.toAbsolutePath();
        Targets.sweep(abs);
        Path tmp = abs.resolveSibling(
                "." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            List<Deferred> deferred = new ArrayList<>();
            try (WritableHdfFile h = HdfFile.write(tmp)) {
                encoding(h, "anndata", "0.1.0");
                SparseMatrix x = m.matrix().inMemory(); // a backed dataset's (panel) slice, read chunk by chunk
                writeX(h, x);
                writeObs(h.putGroup("obs"), m, x);
                writeVar(h.putGroup("var"), m);
                // jhdf 0.9.4 corrupts files holding an empty group, so groups are only made when they have content
                if (!layers.isEmpty()) {
                    WritableGroup lg = dict(h.putGroup("layers"));
                    for (var e : layers.entrySet()) deferred.add(floats(lg, "layers/", e.getKey(), e.getValue()));
                }
                if (m.hasCoordinates() || !obsm.isEmpty()) {
                    WritableGroup og = dict(h.putGroup("obsm"));
                    if (m.hasCoordinates() && !obsm.containsKey("spatial")) {
                        double[] cx = m.x(), cy = m.y();
                        array(og.putDataset("spatial", placeholder(new double[2], n)));
                        deferred.add(new Deferred(
                                "obsm/spatial",
                                n,
                                2,
                                8,
                                (b, i) -> b.putDouble(cx[i]).putDouble(cy[i])));
                    }
                    for (var e : obsm.entrySet()) deferred.add(floats(og, "obsm/", e.getKey(), e.getValue()));
                }
            }
            fill(tmp, deferred);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            return replaces;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                /* the original error matters */
            }
            if (e instanceof ScxmException se) throw se;
            throw new ScxmException(
                    "could not write " + file + " (" + e.getMessage()
                            + "): check that the folder is writable and has space.",
                    e);
        }
    }

    private static void writeX(WritableGroup h, SparseMatrix c) {
        long nnz = c.nnz();
        if (nnz > Integer.MAX_VALUE - 16)
            throw new ScxmException("'X' has " + nnz
                    + " non-zeros, more than one HDF5 array written here can hold: export fewer cells or genes.");
        SparseMatrix.Csr csr = c.toCsr();
        long[] indptr = new long[c.rows() + 1];
        for (int i = 0; i <= c.rows(); i++) indptr[i] = csr.indptr()[i];
        WritableGroup x = h.putGroup("X");
        encoding(x, "csr_matrix", "0.1.0");
        x.putAttribute("shape", new long[] {c.rows(), c.cols()});
        // jhdf cannot write empty datasets: an all-zero matrix keeps one explicit zero
        x.putDataset("data", nnz == 0 ? new float[] {0f} : csr.data());
        x.putDataset("indices", nnz == 0 ? new int[] {0} : csr.indices());
        if (nnz == 0 && c.rows() > 0) for (int i = 1; i <= c.rows(); i++) indptr[i] = 1;
        x.putDataset("indptr", indptr);
    }

    private static void writeObs(WritableGroup obs, Modality m, SparseMatrix x) {
        Map<String, Object> cols = new LinkedHashMap<>();
        for (Column<?> c : m.obs().columns()) cols.put(c.name(), columnData(c));
        cols.putIfAbsent("total_counts", x.rowSums());
        dataframe(obs, m.cellIds(), cols);
    }

    private static void writeVar(WritableGroup var, Modality m) {
        String[] ids = new String[m.nGenes()];
        for (int j = 0; j < ids.length; j++) ids[j] = m.geneIds()[j] == null ? "" : m.geneIds()[j];
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("gene_ids", ids);
        dataframe(var, m.geneNames(), cols);
    }

    private static void dataframe(WritableGroup g, String[] index, Map<String, Object> cols) {
        encoding(g, "dataframe", "0.2.0");
        g.putAttribute("_index", "_index");
        g.putAttribute("column-order", cols.keySet().toArray(new String[0]));
        stringArray(g.putDataset("_index", nonNull(index)));
        for (var e : cols.entrySet()) {
            WritableDataset d = g.putDataset(e.getKey(), e.getValue());
            if (e.getValue() instanceof String[]) stringArray(d);
            else array(d);
        }
    }

    private static Object columnData(Column<?> c) {
        int n = c.size();
        return switch (c) {
            case DoubleColumn d -> d.asDoubleArray();
            case FloatColumn f -> f.asDoubleArray();
            case IntColumn i -> i.asIntArray();
            case ShortColumn s -> s.asDoubleArray();
            case LongColumn l -> l.asLongArray();
            case BooleanColumn b -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) v[i] = b.get(i) != null && b.get(i);
                yield v;
            }
            default -> {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) v[i] = c.isMissing(i) ? "" : c.getString(i);
                yield v;
            }
        };
    }

    private static String[] nonNull(String[] s) {
        String[] out = new String[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[i] == null ? "" : s[i];
        return out;
    }

    /*
     * Dense 2-D arrays (layers, obsm) are laid out by jhdf and filled by us. jhdf holds every dataset's Java array until
     * the file closes and takes 2-D data as an array per row, so a 1M x 60 layer would be copied into a million row
     * arrays (256 MB) and kept with all the others. Instead jhdf writes a placeholder whose rows are one shared array
     * (a reference per row), and the values then go from each matrix straight to the dataset's bytes, a block of rows
     * at a time, before the file is renamed into place.
     */

    /** A contiguous dataset at {@code path} whose row i is written into the buffer by {@code row}. */
    private record Deferred(String path, int rows, int cols, int bytes, RowWriter row) {}

    private interface RowWriter {
        void put(ByteBuffer b, int row);
    }

    private static Deferred floats(WritableGroup g, String prefix, String name, DenseMatrix d) {
        array(g.putDataset(name, placeholder(new float[d.cols()], d.rows())));
        int c = d.cols(), block = d.blockRows();
        float[] v = new float[Math.min(block, d.rows()) * c];
        int[] first = {-block}; // rows are asked for in order: read them a block at a time (a disk matrix too)
        return new Deferred(prefix + name, d.rows(), c, 4, (b, i) -> {
            if (i >= first[0] + block) {
                first[0] = i;
                d.readRows(i, Math.min(d.rows(), i + block), v, 0);
            }
            for (int k = (i - first[0]) * c, e = k + c; k < e; k++) b.putFloat(v[k]);
        });
    }

    /** rows references to one row: the shape jhdf needs, without the values. */
    private static Object placeholder(Object row, int rows) {
        Object[] out = (Object[]) java.lang.reflect.Array.newInstance(row.getClass(), rows);
        java.util.Arrays.fill(out, row);
        return out;
    }

    private static void fill(Path file, List<Deferred> deferred) throws IOException {
        if (deferred.isEmpty()) return;
        try (HdfFile read = new HdfFile(file);
                FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (Deferred d : deferred) {
                if (!(read.getDatasetByPath(d.path()) instanceof ContiguousDataset cd)
                        || cd.getSizeInBytes() != (long) d.rows() * d.cols() * d.bytes())
                    throw new IllegalStateException(
                            "the HDF5 writer laid out '" + d.path() + "' differently than expected");
                ByteOrder order = ((FloatingPoint) cd.getDataType()).getByteOrder();
                int rowBytes = d.cols() * d.bytes(), block = Math.max(1, (1 << 22) / Math.max(1, rowBytes));
                ByteBuffer b = ByteBuffer.allocateDirect(block * rowBytes).order(order);
                long at = cd.getDataAddress();
                for (int r0 = 0; r0 < d.rows(); r0 += block) {
                    b.clear();
                    int r1 = Math.min(d.rows(), r0 + block);
                    for (int i = r0; i < r1; i++) d.row().put(b, i);
                    b.flip();
                    while (b.hasRemaining()) at += ch.write(b, at);
                }
            }
        }
    }

    private static WritableGroup dict(WritableGroup g) {
        encoding(g, "dict", "0.1.0");
        return g;
    }

    private static void array(WritableNode d) {
        encoding(d, "array", "0.2.0");
    }

    private static void stringArray(WritableNode d) {
        encoding(d, "string-array", "0.2.0");
    }

    private static void encoding(WritableNode n, String type, String version) {
        n.putAttribute("encoding-type", type);
        n.putAttribute("encoding-version", version);
    }
}
