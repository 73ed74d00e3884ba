package org.scxm.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;

/**
 * Every real file in test resources real/ loads, with shapes, sums and selected values equal to what
 * anndata / h5py / pandas read (recorded by fixtures/make_real_expectations.py).
 */
class RealFilesTest {
    static final Path REAL = Path.of("src/test/resources/real");
    static JsonObject expected;

    @BeforeAll
    static void readExpectations() throws IOException {
        expected = JsonParser.parseString(Files.readString(Path.of("src/test/resources/fixtures/real_expected.json")))
                .getAsJsonObject();
    }

    static void check(String key, Modality m) {
        JsonObject e = expected.getAsJsonObject(key);
        assertEquals(e.getAsJsonArray("shape").get(0).getAsInt(), m.nCells(), key + " cells");
        assertEquals(e.getAsJsonArray("shape").get(1).getAsInt(), m.nGenes(), key + " genes");
        SparseMatrix c = m.counts();
        assertEquals(e.get("nnz").getAsLong(), c.nnz(), key + " non-zeros");
        double total = 0;
        for (double s : c.rowSums()) total += s;
        assertEquals(e.get("sum").getAsDouble(), total, 1e-6 * Math.abs(total), key + " sum");
        JsonArray rowSums = e.getAsJsonArray("rowSums");
        for (int i = 0; i < rowSums.size(); i++)
            assertEquals(rowSums.get(i).getAsDouble(), c.rowSums()[i], 1e-3, key + " row " + i);
        JsonArray colSums = e.getAsJsonArray("colSums");
        for (int j = 0; j < colSums.size(); j++) {
            double s = 0;
            for (int i = 0; i < m.nCells(); i++) s += c.get(i, j);
            assertEquals(colSums.get(j).getAsDouble(), s, 1e-3, key + " column " + j);
        }
        JsonArray entry = e.getAsJsonArray("entry");
        assertEquals(
                entry.get(2).getAsDouble(),
                c.get(entry.get(0).getAsInt(), entry.get(1).getAsInt()),
                1e-5);
        for (int i = 0; i < 3; i++)
            assertEquals(e.getAsJsonArray("cells").get(i).getAsString(), m.cellIds()[i]);
        for (int j = 0; j < 3; j++)
            assertEquals(e.getAsJsonArray("genes").get(j).getAsString(), m.geneNames()[j]);
        assertEquals(e.get("lastGene").getAsString(), m.geneNames()[m.nGenes() - 1]);
        if (e.has("ids"))
            for (int j = 0; j < 3; j++) {
                String id = e.getAsJsonArray("ids").get(j).getAsString();
                assertEquals(GeneIdentifiers.isEnsembl(id) ? id : null, m.geneIds()[j], key + " gene id " + j);
            }
        if (e.has("x")) {
            assertTrue(m.hasCoordinates(), key + " has coordinates");
            for (int i = 0; i < 3; i++) {
                assertEquals(e.getAsJsonArray("x").get(i).getAsDouble(), m.x()[i], 1e-6, key + " x " + i);
                assertEquals(e.getAsJsonArray("y").get(i).getAsDouble(), m.y()[i], 1e-6, key + " y " + i);
            }
        } else assertFalse(m.hasCoordinates());
    }

    @Test
    void pbmc68kReducedCurrentAndLegacyLoadRawWithAWarning() {
        for (String f : List.of("scanpy_pbmc68k_reduced.h5ad", "scanpy_pbmc68k_reduced_legacy.h5ad")) {
            List<String> warnings = new ArrayList<>();
            Modality m =
                    Readers.load(REAL.resolve(f), "pbmc", LoadOptions.defaults().withWarnings(warnings::add));
            check(f, m);
            assertEquals(1, warnings.size(), f + ": " + warnings);
            assertTrue(warnings.getFirst().contains("raw/X was loaded as it is"), warnings.getFirst());
            JsonObject obs = expected.getAsJsonObject(f).getAsJsonObject("obs");
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        obs.getAsJsonArray("bulk_labels").get(i).getAsString(),
                        m.obs().stringColumn("bulk_labels").get(i),
                        f);
                assertEquals(
                        obs.getAsJsonArray("n_genes").get(i).getAsLong(),
                        ((Number) m.obs().column("n_genes").get(i)).longValue(),
                        f);
            }
        }
    }

    @Test
    void squidpyVisiumH5adWithObsmSpatialAndGeneIds() {
        Modality m = Readers.load(REAL.resolve("squidpy_test_data.h5ad"), "sq", LoadOptions.defaults());
        check("squidpy_test_data.h5ad", m);
        JsonArray leiden = expected.getAsJsonObject("squidpy_test_data.h5ad")
                .getAsJsonObject("obs")
                .getAsJsonArray("leiden");
        for (int i = 0; i < 3; i++)
            assertEquals(
                    leiden.get(i).getAsString(), m.obs().stringColumn("leiden").get(i));
    }

    @Test
    void tenxHdf5V3AndV2() {
        for (String f : List.of(
                "scanpy_10x_v3_filtered_feature_bc_matrix.h5", "scanpy_10x_v2_filtered_gene_bc_matrices_h5.h5")) {
            assertEquals(Readers.Format.TENX, Readers.detect(REAL.resolve(f)));
            check(f, Readers.load(REAL.resolve(f), "tenx", LoadOptions.defaults()));
        }
    }

    /** The folder {@code dir} of the real files, detected as {@code format}, loaded as {@code name} and checked. */
    private static Modality detectedAndChecked(String dir, Readers.Format format, String name) {
        Path p = REAL.resolve(dir);
        assertEquals(format, Readers.detect(p));
        Modality m = Readers.load(p, name, LoadOptions.defaults());
        check(dir, m);
        return m;
    }

    @Test
    void visiumFolderInMicrons() {
        Path dir = REAL.resolve("scanpy_visium_1.0.0");
        assertEquals(Readers.Format.VISIUM, Readers.detect(dir));
        Modality m = Readers.load(dir, "visium", LoadOptions.defaults());
        check("scanpy_visium_1.0.0", m);
        assertEquals(List.of("in_tissue", "array_row", "array_col"), m.obs().columnNames());
    }

    @Test
    void xeniumFolderDropsControlsAndUsesCentroids() {
        Modality m = detectedAndChecked("sfe_xenium_toy", Readers.Format.XENIUM, "xen");
        for (String g : m.geneNames()) assertFalse(g.startsWith("NegControl") || g.startsWith("BLANK_"), g);
        assertTrue(m.obs().columnNames().contains("cell_area"));
        // the cell table's other columns, by cell (cells.csv.gz: jccimfne-1 has area 506.87890625, 29 transcripts)
        int i = java.util.Arrays.asList(m.cellIds()).indexOf("jccimfne-1");
        assertTrue(i >= 0);
        assertEquals(506.87890625, m.obs().doubleColumn("cell_area").getDouble(i), 0);
        assertEquals(29, m.obs().doubleColumn("transcript_counts").getDouble(i), 0);
    }

    @Test
    void merscopeFolderDropsBlanks() {
        Modality m = detectedAndChecked("sfe_vizgen_liver", Readers.Format.MERSCOPE, "mer");
        for (String g : m.geneNames()) assertFalse(g.startsWith("Blank-"), g);
    }
}
