package org.scxm.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.io.LoadOptions;
import org.scxm.io.Readers;

/**
 * One task's share of the input: cells [from, to) of one .h5ad file. The driver plans slices from the files' shapes
 * alone ({@link #plan}); each task reads its own rows with the single-machine reader ({@link #read}), so no matrix
 * passes through the driver. Paths must be readable by every executor (a shared or network file system).
 *
 * @param file   absolute path of the .h5ad file
 * @param source the file's name, kept with every output row
 * @param from   first cell (row of the file)
 * @param to     one past the last cell
 */
public record Slice(String file, String source, int from, int to) implements Serializable {
    public int cells() {
        return to - from;
    }

    /** The same file, other rows. */
    public Slice withRows(int a, int b) {
        return new Slice(file, source, a, b);
    }

    /** This slice's cells, read as {@code load} reads the whole file (same counts matrix, checks and genes). */
    public Modality read(Reading r) {
        return Readers.loadRows(Path.of(file), source, r.options(), from, to);
    }

    /** How the files are read: which counts matrix (null layer and no raw: the reader's own choice, as `load`). */
    public record Reading(String layer, boolean useRaw) implements Serializable {
        public static Reading defaults() {
            return new Reading(null, false);
        }

        public LoadOptions options() {
            LoadOptions o = LoadOptions.defaults();
            if (layer != null) o = o.withLayer(layer);
            if (useRaw) o = o.withRaw();
            return o;
        }
    }

    /**
     * Slices of at most {@code cellsPerSlice} cells over an .h5ad file, or over every .h5ad file of a folder (in name
     * order, each file its own slices), from the files' shapes only.
     */
    public static List<Slice> plan(Path input, int cellsPerSlice, Reading r) {
        if (cellsPerSlice < 1) throw new ScxmException("cells per task must be at least 1, got " + cellsPerSlice + ".");
        List<Path> files = files(input);
        List<Slice> out = new ArrayList<>();
        for (Path f : files) {
            int n = Readers.h5adCells(f, r.options());
            String name = f.getFileName().toString();
            for (int a = 0; a < n; a += cellsPerSlice)
                out.add(new Slice(f.toString(), name, a, Math.min(n, a + cellsPerSlice)));
        }
        if (out.isEmpty())
            throw new ScxmException(input + " holds no cells: give an .h5ad file (or a folder of them).");
        return out;
    }

    /** The .h5ad file itself, or the folder's .h5ad files in name order. */
    public static List<Path> files(Path input) {
        Path abs = input.toAbsolutePath().normalize();
        if (Files.isRegularFile(abs)) return List.of(abs);
        if (!Files.isDirectory(abs))
            throw new ScxmException(abs + " does not exist: give an .h5ad file or a folder of .h5ad files.");
        try (Stream<Path> s = Files.list(abs)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().endsWith(".h5ad"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
            if (l.isEmpty()) throw new ScxmException(abs + " holds no .h5ad files.");
            return l;
        } catch (IOException e) {
            throw new ScxmException("could not list " + abs + ": " + e.getMessage(), e);
        }
    }
}
