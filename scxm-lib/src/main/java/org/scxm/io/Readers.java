package org.scxm.io;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.Modality;

/**
 * Loads a data set from a file or folder into a {@link Modality}, detecting the format:
 * AnnData .h5ad, 10x HDF5 matrix, Xenium folder, Visium (Space Ranger) folder, MERSCOPE folder.
 */
public final class Readers {
    private Readers() {}

    /** The formats {@link #load} understands, with the names users give as {@code format=}. */
    public enum Format {
        H5AD("h5ad"),
        TENX("10x"),
        XENIUM("xenium"),
        VISIUM("visium"),
        MERSCOPE("merscope");

        public final String label;

        Format(String label) {
            this.label = label;
        }

        public static Format parse(String s) {
            for (Format f : values())
                if (f.label.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s)) return f;
            throw new ScxmException("format '" + s + "' is unknown: use one of "
                    + String.join(
                            ", ", Arrays.stream(values()).map(f -> f.label).toList()) + ".");
        }
    }

    public static Modality load(Path path, String name, LoadOptions opts) {
        return load(path, name, opts, Progress.NONE);
    }

    public static Modality load(Path path, String name, LoadOptions opts, Progress progress) {
        if (opts == null) opts = LoadOptions.defaults();
        if (!Files.exists(path))
            throw new ScxmException("'" + path + "' does not exist: check the path (relative paths are taken from "
                    + Path.of("").toAbsolutePath() + ").");
        Format f = opts.format() != null ? Format.parse(opts.format()) : damagedAsSentence(path, () -> detect(path));
        progress.update(0, "loading " + path.getFileName() + " as " + f.label);
        if (opts.backed() && f != Format.H5AD)
            throw new ScxmException("backed=true keeps an .h5ad's CSR matrix on disk; '" + path.getFileName()
                    + "' is a " + f.label + " dataset, which is read into memory: load it without backed=true.");
        LoadOptions o = opts;
        Modality m = damagedAsSentence(path, () -> switch (f) {
            case H5AD -> H5adReader.read(requireFile(path, f), name, o, progress);
            case TENX -> TenxH5Reader.read(requireFile(path, f), name, o, progress);
            case XENIUM -> SpatialFolders.xenium(path, name, o, progress);
            case VISIUM -> SpatialFolders.visium(path, name, o, progress);
            case MERSCOPE -> SpatialFolders.merscope(path, name, o, progress);
        });
        if (m.nGenes() == 0)
            throw new ScxmException("'" + path.getFileName() + "' holds " + m.nCells()
                    + " cells but no genes (its var table is empty): give a file with a gene x cell count matrix.");
        if (m.nCells() == 0)
            throw new ScxmException("'" + path.getFileName() + "' holds no cells (0 rows for " + m.nGenes()
                    + " genes): give a file with cells in it.");
        m = uniqueCellIds(m, path, o.warnings());
        m = missingCoordinates(m, path, o.warnings());
        warnDuplicatedGenes(m, path, o.warnings());
        progress.update(1, "loaded " + m);
        return m;
    }

    /**
     * Cell ids must be unique (an export writes them as obs_names): a repeated id gets the suffix -1, -2, ... as
     * anndata's {@code obs_names_make_unique} gives it, and the user is told.
     */
    static Modality uniqueCellIds(Modality m, Path path, java.util.function.Consumer<String> warnings) {
        String[] ids = m.cellIds();
        java.util.Set<String> seen = new java.util.HashSet<>(ids.length * 2);
        java.util.Map<String, Integer> repeats = new java.util.LinkedHashMap<>();
        for (String id : ids) if (!seen.add(id)) repeats.merge(id, 1, Integer::sum);
        if (repeats.isEmpty()) return m;
        String[] out = ids.clone();
        java.util.Map<String, Integer> next = new java.util.HashMap<>();
        java.util.Set<String> taken = new java.util.HashSet<>(java.util.Arrays.asList(ids));
        java.util.Set<String> first = new java.util.HashSet<>();
        for (int i = 0; i < out.length; i++) {
            if (!repeats.containsKey(ids[i]) || first.add(ids[i])) continue;
            String id;
            do id = ids[i] + "-" + next.merge(ids[i], 1, Integer::sum);
            while (!taken.add(id));
            out[i] = id;
        }
        String example = repeats.keySet().iterator().next();
        warnings.accept("'" + path.getFileName() + "' repeats " + repeats.size() + " cell id(s) (e.g. '" + example
                + "' " + (repeats.get(example) + 1) + " times); the repeats were renamed '" + example
                + "-1', ... so that every cell has its own id, as anndata's obs_names_make_unique does.");
        return new Modality(m.name(), m.matrix(), out, m.geneNames(), m.geneIds(), m.lazyObs(), m.x(), m.y());
    }

    /**
     * Coordinates that are NaN for every cell are no coordinates: they are dropped and the user told, so that a
     * spatial step says the data set has none instead of failing on a slide of no extent.
     */
    static Modality missingCoordinates(Modality m, Path path, java.util.function.Consumer<String> warnings) {
        if (m.x() == null) return m;
        int missing = 0;
        for (int i = 0; i < m.nCells(); i++) if (!Double.isFinite(m.x()[i]) || !Double.isFinite(m.y()[i])) missing++;
        if (missing == 0) return m;
        if (missing < m.nCells()) {
            warnings.accept(
                    "'" + path.getFileName() + "' has no finite x/y for " + missing + " of " + m.nCells()
                            + " cells (NaN or infinite); spatial steps will refuse them: drop those cells or fix the coordinates.");
            return m;
        }
        warnings.accept("every cell's x/y in '" + path.getFileName()
                + "' is NaN or infinite, so it was loaded without coordinates: give a file with the cells' positions"
                + " for spatial steps.");
        return new Modality(m.name(), m.matrix(), m.cellIds(), m.geneNames(), m.geneIds(), m.lazyObs(), null, null);
    }

    /** A gene symbol in several columns: lookups by name (panel, plots, GSEA) take the first; the user is told. */
    static void warnDuplicatedGenes(Modality m, Path path, java.util.function.Consumer<String> warnings) {
        java.util.Map<String, Integer> count = new java.util.LinkedHashMap<>();
        for (String g : m.geneNames()) count.merge(g, 1, Integer::sum);
        List<String> dup = count.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " (" + e.getValue() + " columns)")
                .toList();
        if (dup.isEmpty()) return;
        warnings.accept("'" + path.getFileName() + "' names " + dup.size() + " gene(s) in more than one column: "
                + String.join(", ", dup.subList(0, Math.min(5, dup.size()))) + (dup.size() > 5 ? ", ..." : "")
                + "; steps that look a gene up by name use its first column.");
    }

    /**
     * Runs a read and turns the failures of a file cut short or damaged on disk (the HDF5 library's, a gzip stream
     * that ends early) into one sentence naming the file; the readers' own sentences pass through.
     */
    static <T> T damagedAsSentence(Path path, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (io.jhdf.exceptions.HdfException | UncheckedIOException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            String why = root.getMessage() != null
                    ? root.getMessage()
                    : root.getClass().getSimpleName();
            throw new ScxmException(
                    "'" + path + "' could not be read: " + (Files.isDirectory(path) ? "a file in it" : "the file")
                            + " is cut short or damaged (" + why
                            + "); copy or download it again.",
                    e);
        }
    }

    /**
     * Cells in an AnnData .h5ad file, from the shape of the counts matrix {@link #load} would read: the matrix itself is
     * not read. With {@link #loadRows}, lets each worker of a cluster read its own part of one file.
     */
    public static int h5adCells(Path file, LoadOptions opts) {
        return H5adReader.cells(requireFile(file, Format.H5AD), opts == null ? LoadOptions.defaults() : opts);
    }

    /**
     * Cells [from, to) of an AnnData .h5ad file, read exactly as {@link #load} reads the whole file (the same counts
     * matrix, checks and genes), but only those rows' entries of a CSR or dense matrix; a CSC matrix is read whole
     * and sliced. The cell ids, obs rows and coordinates are those cells'.
     */
    public static Modality loadRows(Path file, String name, LoadOptions opts, int from, int to) {
        return H5adReader.read(
                requireFile(file, Format.H5AD),
                name,
                opts == null ? LoadOptions.defaults() : opts,
                Progress.NONE,
                from,
                to);
    }

    private static Path requireFile(Path p, Format f) {
        if (!Files.isRegularFile(p))
            throw new ScxmException(
                    "'" + p + "' is a folder, but format " + f.label + " needs a file: give the file inside it.");
        return p;
    }

    /** Decides the format from a folder's contents or a file's HDF5 structure. */
    public static Format detect(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("cell_feature_matrix.h5"))
                    || Files.isRegularFile(path.resolve("cells.csv.gz"))
                    || Files.isRegularFile(path.resolve("cells.parquet"))) return Format.XENIUM;
            Path base = Files.isDirectory(path.resolve("outs")) ? path.resolve("outs") : path;
            if (Files.isDirectory(base.resolve("spatial"))
                    && Files.isRegularFile(base.resolve("filtered_feature_bc_matrix.h5"))) return Format.VISIUM;
            if (SpatialFolders.findEnding(path, "cell_by_gene.csv") != null) return Format.MERSCOPE;
            throw new ScxmException(
                    "folder '" + path + "' is not a Xenium (cell_feature_matrix.h5 + cells.csv.gz), Visium "
                            + "(filtered_feature_bc_matrix.h5 + spatial/) or MERSCOPE (*cell_by_gene.csv) output: give one of those or a file.");
        }
        String fileName = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (fileName.endsWith("cell_by_gene.csv")) return Format.MERSCOPE;
        if (!isHdf5(path))
            throw new ScxmException(
                    "'" + path.getFileName() + "' is not an HDF5 file, so neither an .h5ad nor a 10x .h5: "
                            + "give an AnnData .h5ad, a 10x filtered_feature_bc_matrix.h5 or a Xenium/Visium/MERSCOPE folder.");
        try (HdfFile h = new HdfFile(path)) {
            if ("anndata".equals(H5.attrString(h, "encoding-type")) || H5.node(h, "obs") != null) return Format.H5AD;
            return Format.TENX;
        }
    }

    /** HDF5 signature at offset 0 or a power-of-two user-block offset. */
    private static boolean isHdf5(Path p) {
        byte[] sig = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(8);
            if (Arrays.equals(head, sig)) return true;
            long size = Files.size(p);
            try (var ch = Files.newByteChannel(p)) {
                for (long off = 512; off + 8 <= size && off <= (1L << 20); off *= 2) {
                    ch.position(off);
                    var buf = java.nio.ByteBuffer.allocate(8);
                    ch.read(buf);
                    if (Arrays.equals(buf.array(), sig)) return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
