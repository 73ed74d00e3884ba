package org.scxm.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.testing.Python;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class H5adWriterTest {
    @TempDir
    Path tmp;

    static Modality sample() {
        float[][] x = {{1, 0, 3}, {0, 0, 0}, {2, 5, 0}, {0, 1, 1}};
        Table obs = Table.create(
                "obs",
                StringColumn.create("cell_type", "T", "B", "T", "NK"),
                DoubleColumn.create("score", 0.5, 1.5, -2, 3.25),
                IntColumn.create("n", 1, 2, 3, 4));
        return new Modality(
                "val",
                SparseMatrix.fromDense(x, 3),
                new String[] {"c0", "c1", "c2", "c3"},
                new String[] {"CXCR4", "CD3E", "MS4A1"},
                new String[] {"ENSG00000121966", null, "ENSG00000156738"},
                org.scxm.data.LazyTable.of(obs),
                new double[] {0, 10, 20, 30},
                new double[] {5, 6, 7, 8.5});
    }

    static Map<String, DenseMatrix> layers() {
        DenseMatrix pred = new DenseMatrix(4, 3);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) pred.set(i, j, 0.1f * i + 0.01f * j);
        return Map.of("prediction", pred);
    }

    @Test
    void anndataReadsBackWhatWasWritten() throws Exception {
        String py = Python.require("anndata");
        Path file = tmp.resolve("out/val.h5ad");
        DenseMatrix umap = new DenseMatrix(4, 2, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        H5adWriter.write(file, sample(), layers(), Map.of("X_umap", umap));
        JsonObject r = JsonParser.parseString(
                        Python.run(py, Path.of("src/test/resources/fixtures/read_back_h5ad.py"), file.toString()))
                .getAsJsonObject();
        Modality m = sample();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
                assertEquals(
                        m.counts().get(i, j),
                        r.getAsJsonArray("X").get(i).getAsJsonArray().get(j).getAsDouble(),
                        0);
        assertEquals("[\"c0\",\"c1\",\"c2\",\"c3\"]", r.get("obs_names").toString());
        assertEquals("[\"CXCR4\",\"CD3E\",\"MS4A1\"]", r.get("var_names").toString());
        assertEquals(
                "[\"ENSG00000121966\",\"\",\"ENSG00000156738\"]",
                r.get("gene_ids").toString());
        JsonObject obs = r.getAsJsonObject("obs");
        assertEquals("[\"T\",\"B\",\"T\",\"NK\"]", obs.get("cell_type").toString());
        assertEquals(-2.0, obs.getAsJsonArray("score").get(2).getAsDouble());
        assertEquals(4, obs.getAsJsonArray("n").get(3).getAsInt());
        assertEquals(7.0, obs.getAsJsonArray("total_counts").get(2).getAsDouble()); // 2 + 5
        JsonArray pred = r.getAsJsonObject("layers").getAsJsonArray("prediction");
        assertEquals(0.32, pred.get(3).getAsJsonArray().get(2).getAsDouble(), 1e-6);
        JsonArray spatial = r.getAsJsonObject("obsm").getAsJsonArray("spatial");
        assertEquals(30.0, spatial.get(3).getAsJsonArray().get(0).getAsDouble());
        assertEquals(8.5, spatial.get(3).getAsJsonArray().get(1).getAsDouble());
        assertEquals(
                6.0,
                r.getAsJsonObject("obsm")
                        .getAsJsonArray("X_umap")
                        .get(2)
                        .getAsJsonArray()
                        .get(1)
                        .getAsDouble());
    }

    @Test
    void ourReaderReadsItBackWithoutPython() {
        Path file = tmp.resolve("val.h5ad");
        H5adWriter.write(file, sample(), layers(), Map.of());
        Modality back = Readers.load(file, "back", LoadOptions.defaults());
        Modality m = sample();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
                assertEquals(m.counts().get(i, j), back.counts().get(i, j));
        assertArrayEquals(m.cellIds(), back.cellIds());
        assertArrayEquals(m.geneNames(), back.geneNames());
        assertArrayEquals(m.geneIds(), back.geneIds());
        assertArrayEquals(m.x(), back.x());
        assertArrayEquals(m.y(), back.y());
        assertEquals("NK", back.obs().stringColumn("cell_type").get(3));
    }

    @Test
    void aLayerLargerThanOneWriteBlockComesBackWholeInHdf5() {
        // layers go to the file a block of rows (4 MB) at a time; 70,000 x 20 floats is 5.6 MB, two blocks
        int n = 70_000, g = 20;
        float[][] x = new float[n][g];
        for (int i = 0; i < n; i += 997) x[i][i % g] = 1;
        Modality m = new Modality(
                "big",
                SparseMatrix.fromDense(x, g),
                java.util.stream.IntStream.range(0, n).mapToObj(i -> "c" + i).toArray(String[]::new),
                java.util.stream.IntStream.range(0, g).mapToObj(j -> "G" + j).toArray(String[]::new),
                new String[g],
                org.scxm.data.LazyTable.of(Table.create("obs")),
                java.util.stream.IntStream.range(0, n).mapToDouble(i -> i * 0.5).toArray(),
                java.util.stream.IntStream.range(0, n).mapToDouble(i -> -i).toArray());
        DenseMatrix pred = new DenseMatrix(n, g);
        for (int i = 0; i < pred.data().length; i++) pred.data()[i] = i;
        Path file = tmp.resolve("big.h5ad");
        H5adWriter.write(file, m, Map.of("prediction", pred), Map.of());
        try (io.jhdf.HdfFile h = new io.jhdf.HdfFile(file)) {
            float[][] back = (float[][]) h.getDatasetByPath("layers/prediction").getData();
            assertEquals(n, back.length);
            for (int i = 0; i < n; i++) for (int j = 0; j < g; j++) assertEquals(i * g + j, back[i][j], 0, "row " + i);
            double[][] xy = (double[][]) h.getDatasetByPath("obsm/spatial").getData();
            assertEquals(n - 1, xy[n - 1][0] * 2, 0);
            assertEquals(-(n - 1), xy[n - 1][1], 0);
        }
    }

    @Test
    void overwritesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        Path file = tmp.resolve("val.h5ad");
        Files.writeString(file, "old");
        H5adWriter.write(file, sample(), Map.of(), Map.of());
        assertEquals(Readers.Format.H5AD, Readers.detect(file));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void layerOfTheWrongShapeIsRefused() {
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> H5adWriter.write(
                        tmp.resolve("x.h5ad"), sample(), Map.of("prediction", new DenseMatrix(4, 2)), Map.of()));
        assertTrue(e.getMessage().startsWith("layer 'prediction' is 4 x 2 but 'val' is 4 x 3"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.h5ad")));
    }
}
