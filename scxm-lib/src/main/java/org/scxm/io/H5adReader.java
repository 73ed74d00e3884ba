package org.scxm.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.LazyTable;
import org.scxm.data.Modality;
import org.scxm.data.RowChunks;
import org.scxm.data.SparseMatrix;

/**
 * AnnData .h5ad files, current (0.8+) and legacy encodings.
 *
 * <p>Which matrix holds the counts: an explicit {@code layer} or {@code useRaw} is obeyed. Otherwise
 * the first of layers['counts'], X, raw/X whose first values are non-negative integers is used.
 * When none holds integers (e.g. scanpy's pbmc68k_reduced: scaled X, log-normalised raw) the first
 * non-negative one is used with a warning, since rank-value tokenisation only needs the order of a
 * cell's values; when all hold negative values (scaled data only) loading stops with an explanation.
 */
final class H5adReader {
    private H5adReader() {}

    private static final int SAMPLE = 1 << 16;

    /** One candidate counts matrix in the file. */
    private record Source(String field, Node node, boolean raw) {}

    static Modality read(Path file, String name, LoadOptions o, Progress progress) {
        return read(file, name, o, progress, 0, -1);
    }

    /**
     * The cells (rows) of the file's counts matrix, from its shape alone: the matrix is not read. The counts matrix is
     * the one {@link #read} would choose with the same options.
     */
    static int cells(Path file, LoadOptions o) {
        String fileName = file.getFileName().toString();
        try (HdfFile h = new HdfFile(file)) {
            Source src = choose(h, fileName, o);
            if (src.node instanceof Dataset d) return d.getDimensions()[0];
            long[] shape = H5.attrLongs(src.node, "shape");
            if (shape == null) shape = H5.attrLongs(src.node, "h5sparse_shape");
            if (shape == null || shape.length != 2)
                throw new ScxmException(
                        src.field + " of " + fileName + " has no shape attribute: write the file again with anndata.");
            return Math.toIntExact(shape[0]);
        } catch (ScxmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unreadable(fileName, e);
        }
    }

    /**
     * Cells [from, to) of the file (to = -1: to the end), read as {@link #read} reads the whole file: a CSR or dense
     * matrix reads only those rows' entries (a CSC matrix, stored gene by gene, is read whole and sliced). obs, the
     * cell ids and coordinates are those rows'; genes are all of the file's.
     */
    static Modality read(Path file, String name, LoadOptions o, Progress progress, int from, int to) {
        String fileName = file.getFileName().toString();
        // obs (cell ids: 200k variable-length strings) is decoded from a second handle
        // on another thread while this one reads the matrix; cell names are only needed for error messages before.
        FutureTask<Frames.Frame> obsTask = new FutureTask<>(() -> {
            try (HdfFile h2 = new HdfFile(file)) {
                return Frames.read(h2, "obs", H5.group(h2, "uns"));
            }
        });
        try (HdfFile h = new HdfFile(file)) {
            Group uns = H5.group(h, "uns");
            int nCells = Frames.rows(h, "obs");
            if (nCells < 0)
                throw new ScxmException(fileName + " has no 'obs' table, so it is not an AnnData .h5ad file: "
                        + "write it with anndata (adata.write_h5ad) or give format=10x for a 10x matrix.");
            Thread.ofPlatform().daemon().name("scxm-obs").start(obsTask);
            Source src = choose(h, fileName, o);
            String varPath = src.raw ? (H5.node(h, "raw/var") != null ? "raw/var" : "raw.var") : "var";
            int nGenes = Frames.rows(h, varPath);
            if (nGenes < 0)
                throw new ScxmException(fileName + " has no " + (src.raw ? "raw/var" : "var")
                        + " table naming the genes: write the file with anndata so that var is saved.");
            if (nCells == 0)
                throw new ScxmException(fileName + " holds no cells (its obs table has 0 rows for " + nGenes
                        + " genes): give a file with cells in it.");
            int end = to < 0 ? nCells : to;
            if (from < 0 || from > end || end > nCells)
                throw new ScxmException("cells " + from + ".." + end + " are outside " + fileName + "'s " + nCells
                        + " cells: give a range within 0.." + nCells + ".");
            boolean whole = from == 0 && end == nCells;
            if (o.backed() && !whole)
                throw new ScxmException("backed=true keeps a whole file on disk; read a range of cells without it.");
            CountsCheck check = new CountsCheck(
                    src.field + " of " + fileName, i -> join(obsTask).index()[from + i]);
            RowChunks counts = o.backed()
                    ? backed(file, src, nCells, nGenes, () -> join(obsTask).index(), o, fileName)
                    : readMatrix(src, nCells, nGenes, check, o.chunkEntries(), progress, fileName, from, end);
            Frames.Frame var = Frames.read(h, varPath, uns);
            Frames.Frame obs = join(obsTask);
            if (obs.index().length != nCells)
                throw new ScxmException(fileName + ": obs holds " + obs.index().length + " cell ids for " + nCells
                        + " rows: the file is inconsistent, write it again with anndata.");
            if ((o.backed() ? CountsCheck.classify(sample(src.node)) == CountsCheck.Kind.NON_INTEGER : check.nonInteger)
                    && src.field.equals(requestedField(o)))
                o.warnings()
                        .accept(
                                src.field + " of " + fileName
                                        + " holds non-integer values (it looks normalised, not raw counts); "
                                        + "it is used as given, so give raw counts for Geneformer-style tokenisation if you have them.");
            GeneIdentifiers.Resolved genes = GeneIdentifiers.resolve(var.index(), var.table());
            double[][] xy = spatial(h, nCells);
            if (whole)
                return new Modality(
                        name,
                        counts,
                        obs.index(),
                        genes.names(),
                        genes.ids(),
                        obs.table(),
                        xy == null ? null : xy[0],
                        xy == null ? null : xy[1]);
            LazyTable part =
                    obs.table().rows(java.util.stream.IntStream.range(from, end).toArray());
            return new Modality(
                    name,
                    counts,
                    java.util.Arrays.copyOfRange(obs.index(), from, end),
                    genes.names(),
                    genes.ids(),
                    part,
                    xy == null ? null : java.util.Arrays.copyOfRange(xy[0], from, end),
                    xy == null ? null : java.util.Arrays.copyOfRange(xy[1], from, end));
        } catch (ScxmException | Progress.Cancelled e) {
            throw e;
        } catch (RuntimeException e) {
            throw unreadable(fileName, e);
        } finally {
            obsTask.cancel(false); // a failed read does not wait for obs
        }
    }

    /**
     * The counts left on disk: only indptr is read now; rows are read (and checked) whenever a step passes over
     * them. Needs the CSR layout anndata writes for sparse data, whose rows are cells.
     */
    private static RowChunks backed(
            Path file,
            Source s,
            int nCells,
            int nGenes,
            java.util.function.Supplier<String[]> cellIds,
            LoadOptions o,
            String fileName) {
        String enc = s.node instanceof Group g ? H5.attrString(g, "encoding-type") : "dense";
        if (!"csr_matrix".equals(enc))
            throw new ScxmException(s.field + " of " + fileName + " is stored "
                    + (enc == null ? "in an old layout" : "as " + enc)
                    + ", and backed=true reads a CSR matrix (rows are cells) in row chunks: load it without backed=true,"
                    + " or write it as CSR with anndata (adata.X = scipy.sparse.csr_matrix(adata.X)).");
        Group g = (Group) s.node;
        long[] shape = H5.attrLongs(g, "shape");
        if (shape == null || shape.length != 2 || shape[0] != nCells || shape[1] != nGenes)
            throw new ScxmException(s.field + " has shape " + java.util.Arrays.toString(shape) + " but obs/var have "
                    + nCells + " cells and " + nGenes
                    + " genes: the file is inconsistent, write it again with anndata.");
        Dataset indptrSet = H5.dataset(g, "indptr");
        if (indptrSet == null || H5.dataset(g, "data") == null || H5.dataset(g, "indices") == null)
            throw new ScxmException(s.field + " of " + fileName
                    + " lacks data, indices or indptr: the sparse matrix is incomplete, write the file again.");
        long[] indptr = H5.toLongs(indptrSet.getData());
        if (indptr.length != nCells + 1)
            throw new ScxmException(s.field + " of " + fileName + " has " + (indptr.length - 1) + " rows in indptr for "
                    + nCells + " cells: the file is inconsistent, write it again with anndata.");
        String group = g.getPath().replaceAll("^/+|/+$", "");
        return BackedCsr.open(
                file.toAbsolutePath(),
                group,
                s.field + " of " + fileName,
                indptr,
                nGenes,
                cellIds.get(),
                o.chunkEntries());
    }

    /** The obs frame decoded on the other thread; its failure is this read's failure. */
    private static Frames.Frame join(FutureTask<Frames.Frame> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Progress.Cancelled();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String requestedField(LoadOptions o) {
        if ("X".equals(o.layer())) return "X";
        return o.layer() != null ? layerField(o.layer()) : o.useRaw() ? "raw/X" : "";
    }

    private static String layerField(String layer) {
        return "layers['" + layer + "']";
    }

    private static Source choose(Group h, String fileName, LoadOptions o) {
        Node raw = H5.node(h, "raw/X") != null ? H5.node(h, "raw/X") : H5.node(h, "raw.X");
        if ("X".equals(o.layer())) {
            Node x = H5.node(h, "X");
            if (x == null)
                throw new ScxmException(
                        fileName + " has no X matrix: name a layer that holds the counts, or leave the layer out.");
            return new Source("X", x, false);
        }
        if (o.layer() != null) {
            Node l = H5.node(h, "layers/" + o.layer());
            if (l == null) {
                Group layers = H5.group(h, "layers");
                String have = layers == null || layers.getChildren().isEmpty()
                        ? "it has none"
                        : "it has " + String.join(", ", layers.getChildren().keySet());
                throw new ScxmException(fileName + " has no layers['" + o.layer() + "'] (" + have
                        + "): name one of those or leave the layer out to use X.");
            }
            return new Source(layerField(o.layer()), l, false);
        }
        if (o.useRaw()) {
            if (raw == null)
                throw new ScxmException(
                        fileName + " has no raw/X: leave useRaw off to read X, or save adata.raw in the file.");
            return new Source("raw/X", raw, true);
        }
        List<Source> candidates = new ArrayList<>();
        Node counts = H5.node(h, "layers/counts");
        if (counts != null) candidates.add(new Source(layerField("counts"), counts, false));
        Node x = H5.node(h, "X");
        if (x != null) candidates.add(new Source("X", x, false));
        if (raw != null) candidates.add(new Source("raw/X", raw, true));
        if (candidates.isEmpty())
            throw new ScxmException(
                    fileName + " has no X, layers['counts'] or raw/X matrix: save the counts in X and write it again.");
        Source firstNonNegative = null;
        for (Source s : candidates) {
            CountsCheck.Kind k = CountsCheck.classify(sample(s.node));
            if (k == CountsCheck.Kind.COUNTS) {
                if (s != candidates.getFirst() && s.field.equals("raw/X") && x != null)
                    o.warnings()
                            .accept("X of " + fileName
                                    + " does not hold counts, so counts were taken from raw/X (with raw/var's genes).");
                return s;
            }
            if (k == CountsCheck.Kind.NON_INTEGER && firstNonNegative == null) firstNonNegative = s;
        }
        if (firstNonNegative != null) {
            o.warnings()
                    .accept(
                            fileName
                                    + " has no raw counts (X, layers['counts'] and raw hold non-integer or negative values), so "
                                    + firstNonNegative.field
                                    + " was loaded as it is (it looks log-normalised): rank-value tokenisation keeps each cell's gene order but results may differ from counts.");
            return firstNonNegative;
        }
        throw new ScxmException(
                fileName + " holds no counts: X" + (counts != null ? ", layers['counts']" : "")
                        + (raw != null ? ", raw/X" : "")
                        + " contain negative or NaN values (scaled data); save the raw counts as adata.layers['counts'] and write the file again.");
    }

    private static float[] sample(Node n) {
        if (n instanceof Dataset d) {
            int[] dims = d.getDimensions();
            return MatrixReader.sampleDense(d, dims[0], dims.length > 1 ? dims[1] : 1, SAMPLE);
        }
        Dataset data = H5.dataset((Group) n, "data");
        return data == null ? new float[0] : MatrixReader.sampleSparse(data, SAMPLE);
    }

    /** Rows [from, to) of the counts matrix. */
    private static SparseMatrix readMatrix(
            Source s,
            int nCells,
            int nGenes,
            CountsCheck check,
            int chunk,
            Progress p,
            String fileName,
            int from,
            int to) {
        if (s.node instanceof Dataset d) {
            int[] dims = d.getDimensions();
            if (dims.length != 2 || dims[0] != nCells || dims[1] != nGenes)
                throw new ScxmException(check.field() + " has shape " + java.util.Arrays.toString(dims)
                        + " but obs/var have " + nCells + " cells and " + nGenes
                        + " genes: the file is inconsistent, write it again with anndata.");
            return MatrixReader.dense(d, from, to - from, nGenes, check, chunk, p);
        }
        Group g = (Group) s.node;
        String enc = H5.attrString(g, "encoding-type");
        if (enc == null) {
            String legacy = H5.attrString(g, "h5sparse_format");
            enc = legacy == null ? null : legacy + "_matrix";
        }
        long[] shape = H5.attrLongs(g, "shape");
        if (shape == null) shape = H5.attrLongs(g, "h5sparse_shape");
        if (shape == null || shape.length != 2 || shape[0] != nCells || shape[1] != nGenes)
            throw new ScxmException(check.field() + " has shape " + java.util.Arrays.toString(shape)
                    + " but obs/var have " + nCells + " cells and " + nGenes
                    + " genes: the file is inconsistent, write it again with anndata.");
        Dataset data = H5.dataset(g, "data"), indices = H5.dataset(g, "indices"), indptrSet = H5.dataset(g, "indptr");
        if (data == null || indices == null || indptrSet == null)
            throw new ScxmException(check.field() + " of " + fileName
                    + " lacks data, indices or indptr: the sparse matrix is incomplete, write the file again.");
        boolean whole = from == 0 && to == nCells;
        if ("csr_matrix".equals(enc)) {
            if (indptrSet.getDimensions()[0] != (long) nCells + 1)
                throw new ScxmException(
                        check.field() + " has " + (indptrSet.getDimensions()[0] - 1) + " rows in indptr for " + nCells
                                + " cells: the file is inconsistent, write it again with anndata.");
            // row r's entries start at indptr[r]: the range needs indptr[from..to] only
            long[] indptr = Chunks.longs(indptrSet, from, to - from + 1);
            return MatrixReader.csrRows(
                    data, indices, indptr, 0, indptr.length - 1, nGenes, null, nGenes, check, chunk, p);
        }
        if ("csc_matrix".equals(enc)) {
            long[] indptr = H5.toLongs(indptrSet.getData());
            if (whole) return MatrixReader.csc(data, indices, indptr, nCells, check, chunk, p);
            CountsCheck all = check.shifted(-from);
            SparseMatrix m = MatrixReader.csc(data, indices, indptr, nCells, all, chunk, p)
                    .selectRows(java.util.stream.IntStream.range(from, to).toArray());
            check.nonInteger |= all.nonInteger;
            return m;
        }
        throw new ScxmException(check.field() + " of " + fileName + " is stored as '" + enc
                + "', which is not a dense, CSR or CSC matrix: convert it with anndata first.");
    }

    /** obsm['spatial'] or obsm['X_spatial'] as {x, y}, or null when absent. */
    private static double[][] spatial(Group h, int nCells) {
        for (String key : new String[] {"spatial", "X_spatial"}) {
            Dataset d = H5.dataset(h, "obsm/" + key);
            if (d != null && d.getDimensions().length == 2 && d.getDimensions()[0] == nCells) {
                double[][] xy = Chunks.firstTwoColumns(d);
                if (xy != null) return xy;
            }
            Object v = null;
            if (d != null) v = d.getData();
            else if (H5.node(h, "obsm") instanceof Dataset compound && compound.getData() instanceof Map<?, ?> m)
                v = m.get(key);
            if (v == null || !v.getClass().isArray() || Array.getLength(v) != nCells) continue;
            double[] x = new double[nCells], y = new double[nCells];
            for (int i = 0; i < nCells; i++) {
                double[] row = H5.toDoubles(Array.get(v, i));
                if (row.length < 2) return null;
                x[i] = row[0];
                y[i] = row[1];
            }
            return new double[][] {x, y};
        }
        return null;
    }

    /** The one sentence for a file the HDF5 layer could not read as AnnData. */
    private static ScxmException unreadable(String fileName, RuntimeException e) {
        return new ScxmException(
                fileName + " could not be read as AnnData ("
                        + (e.getMessage() != null
                                ? e.getMessage()
                                : e.getClass().getSimpleName())
                        + "): check that it is an .h5ad written by anndata and not truncated.",
                e);
    }
}
