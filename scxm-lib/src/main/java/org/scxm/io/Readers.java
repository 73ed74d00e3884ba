package org.scxm.io;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
        Format f = opts.format() != null ? Format.parse(opts.format()) : detect(path);
        progress.update(0, "loading " + path.getFileName() + " as " + f.label);
        if (opts.backed() && f != Format.H5AD)
            throw new ScxmException("backed=true keeps an .h5ad's CSR matrix on disk; '" + path.getFileName()
                    + "' is a " + f.label + " dataset, which is read into memory: load it without backed=true.");
        Modality m = switch (f) {
            case H5AD -> H5adReader.read(requireFile(path, f), name, opts, progress);
            case TENX -> TenxH5Reader.read(requireFile(path, f), name, opts, progress);
            case XENIUM -> SpatialFolders.xenium(path, name, opts, progress);
            case VISIUM -> SpatialFolders.visium(path, name, opts, progress);
            case MERSCOPE -> SpatialFolders.merscope(path, name, opts, progress);
        };
        progress.update(1, "loaded " + m);
        return m;
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
