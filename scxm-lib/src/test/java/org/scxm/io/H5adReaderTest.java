package org.scxm.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.columns.Column;

/** The .h5ad reader against fixtures written by anndata 0.8 (make_h5ad_fixtures.py) and what anndata reads back. */
class H5adReaderTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/h5ad");

    static JsonObject expected(String name) throws IOException {
        return JsonParser.parseString(Files.readString(DIR.resolve(name + ".expected.json")))
                .getAsJsonObject();
    }

    /** Every cell of the matrix, ids and gene labels equal anndata's. */
    static void assertMatches(JsonObject e, Modality m) {
        JsonArray shape = e.getAsJsonArray("shape");
        assertEquals(shape.get(0).getAsInt(), m.nCells());
        assertEquals(shape.get(1).getAsInt(), m.nGenes());
        JsonArray dense = e.getAsJsonArray("dense");
        for (int i = 0; i < m.nCells(); i++) {
            JsonArray row = dense.get(i).getAsJsonArray();
            for (int j = 0; j < m.nGenes(); j++)
                assertEquals(
                        row.get(j).getAsDouble(),
                        m.counts().get(i, j),
                        1e-5 * Math.max(1, Math.abs(row.get(j).getAsDouble())),
                        "cell " + i + " gene " + j);
        }
        assertArrayEquals(strings(e.getAsJsonArray("cells")), m.cellIds());
        assertArrayEquals(strings(e.getAsJsonArray("genes")), m.geneNames());
        assertArrayEquals(strings(e.getAsJsonArray("ids")), m.geneIds());
        if (e.has("x")) {
            for (int i = 0; i < m.nCells(); i++) {
                assertEquals(e.getAsJsonArray("x").get(i).getAsDouble(), m.x()[i], 1e-4);
                assertEquals(e.getAsJsonArray("y").get(i).getAsDouble(), m.y()[i], 1e-4);
            }
        } else assertFalse(m.hasCoordinates());
    }

    static String[] strings(JsonArray a) {
        String[] s = new String[a.size()];
        for (int i = 0; i < s.length; i++)
            s[i] = a.get(i).isJsonNull() ? null : a.get(i).getAsString();
        return s;
    }

    /** The sentence loading {@code file} with {@code o} is refused with. */
    static String refusal(String file, LoadOptions o) {
        return assertThrows(ScxmException.class, () -> load(file, o)).getMessage();
    }

    static Modality load(String file, LoadOptions o) {
        return Readers.load(DIR.resolve(file), "t", o);
    }

    @Test
    void denseFloat32WithObsColumnsOfEveryKind() throws IOException {
        JsonObject e = expected("dense_f32");
        Modality m = load("dense_f32.h5ad", LoadOptions.defaults());
        assertMatches(e, m);
        JsonObject obs = e.getAsJsonObject("obs");
        assertEquals(
                List.of("cell_type", "n_genes", "score", "is_good", "note"),
                m.obs().columnNames());
        for (String col : obs.keySet()) {
            Column<?> c = m.obs().column(col);
            JsonArray want = obs.getAsJsonArray(col);
            for (int i = 0; i < m.nCells(); i++) {
                JsonElement w = want.get(i);
                Object got = c.get(i);
                if (c instanceof BooleanColumn) assertEquals(w.getAsBoolean(), got, col);
                else if (got instanceof Number num) assertEquals(w.getAsDouble(), num.doubleValue(), 1e-6, col);
                else assertEquals(w.getAsString(), got, col);
            }
        }
    }

    @Test
    void denseInSmallGzipChunksCrossesChunkBoundaries() throws IOException {
        JsonObject e = expected("dense_chunked_gzip");
        assertMatches(e, load("dense_chunked_gzip.h5ad", LoadOptions.defaults()));
        assertMatches(
                e,
                load(
                        "dense_chunked_gzip.h5ad",
                        LoadOptions.defaults().withChunkEntries(50))); // row blocks not chunk-aligned
    }

    @Test
    void csrWithCountsLayerPrefersTheLayerAndKeepsTheCustomIndexName() throws IOException {
        Modality m = load("csr_f64_layers.h5ad", LoadOptions.defaults());
        assertMatches(expected("csr_f64_layers"), m);
        assertEquals(
                List.of("a", "b", "a"), m.obs().stringColumn("batch").asList().subList(0, 3));
        // X (float64, log-normalised) when asked for explicitly, with a warning about non-integers
        List<String> warnings = new ArrayList<>();
        Modality x = load(
                "csr_f64_layers.h5ad", LoadOptions.defaults().withLayer("X").withWarnings(warnings::add));
        assertMatches(expected("csr_f64_layers_X"), x);
        assertEquals(1, warnings.size());
        assertTrue(
                warnings.getFirst().startsWith("X of csr_f64_layers.h5ad holds non-integer values"),
                warnings.getFirst());
    }

    @Test
    void cscIntegerCountsInSmallChunksMatchAnndata() throws IOException {
        JsonObject e = expected("csc_int");
        // tiny chunks force many slices and several row-range passes of the CSC to CSR conversion
        assertMatches(e, load("csc_int.h5ad", LoadOptions.defaults().withChunkEntries(7)));
        assertMatches(e, load("csc_int.h5ad", LoadOptions.defaults()));
    }

    @Test
    void gzipChunkedObsNamesColumnsAndCoordinatesMatchAnndata() throws IOException {
        JsonObject e = expected("obs_spatial_gzip");
        Modality m = load("obs_spatial_gzip.h5ad", LoadOptions.defaults());
        assertMatches(e, m); // names and coordinates (7 x 1 chunks: both columns cross chunk boundaries)
        JsonObject obs = e.getAsJsonObject("obs");
        // cell types as the workbench takes them, straight from the decoded columns
        assertArrayEquals(strings(obs.getAsJsonArray("cell_type")), m.lazyObs().strings("cell_type"));
        assertEquals(List.of("cell_type", "depth"), m.lazyObs().columnNames());
        assertEquals(List.of("cell_type", "depth"), m.obs().columnNames()); // the table, built on first use
        for (int i = 0; i < m.nCells(); i++)
            assertEquals(
                    obs.getAsJsonArray("depth").get(i).getAsDouble(),
                    m.obs().numberColumn("depth").getDouble(i));
        // a row subset before and after the table exists: the same rows in the given order
        int[] rows = {44, 0, 7, 7};
        assertArrayEquals(
                new String[] {
                    obs.getAsJsonArray("cell_type").get(44).getAsString(),
                    obs.getAsJsonArray("cell_type").get(0).getAsString(),
                    obs.getAsJsonArray("cell_type").get(7).getAsString(),
                    obs.getAsJsonArray("cell_type").get(7).getAsString()
                },
                load("obs_spatial_gzip.h5ad", LoadOptions.defaults())
                        .selectCells(rows)
                        .lazyObs()
                        .strings("cell_type"));
        assertArrayEquals(
                m.selectCells(rows).lazyObs().strings("cell_type"),
                load("obs_spatial_gzip.h5ad", LoadOptions.defaults())
                        .selectCells(rows)
                        .obs()
                        .stringColumn("cell_type")
                        .asObjectArray());
    }

    @Test
    void csrInManyCompressedChunksWithAnUnsortedRowMatchesAnndata() throws IOException {
        JsonObject e = expected("csr_gzip_chunks");
        // gzip data, shuffled+gzip indices in 16-entry chunks: decoded in parallel, in slices that end mid-chunk
        assertMatches(e, load("csr_gzip_chunks.h5ad", LoadOptions.defaults()));
        assertMatches(e, load("csr_gzip_chunks.h5ad", LoadOptions.defaults().withChunkEntries(37)));
    }

    @Test
    void scaledXWithLogNormalisedRawLoadsRawWithAWarning() throws IOException {
        List<String> warnings = new ArrayList<>();
        Modality m = load("scaled_lognorm_raw.h5ad", LoadOptions.defaults().withWarnings(warnings::add));
        assertMatches(expected("scaled_lognorm_raw"), m);
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().contains("raw/X was loaded as it is"), warnings.getFirst());
    }

    @Test
    void pre08CategoriesUnderDoubleUnderscoreCategories() throws IOException {
        JsonObject e = expected("legacy_categories");
        Modality m = load("legacy_categories.h5ad", LoadOptions.defaults());
        assertMatches(e, m);
        assertArrayEquals(
                strings(e.getAsJsonObject("obs").getAsJsonArray("kind")),
                m.obs().stringColumn("kind").asList().stream()
                        .map(s -> s.isEmpty() ? null : s)
                        .toArray(String[]::new));
        assertEquals(1.5, m.obs().doubleColumn("depth").get(3));
    }

    @Test
    void progressIsReportedAndCancellationStopsTheLoad() {
        List<Double> seen = new ArrayList<>();
        Readers.load(
                DIR.resolve("csc_int.h5ad"), "t", LoadOptions.defaults().withChunkEntries(7), (f, msg) -> seen.add(f));
        assertTrue(seen.size() > 3, seen.toString());
        assertEquals(1.0, seen.getLast());
        org.scxm.Progress cancelling = (f, msg) -> {
            if (f > 0) throw new org.scxm.Progress.Cancelled();
        };
        assertThrows(
                org.scxm.Progress.Cancelled.class,
                () -> Readers.load(DIR.resolve("csc_int.h5ad"), "t", LoadOptions.defaults(), cancelling));
    }

    @Test
    void explicitLayerAndRawChoices() {
        String missing = refusal("dense_f32.h5ad", LoadOptions.defaults().withLayer("spliced"));
        assertTrue(missing.contains("dense_f32.h5ad has no layers['spliced']"), missing);
        String noRaw = refusal("dense_f32.h5ad", LoadOptions.defaults().withRaw());
        assertTrue(noRaw.contains("has no raw/X"), noRaw);
    }

    @Test
    void scaledDataWithoutCountsIsRefusedWithAnExplanation() {
        String ex = refusal("scaled_only.h5ad", LoadOptions.defaults());
        assertTrue(ex.startsWith("scaled_only.h5ad holds no counts"), ex);
        assertTrue(ex.contains("layers['counts']"), ex);
    }

    @Test
    void nanAndNegativeCountsNameTheFieldAndCell() {
        String auto = refusal("nan_counts.h5ad", LoadOptions.defaults());
        assertTrue(auto.startsWith("nan_counts.h5ad holds no counts"), auto);
        String nan = refusal("nan_counts.h5ad", LoadOptions.defaults().withLayer("X"));
        assertTrue(nan.startsWith("X of nan_counts.h5ad holds NaN for cell 'n2'"), nan);
        String neg = refusal("negative_layer.h5ad", LoadOptions.defaults().withLayer("counts"));
        assertTrue(
                neg.startsWith("layers['counts'] of negative_layer.h5ad holds a negative value (-2.0) for cell 'm0'"),
                neg);
    }
}
