package org.scxm.io;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.LazyTable;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;

/** Output folders of the spatial platforms: Xenium, Visium (Space Ranger) and MERSCOPE (Vizgen). */
final class SpatialFolders {
    private SpatialFolders() {}

    /** Xenium features that are not genes: negative controls, unassigned and deprecated codewords. */
    private static final String[] XENIUM_CONTROL_PREFIXES = {
        "NegControlProbe_", "NegControlCodeword_", "UnassignedCodeword_", "BLANK_", "Deprecated", "Intergenic"
    };

    static boolean isXeniumGene(String name, String type) {
        for (String p : XENIUM_CONTROL_PREFIXES) if (name.startsWith(p)) return false;
        return type == null || type.equals("Gene Expression");
    }

    static Modality xenium(Path dir, String name, LoadOptions o, Progress p) {
        Path h5 = dir.resolve("cell_feature_matrix.h5");
        if (!Files.isRegularFile(h5))
            throw new ScxmException("Xenium folder " + dir + " has no cell_feature_matrix.h5: "
                    + "give the Xenium output folder (outs) that contains it.");
        Path cells = firstExisting(dir, "cells.csv.gz", "cells.csv");
        if (cells == null)
            throw new ScxmException("Xenium folder " + dir + " has no cells.csv.gz"
                    + (Files.exists(dir.resolve("cells.parquet"))
                            ? " (cells.parquet is not read, to keep Parquet's dependencies out)"
                            : "")
                    + ": place cells.csv.gz from the Xenium output there.");
        TenxH5Reader.Matrix m = TenxH5Reader.readMatrix(h5, o, p.sub(0, 0.9), SpatialFolders::isXeniumGene);
        List<String[]> rows = Csv.read(cells);
        String[] header = rows.getFirst();
        int id = Csv.column(header, "cell_id"),
                cx = Csv.column(header, "x_centroid"),
                cy = Csv.column(header, "y_centroid");
        if (id < 0 || cx < 0 || cy < 0)
            throw new ScxmException(cells.getFileName() + " in " + dir + " lacks cell_id, x_centroid or y_centroid: "
                    + "coordinates are required, give the unmodified Xenium cells file.");
        return withPositions(name, m.counts(), m.barcodes(), m.names(), m.ids(), rows, id, cx, cy, 1.0, cells + "");
    }

    static Modality visium(Path dir, String name, LoadOptions o, Progress p) {
        Path base = Files.isDirectory(dir.resolve("outs")) ? dir.resolve("outs") : dir;
        Path h5 = base.resolve("filtered_feature_bc_matrix.h5");
        if (!Files.isRegularFile(h5))
            throw new ScxmException("Visium folder " + dir
                    + " has no filtered_feature_bc_matrix.h5: give the Space Ranger output folder.");
        Path spatial = base.resolve("spatial");
        Path positions = firstExisting(spatial, "tissue_positions.csv", "tissue_positions_list.csv");
        Path scale = spatial.resolve("scalefactors_json.json");
        if (positions == null || !Files.isRegularFile(scale))
            throw new ScxmException("Visium folder " + dir
                    + " lacks spatial/tissue_positions.csv (or tissue_positions_list.csv) or spatial/scalefactors_json.json: "
                    + "coordinates are required, copy Space Ranger's whole spatial/ folder.");
        double micronsPerPixel;
        try {
            JsonObject json = JsonParser.parseString(Files.readString(scale)).getAsJsonObject();
            // a Visium spot is 55 µm across; Space Ranger gives its diameter in full-resolution pixels
            micronsPerPixel = 55.0 / json.get("spot_diameter_fullres").getAsDouble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new ScxmException(
                    scale
                            + " has no number spot_diameter_fullres: give Space Ranger's unmodified scalefactors_json.json.",
                    e);
        }
        TenxH5Reader.Matrix m = TenxH5Reader.readMatrix(h5, o, p.sub(0, 0.9), TenxH5Reader.GENE_EXPRESSION);
        List<String[]> rows = new ArrayList<>(Csv.read(positions));
        if (rows.getFirst()[0].equals("barcode")) rows.removeFirst();
        String[] header = {"barcode", "in_tissue", "array_row", "array_col", "pxl_row_in_fullres", "pxl_col_in_fullres"
        };
        rows.addFirst(header);
        // image columns are x, rows are y
        return withPositions(
                name, m.counts(), m.barcodes(), m.names(), m.ids(), rows, 0, 5, 4, micronsPerPixel, positions + "");
    }

    static Modality merscope(Path dirOrFile, String name, LoadOptions o, Progress p) {
        Path dir = Files.isDirectory(dirOrFile) ? dirOrFile : dirOrFile.getParent();
        Path byGene = Files.isDirectory(dirOrFile) ? findEnding(dir, "cell_by_gene.csv") : dirOrFile;
        Path meta = findEnding(dir, "cell_metadata.csv");
        if (byGene == null || meta == null)
            throw new ScxmException("MERSCOPE folder " + dir + " needs a *cell_by_gene.csv and a *cell_metadata.csv: "
                    + "copy both from the Vizgen output.");
        List<String[]> counts = Csv.read(byGene);
        String[] header = counts.getFirst();
        int[] colMap = new int[header.length];
        List<String> genes = new ArrayList<>();
        colMap[0] = -1;
        for (int j = 1; j < header.length; j++)
            colMap[j] = header[j].startsWith("Blank-") ? -1 : addAndIndex(genes, header[j]);
        SparseMatrix.Builder b = new SparseMatrix.Builder(genes.size());
        String[] cellIds = new String[counts.size() - 1];
        float[] row = new float[genes.size()];
        CountsCheck check = new CountsCheck(byGene.getFileName().toString(), i -> cellIds[i]);
        for (int i = 1; i < counts.size(); i++) {
            String[] f = counts.get(i);
            cellIds[i - 1] = f[0];
            java.util.Arrays.fill(row, 0f);
            for (int j = 1; j < header.length; j++) if (colMap[j] >= 0) row[colMap[j]] = (float) Csv.number(f[j]);
            check.check(row, 0, row.length, i - 1);
            b.addDenseRow(row);
            if (i % 10_000 == 0) p.update(0.9 * i / counts.size(), "reading " + byGene.getFileName());
        }
        List<String[]> metaRows = Csv.read(meta);
        String[] mh = metaRows.getFirst();
        int cx = Csv.column(mh, "center_x"), cy = Csv.column(mh, "center_y");
        if (cx < 0 || cy < 0)
            throw new ScxmException(meta.getFileName()
                    + " lacks center_x or center_y: coordinates are required, give Vizgen's unmodified cell metadata.");
        return withPositions(
                name, b.build(), cellIds, genes.toArray(new String[0]), null, metaRows, 0, cx, cy, 1.0, meta + "");
    }

    private static int addAndIndex(List<String> list, String s) {
        list.add(s);
        return list.size() - 1;
    }

    /** Joins per-cell rows (first row the header) to the matrix's cells by id; x/y scaled to microns. */
    private static Modality withPositions(
            String name,
            SparseMatrix counts,
            String[] cellIds,
            String[] genes,
            String[] ids,
            List<String[]> rows,
            int idCol,
            int xCol,
            int yCol,
            double scale,
            String what) {
        String[] header = rows.getFirst();
        Map<String, Integer> byId = new HashMap<>(rows.size() * 2);
        for (int r = 1; r < rows.size(); r++) byId.put(rows.get(r)[idCol], r);
        int[] order = new int[cellIds.length];
        double[] x = new double[cellIds.length], y = new double[cellIds.length];
        for (int i = 0; i < cellIds.length; i++) {
            Integer r = byId.get(cellIds[i]);
            if (r == null)
                throw new ScxmException(what + " has no row for cell '" + cellIds[i] + "' of the count matrix: "
                        + "coordinates are required for every cell, use the matrix and cell table of the same run.");
            order[i] = r;
            x[i] = Csv.number(rows.get(r)[xCol]) * scale;
            y[i] = Csv.number(rows.get(r)[yCol]) * scale;
            if (Double.isNaN(x[i]) || Double.isNaN(y[i]))
                throw new ScxmException(what + " has no coordinates for cell '" + cellIds[i]
                        + "': coordinates are required for every cell, fill them or drop the cell.");
        }
        List<Integer> columns = new ArrayList<>();
        for (int c = 0; c < header.length; c++) if (c != idCol && c != xCol && c != yCol) columns.add(c);
        LazyTable obs = LazyTable.of("obs", cellIds.length, Csv.columns(header, rows, order, columns));
        return new Modality(name, counts, cellIds, genes, ids, obs, x, y);
    }

    private static Path firstExisting(Path dir, String... names) {
        for (String n : names) if (Files.isRegularFile(dir.resolve(n))) return dir.resolve(n);
        return null;
    }

    static Path findEnding(Path dir, String suffix) {
        if (dir == null || !Files.isDirectory(dir)) return null;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
