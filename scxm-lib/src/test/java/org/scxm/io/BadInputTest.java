package org.scxm.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.ScxmException;

/** Each kind of bad input stops with one sentence naming the file or field and what to do. */
class BadInputTest {
    @TempDir
    Path tmp;

    static final Path REAL = Path.of("src/test/resources/real");

    static String fail(Path p, LoadOptions o) {
        return assertThrows(ScxmException.class, () -> Readers.load(p, "t", o)).getMessage();
    }

    @Test
    void missingFile() {
        String msg = fail(tmp.resolve("nope.h5ad"), LoadOptions.defaults());
        assertTrue(msg.contains("nope.h5ad' does not exist: check the path"), msg);
    }

    @Test
    void notAnHdf5File() throws IOException {
        Path p = Files.writeString(tmp.resolve("cells.h5ad"), "cell,gene\n1,2\n");
        String msg = fail(p, LoadOptions.defaults());
        assertTrue(msg.startsWith("'cells.h5ad' is not an HDF5 file"), msg);
    }

    @Test
    void tenxFileForcedAsH5adAndUnknownFormat() {
        Path tenx = REAL.resolve("scanpy_10x_v3_filtered_feature_bc_matrix.h5");
        String msg = fail(tenx, LoadOptions.defaults().withFormat("h5ad"));
        assertTrue(
                msg.startsWith(
                        "scanpy_10x_v3_filtered_feature_bc_matrix.h5 has no 'obs' table, so it is not an AnnData .h5ad file"),
                msg);
        String unknown = fail(tenx, LoadOptions.defaults().withFormat("loom"));
        assertTrue(
                unknown.startsWith("format 'loom' is unknown: use one of h5ad, 10x, xenium, visium, merscope"),
                unknown);
    }

    @Test
    void unrecognisedFolder() throws IOException {
        Files.writeString(tmp.resolve("readme.txt"), "x");
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.contains("is not a Xenium (cell_feature_matrix.h5 + cells.csv.gz), Visium"), msg);
    }

    @Test
    void xeniumWithOnlyParquetCells() throws IOException {
        Files.copy(REAL.resolve("sfe_xenium_toy/cell_feature_matrix.h5"), tmp.resolve("cell_feature_matrix.h5"));
        Files.copy(REAL.resolve("sfe_xenium_toy/cells.parquet"), tmp.resolve("cells.parquet"));
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.contains("has no cells.csv.gz (cells.parquet is not read"), msg);
    }

    @Test
    void xeniumCellsWithoutCentroidsHaveNoCoordinates() throws IOException {
        Files.copy(REAL.resolve("sfe_xenium_toy/cell_feature_matrix.h5"), tmp.resolve("cell_feature_matrix.h5"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("cells.csv.gz")))) {
            out.write("cell_id,cell_area\njcccmpde-1,3.0\n".getBytes());
        }
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(
                msg.startsWith("cells.csv.gz in ")
                        && msg.contains("lacks cell_id, x_centroid or y_centroid: coordinates are required"),
                msg);
    }

    @Test
    void xeniumCellMissingFromTheCellsTable() throws IOException {
        Files.copy(REAL.resolve("sfe_xenium_toy/cell_feature_matrix.h5"), tmp.resolve("cell_feature_matrix.h5"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("cells.csv.gz")))) {
            out.write("cell_id,x_centroid,y_centroid\nsomeone-else,1,2\n".getBytes());
        }
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.contains("has no row for cell 'jcccmpde-1' of the count matrix"), msg);
    }

    @Test
    void visiumWithoutScaleFactors() throws IOException {
        Files.copy(
                REAL.resolve("scanpy_visium_1.0.0/filtered_feature_bc_matrix.h5"),
                tmp.resolve("filtered_feature_bc_matrix.h5"));
        Files.createDirectories(tmp.resolve("spatial"));
        Files.copy(
                REAL.resolve("scanpy_visium_1.0.0/spatial/tissue_positions_list.csv"),
                tmp.resolve("spatial/tissue_positions_list.csv"));
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(
                msg.contains(
                        "lacks spatial/tissue_positions.csv (or tissue_positions_list.csv) or spatial/scalefactors_json.json"),
                msg);
    }

    @Test
    void merscopeNegativeCountNamesTheCell() throws IOException {
        Files.writeString(tmp.resolve("run_cell_by_gene.csv"), "cell,Alb,Blank-1\nc1,3,0\nc2,-1,0\n");
        Files.writeString(tmp.resolve("run_cell_metadata.csv"), ",fov,center_x,center_y\nc1,0,1.5,2\nc2,0,3,4\n");
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.startsWith("run_cell_by_gene.csv holds a negative value (-1.0) for cell 'c2'"), msg);
    }
}
