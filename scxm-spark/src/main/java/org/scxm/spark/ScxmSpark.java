package org.scxm.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.Normalise;
import org.scxm.model.Checkpoint;
import org.scxm.model.Predictor;
import org.scxm.model.ScxmModel;
import org.scxm.model.Torch;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.tokenize.TokenBatch;

/**
 * The workbench's data-parallel stages on Spark, over slices of cells ({@link Slice}): each task reads its own rows of
 * the .h5ad files with the single-machine reader and runs the single-machine code on them, so the results equal the
 * single-machine path (tokens exactly, predictions to float rounding of other batch paddings). {@link Bulking} and
 * {@link Wilcoxon} hold the two stages that need cells of other tasks (a spatial halo, global ranks).
 *
 * <p>Each {@code ...Rows} method answers a lazy Dataset (for a {@code %spark} user to go on with); each stage method
 * writes it with {@link AtomicParquet} and answers what it wrote.
 */
public final class ScxmSpark {
    private ScxmSpark() {}

    /** Cells per task unless told otherwise: a few seconds of work, small enough to retry. */
    public static final int DEFAULT_CELLS_PER_TASK = 20_000;

    /** What to read: an .h5ad file or a folder of them, in slices of {@code cellsPerTask} cells. */
    public record Input(Path path, int cellsPerTask, Slice.Reading reading) implements Serializable {
        public static Input of(Path path) {
            return new Input(path, DEFAULT_CELLS_PER_TASK, Slice.Reading.defaults());
        }

        public Input withCellsPerTask(int n) {
            return new Input(path, n, reading);
        }

        public List<Slice> plan() {
            return Slice.plan(path, cellsPerTask, reading);
        }
    }

    /** A written result: where, how many rows, in how many tasks, how long, and the panel of its array column. */
    public record Written(String path, long rows, int tasks, double seconds, String[] panel) {}

    static JavaRDD<Slice> slices(SparkSession spark, List<Slice> plan) {
        // one slice per partition: a task is one slice, retried alone
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(plan, plan.size());
    }

    static final StructType TOKENS = new StructType()
            .add("cell_id", DataTypes.StringType, false)
            .add("source", DataTypes.StringType, false)
            .add("row", DataTypes.IntegerType, false)
            .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    static StructType panelSchema(String column) {
        return new StructType()
                .add("cell_id", DataTypes.StringType, false)
                .add("source", DataTypes.StringType, false)
                .add("row", DataTypes.IntegerType, false)
                .add(column, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    // ------------------------------------------------------------------ tokenize

    /** Rank value tokens of every cell: cell_id, source (file name), row (in the file), tokens (with specials). */
    public static Dataset<Row> tokenRows(SparkSession spark, Input in, Vocabulary vocab) {
        List<Slice> plan = in.plan();
        Slice.Reading reading = in.reading();
        JavaRDD<Row> rows = slices(spark, plan)
                .mapPartitions(it -> new FlatIterator<>(it, s -> {
                    Modality cells = s.read(reading);
                    RankValueEncoder enc = vocab.encoder(cells);
                    List<Row> out = new ArrayList<>(cells.nCells());
                    for (int i = 0; i < cells.nCells(); i++)
                        out.add(RowFactory.create(cells.cellIds()[i], s.source(), s.from() + i, enc.encode(i)));
                    return out.iterator();
                }));
        return spark.createDataFrame(rows, TOKENS);
    }

    public static Written tokenize(SparkSession spark, Input in, Vocabulary vocab, String out, boolean overwrite) {
        AtomicParquet.checkTarget(spark, out, overwrite);
        long t0 = System.nanoTime();
        List<Slice> plan = in.plan();
        long rows = AtomicParquet.write(
                spark,
                tokenRows(spark, in, vocab),
                out,
                Map.of(
                        "_tokenizer.tsv",
                        "max_length\t" + vocab.maxLength() + "\nfingerprint\t" + vocab.fingerprint() + "\n"),
                overwrite);
        return new Written(out, rows, plan.size(), (System.nanoTime() - t0) / 1e9, null);
    }

    // ------------------------------------------------------------------ predict

    /**
     * How to predict: a checkpoint folder written by `save` (readable by every executor), the device and intra-op
     * threads of each task, and cells per forward pass.
     */
    public record Predicting(String checkpoint, String device, int threads, int batch) implements Serializable {
        public static Predicting of(Path checkpoint) {
            return new Predicting(checkpoint.toAbsolutePath().toString(), "auto", 1, 64);
        }

        public Predicting withDevice(String d) {
            return new Predicting(checkpoint, d, threads, batch);
        }

        public Predicting withThreads(int t) {
            return new Predicting(checkpoint, device, t, batch);
        }

        public Predicting withBatch(int b) {
            return new Predicting(checkpoint, device, threads, b);
        }
    }

    /**
     * What the checkpoint was trained on (its panel, and whether its tokens ranked the panel genes only), after
     * checking on the driver (from its config.json alone) that it was trained with this vocabulary and sequence length.
     */
    public static Checkpoint.Context checkedContext(Predicting p, Vocabulary vocab) {
        Checkpoint.Context c = Checkpoint.context(Path.of(p.checkpoint()));
        if (c.vocabulary() != null && !c.vocabulary().equals(vocab.fingerprint()))
            throw new ScxmException(
                    "the checkpoint " + p.checkpoint() + " was trained with another vocabulary (fingerprint "
                            + c.vocabulary() + ", given " + vocab.fingerprint()
                            + "); give the vocabulary it was trained with.");
        if (c.maxLength() > 0 && c.maxLength() != vocab.maxLength())
            throw new ScxmException("the checkpoint " + p.checkpoint() + " was trained on sequences of " + c.maxLength()
                    + " tokens, not " + vocab.maxLength() + "; give max_length=" + c.maxLength() + ".");
        if (c.panel() == null)
            throw new ScxmException("the checkpoint " + p.checkpoint()
                    + " does not name its panel genes; save it again with `save` after harmonise.");
        if (p.batch() < 1) throw new ScxmException("batch=" + p.batch() + " must be at least 1.");
        return c;
    }

    /**
     * The predicted bulked panel G_E(x) of every cell: cell_id, source, row, prediction (one value per panel gene, in
     * the checkpoint's panel order). The model is loaded once per executor ({@link Models}); each task streams its
     * cells through it batch by batch.
     */
    public static Dataset<Row> predictionRows(SparkSession spark, Input in, Vocabulary vocab, Predicting p) {
        Checkpoint.Context trained = checkedContext(p, vocab);
        String[] panel = trained.panel();
        boolean panelGenesOnly = trained.panelGenesOnly(); // tokenize genes=panel
        List<Slice> plan = in.plan();
        Slice.Reading reading = in.reading();
        JavaRDD<Row> rows = slices(spark, plan)
                .mapPartitions(it -> new FlatIterator<>(it, s -> {
                    Torch.threadReady(p.device(), p.threads());
                    ScxmModel model = Models.get(p.checkpoint(), p.device());
                    Modality cells = s.read(reading);
                    // tokens of the panel genes only when the run was tokenised so; a head that reads the cell's own
                    // panel (own_panel=true) gets the binarised checkpoint panel
                    int[] panelCols = model.config().ownPanel() || panelGenesOnly ? panelColumns(cells, panel) : null;
                    RankValueEncoder enc = vocab.encoder(panelGenesOnly ? cells.selectGenes(panelCols) : cells);
                    return new Iterator<Row>() {
                        int next = 0;
                        final List<Row> buffer = new ArrayList<>();
                        int at = 0;

                        public boolean hasNext() {
                            if (at < buffer.size()) return true;
                            if (next >= cells.nCells()) return false;
                            buffer.clear();
                            at = 0;
                            int b = Math.min(p.batch(), cells.nCells() - next);
                            int[] ids = new int[b];
                            for (int k = 0; k < b; k++) ids[k] = next + k;
                            TokenBatch tb = enc.batch(ids);
                            int[] local = new int[b];
                            for (int k = 0; k < b; k++) local[k] = k;
                            Torch.threadReady(p.device(), p.threads());
                            Predictor.Prediction pr = Predictor.predict(
                                    model,
                                    List.of(new TokenBatch(local, tb.length(), tb.ids(), tb.mask()))
                                            .iterator(),
                                    !model.config().ownPanel()
                                            ? null
                                            : Normalise.binarisedDense(cells.counts()
                                                    .selectRows(ids)
                                                    .selectCols(panelCols)),
                                    b,
                                    false,
                                    Progress.NONE);
                            for (int k = 0; k < b; k++)
                                buffer.add(RowFactory.create(
                                        cells.cellIds()[ids[k]],
                                        s.source(),
                                        s.from() + ids[k],
                                        pr.bulked().row(k)));
                            next += b;
                            return true;
                        }

                        public Row next() {
                            if (!hasNext()) throw new NoSuchElementException();
                            return buffer.get(at++);
                        }
                    };
                }));
        return spark.createDataFrame(rows, panelSchema("prediction"));
    }

    /** The columns of the checkpoint's panel genes in a slice, or one sentence naming a missing gene. */
    static int[] panelColumns(Modality cells, String[] panel) {
        int[] cols = new int[panel.length];
        for (int j = 0; j < panel.length; j++) {
            cols[j] = cells.geneIndex(panel[j]);
            if (cols[j] < 0)
                throw new ScxmException(
                        "the checkpoint reads each cell's panel genes, but " + cells.name() + " lacks the panel gene "
                                + panel[j] + "; predict cells measured on every panel gene of the checkpoint.");
        }
        return cols;
    }

    public static Written predict(
            SparkSession spark, Input in, Vocabulary vocab, Predicting p, String out, boolean overwrite) {
        AtomicParquet.checkTarget(spark, out, overwrite);
        long t0 = System.nanoTime();
        String[] panel = checkedContext(p, vocab).panel();
        List<Slice> plan = in.plan();
        long rows = AtomicParquet.write(
                spark, predictionRows(spark, in, vocab, p), out, Map.of("_panel.tsv", panelFile(panel)), overwrite);
        return new Written(out, rows, plan.size(), (System.nanoTime() - t0) / 1e9, panel);
    }

    // ------------------------------------------------------------------ bulk and DE

    public static Written bulk(SparkSession spark, Input in, Bulking b, String out, boolean overwrite) {
        AtomicParquet.checkTarget(spark, out, overwrite);
        long t0 = System.nanoTime();
        List<Slice> plan = in.plan();
        String[] panel = b.panelOf(plan.get(0), in.reading());
        long rows = AtomicParquet.write(
                spark, b.rows(spark, plan, in.reading()), out, Map.of("_panel.tsv", panelFile(panel)), overwrite);
        return new Written(out, rows, plan.size(), (System.nanoTime() - t0) / 1e9, panel);
    }

    /** The genes of an array column, one per line, in column order. */
    static String panelFile(String[] panel) {
        return "gene\n" + String.join("\n", panel) + "\n";
    }

    /** Reads a `_panel.tsv` back, e.g. to name the columns of a result. */
    public static String[] panelOf(Path result) {
        try {
            List<String> l = java.nio.file.Files.readAllLines(result.resolve("_panel.tsv"));
            return l.subList(1, l.size()).toArray(new String[0]);
        } catch (java.io.IOException e) {
            throw new ScxmException(result + " has no _panel.tsv: is it a predict or bulk result?", e);
        }
    }

    /** Rows of each slice in turn: lazily flattens per-slice iterators. */
    static final class FlatIterator<T> implements Iterator<T> {
        interface PerSlice<T> extends Serializable {
            Iterator<T> rows(Slice s) throws Exception;
        }

        private final Iterator<Slice> slices;
        private final PerSlice<T> f;
        private Iterator<T> current = java.util.Collections.emptyIterator();

        FlatIterator(Iterator<Slice> slices, PerSlice<T> f) {
            this.slices = slices;
            this.f = f;
        }

        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!slices.hasNext()) return false;
                Slice s = slices.next();
                try {
                    current = f.rows(s);
                } catch (ScxmException e) {
                    throw new ScxmException(
                            s.source() + " cells " + s.from() + ".." + s.to() + ": " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }
            return true;
        }

        public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            return current.next();
        }
    }
}
