package org.scxm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.data.DenseMatrix;
import org.scxm.io.H5adWriter;
import org.scxm.model.TrainConfig;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Role;
import org.scxm.workbench.Workbench;
import tech.tablesaw.api.Table;

/**
 * The Spark stages on local[2] against the single-machine verbs on the demo tissue: the harmonised slides and scRNA
 * cells are written as .h5ad, Spark reads them back in several slices per file, and every result is compared with what
 * the Workbench computed in memory. The master is local[2,2]: two cores and one retry per task, so a failed first
 * attempt is retried as on a cluster.
 */
class SparkEqualsOneMachineTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Workbench wb;
    static Path ckpt;

    @BeforeAll
    static void setUp() {
        int threads = Integer.getInteger("scxm.threads", 1);
        wb = new Workbench(new Workbench.Settings(0, "cpu", threads));
        wb.loadDemo(Options.Demo.of(0).withCells(600));
        wb.harmonise(Options.Harmonise.defaults());
        wb.bulk(Options.Bulk.defaults());
        wb.tokenize(Options.Tokenize.fromData(64));
        wb.model(Options.Model.small("scxm", 0).withShape(1, 32, 32, 1));
        wb.train(Options.Train.of(new TrainConfig(1, 4, 8, 1e-4, 1e-4, 2, 10, 1, 1, 0, 5, 1)));
        wb.predict(Options.Predict.of("val"));
        ckpt = dir.resolve("ckpt");
        wb.save(new Options.Save(ckpt, null));
        for (Role r : Role.values()) {
            DatasetState d = wb.harmonisedDataset(r);
            H5adWriter.write(dir.resolve(d.name() + ".h5ad"), d.modality(), null, null);
        }
        spark = SparkSession.builder()
                .master("local[2,2]")
                .appName("scxm-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) spark.stop();
        if (wb != null) wb.close();
    }

    static Vocabulary vocab() {
        var t = wb.state().tokens();
        return Vocabulary.of(t.vocabulary(), t.maxLength());
    }

    static ScxmSpark.Input input(String name, int cellsPerTask) {
        return ScxmSpark.Input.of(dir.resolve(name + ".h5ad")).withCellsPerTask(cellsPerTask);
    }

    static Map<Integer, Row> byRow(Dataset<Row> df) {
        Map<Integer, Row> m = new HashMap<>();
        for (Row r : df.collectAsList()) assertEquals(null, m.put(r.getInt(2), r), "row " + r.getInt(2) + " twice");
        return m;
    }

    static float[] floats(Row r, int col) {
        List<Float> l = r.getList(col);
        float[] f = new float[l.size()];
        for (int k = 0; k < f.length; k++) f[k] = l.get(k);
        return f;
    }

    @Test
    void tokensAreExactlyTheSingleMachineTokens() {
        for (Role role : List.of(Role.SC, Role.VAL)) {
            DatasetState d = wb.harmonisedDataset(role);
            RankValueEncoder enc = wb.encoder(d);
            Map<Integer, Row> got = byRow(ScxmSpark.tokenRows(spark, input(d.name(), 97), vocab()));
            assertEquals(d.nCells(), got.size());
            for (int i = 0; i < d.nCells(); i++) {
                Row r = got.get(i);
                assertEquals(d.modality().cellIds()[i], r.getString(0));
                List<Integer> t = r.getList(3);
                assertArrayEquals(
                        enc.encode(i), t.stream().mapToInt(Integer::intValue).toArray(), d.name() + " cell " + i);
            }
        }
    }

    @Test
    void predictionsEqualTheSingleMachinePredictionWithin1e6() throws IOException {
        DatasetState val = wb.harmonisedDataset(Role.VAL);
        String out = dir.resolve("pred").toString();
        ScxmSpark.Written w = ScxmSpark.predict(
                spark,
                input("val", 101),
                vocab(),
                ScxmSpark.Predicting.of(ckpt).withDevice("cpu").withBatch(16),
                out,
                false);
        assertEquals(val.nCells(), w.rows());
        assertArrayEquals(val.requirePanel(), ScxmSpark.panelOf(Path.of(out)));
        Map<Integer, Row> got = byRow(spark.read().parquet(out));
        DenseMatrix want = val.prediction();
        double worst = 0;
        for (int i = 0; i < val.nCells(); i++) {
            float[] p = floats(got.get(i), 3);
            for (int j = 0; j < p.length; j++) worst = Math.max(worst, Math.abs(p[j] - want.get(i, j)));
        }
        assertTrue(worst <= 1e-6, "largest difference " + worst);
        assertEquals(1, Models.loads(), "the checkpoint is loaded once per executor JVM");
    }

    @Test
    void bulkEqualsTheSingleMachineBulkBitForBit() {
        for (Role role : List.of(Role.ST, Role.VAL)) {
            DatasetState d = wb.harmonisedDataset(role);
            // small tiles (4 radii): most cells' neighbourhoods cross a tile edge
            Bulking b = Bulking.of(25, Arrays.asList(d.requirePanel())).withTile(100);
            Map<Integer, Row> got = byRow(b.rows(spark, input(d.name(), 150).plan(), Slice.Reading.defaults()));
            assertEquals(d.nCells(), got.size());
            DenseMatrix want = d.requireTarget();
            for (int i = 0; i < d.nCells(); i++) {
                float[] z = floats(got.get(i), 3);
                for (int j = 0; j < z.length; j++)
                    assertEquals(
                            Float.floatToRawIntBits(want.get(i, j)),
                            Float.floatToRawIntBits(z[j]),
                            d.name() + " cell " + i + " gene " + j);
            }
        }
    }

    @Test
    void wilcoxonEqualsTheSingleMachineTestWithin1e9() {
        DatasetState val = wb.harmonisedDataset(Role.VAL);
        String type = val.modality().obs().stringColumn("cell_type").get(0);
        wb.de(new Options.De("val", "cell_type", type, "rest", DifferentialExpression.Test.WILCOXON, true, 20));
        Table want = wb.state().de().get("val");
        Table got = Wilcoxon.of("cell_type", type, "rest")
                .write(spark, input("val", 90), dir.resolve("de").toString(), false);
        assertEquals(want.rowCount(), got.rowCount());
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < got.rowCount(); i++) at.put(got.stringColumn("gene").get(i), i);
        for (int i = 0; i < want.rowCount(); i++) {
            int k = at.get(want.stringColumn("gene").get(i));
            for (String c : List.of("pval", "pval_adj"))
                assertEquals(
                        want.doubleColumn(c).getDouble(i), got.doubleColumn(c).getDouble(k), 1e-9, c);
            for (String c : List.of("score", "log2fc", "pct_group1", "pct_group2"))
                assertEquals(
                        want.doubleColumn(c).getDouble(i), got.doubleColumn(c).getDouble(k), 1e-9, c);
            assertEquals(
                    want.stringColumn("log2fc_note").get(i),
                    got.stringColumn("log2fc_note").get(k));
        }
        assertEquals(
                want.rowCount(),
                spark.read().parquet(dir.resolve("de").toString()).count());
    }

    @Test
    void aFailedTaskIsRetriedAndTheResultIsCompleteAndWrittenOnce() throws IOException {
        DatasetState sc = wb.harmonisedDataset(Role.SC);
        Dataset<Row> tokens = ScxmSpark.tokenRows(spark, input("sc", 97), vocab());
        JavaRDD<Row> failingOnce = tokens.javaRDD().map(r -> {
            TaskContext tc = TaskContext.get();
            if (tc.partitionId() == 1 && tc.attemptNumber() == 0)
                throw new IllegalStateException("injected failure of the first attempt");
            return r;
        });
        String out = dir.resolve("tokens-retried").toString();
        long rows =
                AtomicParquet.write(spark, spark.createDataFrame(failingOnce, tokens.schema()), out, Map.of(), false);
        assertEquals(sc.nCells(), rows);
        Dataset<Row> back = spark.read().parquet(out);
        assertEquals(sc.nCells(), back.count());
        assertEquals(sc.nCells(), back.select("row").distinct().count(), "every cell once");
        assertEquals(List.of(), leftovers("tokens-retried"));
    }

    @Test
    void aFailedJobLeavesThePreviousResultAndNoPartialOne() throws IOException {
        String out = dir.resolve("tokens-kept").toString();
        ScxmSpark.Written first = ScxmSpark.tokenize(spark, input("val", 200), vocab(), out, false);
        Dataset<Row> tokens = ScxmSpark.tokenRows(spark, input("val", 97), vocab());
        JavaRDD<Row> alwaysFailing = tokens.javaRDD().map(r -> {
            if (TaskContext.get().partitionId() == 2)
                throw new IllegalStateException("injected failure, every attempt");
            return r;
        });
        assertThrows(
                RuntimeException.class,
                () -> AtomicParquet.write(
                        spark, spark.createDataFrame(alwaysFailing, tokens.schema()), out, Map.of(), true));
        assertEquals(first.rows(), spark.read().parquet(out).count(), "the previous result is untouched");
        assertEquals(List.of(), leftovers("tokens-kept"));
        Path fresh = dir.resolve("tokens-never");
        assertThrows(
                RuntimeException.class,
                () -> AtomicParquet.write(
                        spark,
                        spark.createDataFrame(alwaysFailing, tokens.schema()),
                        fresh.toString(),
                        Map.of(),
                        false));
        assertFalse(Files.exists(fresh), "no result where the job failed");
        assertEquals(List.of(), leftovers("tokens-never"));
    }

    @Test
    void anExistingResultIsRefusedUnlessOverwriteAndAPathUnderAFileIsNamed() throws IOException {
        Path mine = Files.writeString(dir.resolve("mine.txt"), "a user's file");
        String exists = assertThrows(
                        org.scxm.ScxmException.class, () -> AtomicParquet.checkTarget(spark, mine.toString(), false))
                .getMessage();
        assertTrue(exists.contains("exists already: give another out= folder or overwrite=true"), exists);
        String under = assertThrows(
                        org.scxm.ScxmException.class,
                        () -> AtomicParquet.checkTarget(
                                spark, mine.resolve("out").toString(), true))
                .getMessage();
        assertTrue(under.contains("mine.txt is a file, not a folder"), under);
        assertEquals("a user's file", Files.readString(mine));
    }

    /** Hidden temporary folders of a result that are still there. */
    static List<String> leftovers(String name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("." + name + "."))
                    .toList();
        }
    }
}
