package org.scxm.data;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.scxm.ScxmException;
import tech.tablesaw.api.Table;

/**
 * One loaded data set: cells x genes sparse counts with cell ids, gene symbols and (where known)
 * Ensembl ids, a per-cell table, and optional x/y coordinates in microns.
 * Immutable; slicing by genes or cells returns a new modality sharing nothing mutable.
 *
 * @param name      the user's name for it (e.g. "sc", "xen")
 * @param matrix    cells x genes counts: in memory, or kept on disk and read in row chunks (a backed load)
 * @param cellIds   one id per row, unique
 * @param geneNames one symbol per column
 * @param geneIds   one Ensembl id per column, or null entries where unknown
 * @param lazyObs   per-cell columns (cell type, batch, ...), one row per cell, in row order; null for none. Kept as
 *                  decoded until {@link #obs()} first asks for the Tablesaw table (see {@link LazyTable})
 * @param x         x in microns per cell, or null when the modality has no coordinates
 * @param y         y in microns per cell, or null
 */
public record Modality(
        String name,
        RowChunks matrix,
        String[] cellIds,
        String[] geneNames,
        String[] geneIds,
        LazyTable lazyObs,
        double[] x,
        double[] y) {

    public Modality {
        int n = matrix.rows();
        int g = matrix.cols();
        if (cellIds.length != n) throw new IllegalArgumentException(cellIds.length + " cell ids for " + n + " cells");
        if (geneNames.length != g)
            throw new IllegalArgumentException(geneNames.length + " gene names for " + g + " genes");
        if (geneIds == null) geneIds = new String[g];
        if (geneIds.length != g) throw new IllegalArgumentException(geneIds.length + " gene ids for " + g + " genes");
        if (lazyObs == null) lazyObs = LazyTable.empty("obs");
        if (lazyObs.columnCount() > 0 && lazyObs.rowCount() != n)
            throw new IllegalArgumentException("obs has " + lazyObs.rowCount() + " rows for " + n + " cells");
        if ((x == null) != (y == null)) throw new IllegalArgumentException("give both x and y or neither");
        if (x != null && (x.length != n || y.length != n))
            throw new IllegalArgumentException("coordinates for " + x.length + " cells, expected " + n);
    }

    /** The per-cell columns as a Tablesaw table (built on the first call). */
    public Table obs() {
        return lazyObs.table();
    }

    public int nCells() {
        return matrix.rows();
    }

    public int nGenes() {
        return matrix.cols();
    }

    /** True when the counts stay on disk ({@code backed=true}) and are read in row chunks. */
    public boolean backed() {
        return matrix.backed();
    }

    /**
     * The counts in memory, for the steps that need the whole matrix at once; a backed dataset is refused with a
     * sentence (the streamed steps use {@link #matrix()} instead).
     */
    public SparseMatrix counts() {
        if (matrix instanceof SparseMatrix s) return s;
        throw new ScxmException(
                "'" + name + "' is backed on disk (" + nCells() + " cells, read in row chunks), and this step"
                        + " needs its whole matrix in memory: load it without backed=true, or subsample it first.");
    }

    public boolean hasCoordinates() {
        return x != null;
    }

    /** Throws a user-facing error when this modality has no x/y coordinates. */
    public void requireCoordinates(String forWhat) {
        if (!hasCoordinates())
            throw new ScxmException("'" + name + "' has no x/y coordinates, which " + forWhat
                    + " needs: load a spatial slide (Xenium folder, Visium folder or an h5ad with obsm['spatial']).");
    }

    /** Column index of a gene by symbol (case-insensitive) or Ensembl id, or -1. */
    public int geneIndex(String gene) {
        String key = gene.toUpperCase(Locale.ROOT);
        for (int j = 0; j < geneNames.length; j++)
            if (geneNames[j] != null && geneNames[j].toUpperCase(Locale.ROOT).equals(key)) return j;
        for (int j = 0; j < geneIds.length; j++)
            if (geneIds[j] != null && geneIds[j].toUpperCase(Locale.ROOT).equals(key)) return j;
        return -1;
    }

    /** Map from upper-cased symbol to column; first occurrence wins. */
    public Map<String, Integer> geneLookup() {
        Map<String, Integer> m = new HashMap<>(geneNames.length * 2);
        for (int j = 0; j < geneNames.length; j++)
            if (geneNames[j] != null) m.putIfAbsent(geneNames[j].toUpperCase(Locale.ROOT), j);
        return m;
    }

    /** A new modality with the given genes (columns) in the given order. */
    public Modality selectGenes(int[] cols) {
        String[] gn = new String[cols.length];
        String[] gi = new String[cols.length];
        for (int k = 0; k < cols.length; k++) {
            gn[k] = geneNames[cols[k]];
            gi[k] = geneIds[cols[k]];
        }
        return new Modality(name, matrix.selectCols(cols), cellIds, gn, gi, lazyObs, x, y);
    }

    /** A new modality with the given cells (rows) in the given order. */
    public Modality selectCells(int[] rows) {
        String[] ci = new String[rows.length];
        for (int k = 0; k < rows.length; k++) ci[k] = cellIds[rows[k]];
        LazyTable o = lazyObs.rows(rows);
        double[] nx = null, ny = null;
        if (x != null) {
            nx = new double[rows.length];
            ny = new double[rows.length];
            for (int k = 0; k < rows.length; k++) {
                nx[k] = x[rows[k]];
                ny[k] = y[rows[k]];
            }
        }
        return new Modality(name, matrix.selectRows(rows), ci, geneNames, geneIds, o, nx, ny);
    }

    /** The same data under another name. */
    public Modality renamed(String newName) {
        return new Modality(newName, matrix, cellIds, geneNames, geneIds, lazyObs, x, y);
    }

    /** The same cells with an obs table replaced (e.g. after adding a cell-type column). */
    public Modality withObs(Table newObs) {
        return new Modality(name, matrix, cellIds, geneNames, geneIds, LazyTable.of(newObs), x, y);
    }

    @Override
    public String toString() {
        return name + ": " + nCells() + " cells x " + nGenes() + " genes" + (hasCoordinates() ? ", with x/y" : "")
                + (backed() ? ", backed on disk" : "");
    }
}
