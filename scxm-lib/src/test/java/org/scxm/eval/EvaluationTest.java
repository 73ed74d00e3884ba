package org.scxm.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import tech.tablesaw.api.Table;

/** Against scipy.stats.pearsonr / spearmanr, numpy.quantile and a pandas groupby mean (make_eval_fixture.py). */
class EvaluationTest {
    static final JsonObject EXP = read();
    static final String[] GENES = {"A", "B", "C", "CONST"};

    static JsonObject read() {
        try {
            return JsonParser.parseString(Files.readString(Path.of("src/test/resources/eval/eval_expected.json")))
                    .getAsJsonObject();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static DenseMatrix matrix(String key) {
        JsonArray rows = EXP.getAsJsonArray(key);
        int n = rows.size(), p = rows.get(0).getAsJsonArray().size();
        DenseMatrix m = new DenseMatrix(n, p);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
                m.set(i, j, rows.get(i).getAsJsonArray().get(j).getAsFloat());
        return m;
    }

    static String[] strings(String key) {
        JsonArray a = EXP.getAsJsonArray(key);
        String[] s = new String[a.size()];
        for (int i = 0; i < s.length; i++) s[i] = a.get(i).getAsString();
        return s;
    }

    @Test
    void perGenePearsonAndSpearmanMatchScipyWithTiesAndAConstantGene() {
        Table t = Evaluation.perGene("m", matrix("pred"), matrix("truth"), GENES);
        assertEquals(4, t.rowCount());
        for (int j = 0; j < 4; j++) {
            assertEquals(GENES[j], t.stringColumn("gene").get(j));
            JsonElement p = EXP.getAsJsonArray("pearson").get(j),
                    s = EXP.getAsJsonArray("spearman").get(j);
            if (p.isJsonNull()) {
                assertTrue(Double.isNaN(t.doubleColumn("pearson").getDouble(j)), "a constant truth has no correlation");
                assertTrue(Double.isNaN(t.doubleColumn("spearman").getDouble(j)));
            } else {
                assertEquals(p.getAsDouble(), t.doubleColumn("pearson").getDouble(j), 1e-6, "pearson " + GENES[j]);
                assertEquals(s.getAsDouble(), t.doubleColumn("spearman").getDouble(j), 1e-6, "spearman " + GENES[j]);
            }
        }
    }

    @Test
    void summaryQuantilesFollowNumpyAndSkipUndefinedGenes() {
        double[] q = new double[5];
        JsonArray qv = EXP.getAsJsonArray("quantile_values");
        for (int i = 0; i < 5; i++) q[i] = qv.get(i).getAsDouble();
        double[] sorted = q.clone();
        java.util.Arrays.sort(sorted);
        for (String p : new String[] {"0.25", "0.5", "0.75"})
            assertEquals(
                    EXP.getAsJsonObject("quantiles").get(p).getAsDouble(),
                    Evaluation.quantile(sorted, Double.parseDouble(p)),
                    1e-12);

        Table per = Evaluation.combine(
                Evaluation.perGene("model", matrix("pred"), matrix("truth"), GENES),
                Evaluation.perGene("truth itself", matrix("truth"), matrix("truth"), GENES));
        Table s = Evaluation.summary(per);
        assertEquals(2, s.rowCount());
        assertEquals("model", s.stringColumn("method").get(0));
        assertEquals(3, s.doubleColumn("genes").get(0), "the constant gene is left out");
        double[] r = {
            EXP.getAsJsonArray("pearson").get(0).getAsDouble(),
            EXP.getAsJsonArray("pearson").get(1).getAsDouble(),
            EXP.getAsJsonArray("pearson").get(2).getAsDouble()
        };
        java.util.Arrays.sort(r);
        assertEquals(r[1], s.doubleColumn("median_pearson").get(0), 1e-6);
        assertEquals("A", s.stringColumn("best_gene").get(0));
        assertEquals(1.0, s.doubleColumn("median_pearson").get(1), 1e-6, "the truth predicts itself perfectly");
    }

    @Test
    void aMethodWithNoDefinedCorrelationKeepsItsRowAndPlots() {
        // a collapsed or diverged model predicts one value for every cell: no gene has a correlation
        DenseMatrix flat = new DenseMatrix(matrix("truth").rows(), GENES.length);
        java.util.Arrays.fill(flat.data(), 0.5f);
        Table per = Evaluation.combine(
                Evaluation.perGene("model", matrix("pred"), matrix("truth"), GENES),
                Evaluation.perGene("collapsed", flat, matrix("truth"), GENES));
        Table s = Evaluation.summary(per);
        assertEquals(2, s.rowCount());
        assertEquals("collapsed", s.stringColumn("method").get(1));
        assertEquals(0, s.doubleColumn("genes").getDouble(1));
        assertTrue(Double.isNaN(s.doubleColumn("median_pearson").getDouble(1)));
        String json = org.scxm.plot.Distributions.perGene(per, "pearson", "per-gene Pearson")
                .toJson()
                .toString();
        assertTrue(json.contains("\"model\""), json);
        assertFalse(json.contains("NaN"), "undefined correlations are left out of the plot");
    }

    @Test
    void bestGenesAreOrderedByPearsonWithoutUndefinedOnes() {
        Table per = Evaluation.perGene("m", matrix("pred"), matrix("truth"), GENES);
        Table best = Evaluation.bestGenes(per, "m", 10);
        assertEquals(3, best.rowCount(), "the constant gene has no correlation");
        assertEquals("A", best.stringColumn("gene").get(0));
        assertTrue(best.doubleColumn("pearson").getDouble(1)
                >= best.doubleColumn("pearson").getDouble(2));
        assertEquals(1, Evaluation.bestGenes(per, "m", 1).rowCount());
    }

    @Test
    void cellTypeMeanMatchesAGroupbyMeanAndFallsBackToTheOverallMean() {
        DenseMatrix got = Evaluation.cellTypeMean(matrix("truth"), strings("types"), strings("apply_types"));
        DenseMatrix want = matrix("cell_type_mean");
        for (int i = 0; i < want.rows(); i++)
            for (int j = 0; j < want.cols(); j++)
                assertEquals(want.get(i, j), got.get(i, j), 1e-6, "row " + i + " gene " + j);
    }

    @Test
    void mismatchedShapesAreOneClearSentence() {
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> Evaluation.perGene("m", new DenseMatrix(3, 4), new DenseMatrix(5, 4), GENES));
        assertTrue(e.getMessage().contains("3 x 4") && e.getMessage().contains("5 x 4"), e.getMessage());
        e = assertThrows(
                ScxmException.class,
                () -> Evaluation.perGene("m", new DenseMatrix(3, 4), new DenseMatrix(3, 4), new String[] {"A"}));
        assertTrue(e.getMessage().contains("1 gene names"), e.getMessage());
    }

    @Test
    void readingPlacesTheMethodAmongTheReferences() {
        Table summary = Table.create(
                "s",
                tech.tablesaw.api.StringColumn.create("method", "scxm", "own binarised", "cell-type mean", "other"),
                tech.tablesaw.api.DoubleColumn.create("median_pearson", 0.4, 0.47, 0.33, 0.9));
        assertEquals(
                "scxm: median Pearson 0.400, above cell-type mean (0.330), below own binarised (0.470)",
                Evaluation.reading(summary, "scxm", java.util.List.of("cell-type mean", "own binarised", "absent")));
        assertNull(Evaluation.reading(summary, "nothing", java.util.List.of("own binarised")));
    }

    @Test
    void spatiallyStructuredGenesGetTheirOwnMedian() {
        Table per = Table.create(
                "p",
                tech.tablesaw.api.StringColumn.create("method", "m", "m", "m", "m", "r", "r", "r", "r"),
                tech.tablesaw.api.StringColumn.create("gene", "A", "B", "C", "D", "A", "B", "C", "D"),
                tech.tablesaw.api.DoubleColumn.create("pearson", 0.9, 0.7, 0.1, Double.NaN, 0.5, 0.5, 0.5, 0.5),
                tech.tablesaw.api.DoubleColumn.create("spearman", 0, 0, 0, 0, 0, 0, 0, 0));
        Table s = Evaluation.summary(
                Evaluation.withSpatialSignal(per, java.util.Map.of("A", 0.3, "B", 0.1, "C", 0.02, "D", 0.5)));
        assertEquals(
                0.8,
                s.doubleColumn("median_spatial").getDouble(0),
                1e-12,
                "A and B; D is structured but undefined for m");
        assertEquals(2, s.doubleColumn("spatial_genes").getDouble(0));
        assertEquals(0.5, s.doubleColumn("median_spatial").getDouble(1), 1e-12);
        assertEquals(3, s.doubleColumn("spatial_genes").getDouble(1));
        assertEquals(0.7, s.doubleColumn("median_pearson").getDouble(0), 1e-12, "the overall median is unchanged");
        assertFalse(Evaluation.summary(per).containsColumn("median_spatial"), "no Moran's I, no split");
        Table strict = Evaluation.summary(
                Evaluation.withSpatialSignal(per, java.util.Map.of("A", 0.3, "B", 0.1, "C", 0.02, "D", 0.5)), 0.2);
        assertEquals(
                0.9,
                strict.doubleColumn("median_spatial").getDouble(0),
                1e-12,
                "only A is defined and above 0.2 for m");
    }
}
