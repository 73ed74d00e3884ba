package org.scxm.spark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.scxm.ScxmException;
import org.scxm.model.Checkpoint;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The four stages by name with string keys, shared by the spark-submit entry point ({@link Job}) and the {@code %scxm}
 * {@code spark} command, so both accept the same keys with the same meaning. Its signatures carry no Spark types: a
 * caller without Spark on its class path can hold this class's name and say so in one sentence before calling it.
 */
public final class Stages {
    private Stages() {}

    public static final List<String> STAGES = List.of("tokenize", "predict", "bulk", "de");

    /** Keys every stage takes, then each stage's own. */
    public static final List<String> COMMON = List.of("path", "out", "cells_per_task", "layer", "raw", "overwrite");

    public static final Map<String, List<String>> KEYS = Map.of(
            "tokenize", List.of("vocab", "max_length"),
            "predict", List.of("vocab", "max_length", "checkpoint", "device", "threads", "batch"),
            "bulk", List.of("panel", "radius", "kernel", "sigma", "target", "tile"),
            "de", List.of("groups", "group1", "group2", "tie_correct", "top"));

    /** True when Spark's SQL classes can be loaded here. */
    public static boolean sparkAvailable() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, Stages.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The session of this JVM for {@code master} (local[N] or a cluster URL), started on first use. */
    public static SparkSession session(String master) {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        if (active == null) active = SparkSession.getDefaultSession().getOrElse(() -> null);
        if (active != null) {
            String have = active.sparkContext().master();
            if (master != null && !master.equals(have))
                throw new ScxmException("this interpreter already runs a Spark session on " + have + ", not " + master
                        + "; restart the interpreter to change scxm.spark.master.");
            return active;
        }
        SparkSession.Builder b = SparkSession.builder().appName("scxm");
        if (master != null) b = b.master(master);
        return b.getOrCreate();
    }

    /**
     * Runs one stage on the session of {@code master} (null: the one spark-submit configured).
     *
     * @return a summary table (stage, path, rows, tasks, seconds) and, for de, the top genes of the DE table
     */
    public static List<Table> run(String master, String stage, Map<String, String> keys) {
        return run(session(master), stage, keys);
    }

    static List<Table> run(SparkSession spark, String stage, Map<String, String> keys) {
        Keys k = new Keys(stage, keys);
        ScxmSpark.Input in = new ScxmSpark.Input(
                Path.of(k.required("path")),
                k.integer("cells_per_task", ScxmSpark.DEFAULT_CELLS_PER_TASK),
                new Slice.Reading(k.string("layer", null), k.bool("raw", false)));
        String out = k.required("out");
        boolean overwrite = k.bool("overwrite", false);
        ScxmSpark.Written w;
        Table extra = null;
        switch (stage) {
            case "tokenize" -> w = ScxmSpark.tokenize(spark, in, vocabulary(k, null), out, overwrite);
            case "predict" -> {
                Path ckpt = Path.of(k.required("checkpoint"));
                ScxmSpark.Predicting p = ScxmSpark.Predicting.of(ckpt)
                        .withDevice(k.string("device", "auto"))
                        .withThreads(k.integer("threads", 1))
                        .withBatch(k.integer("batch", 64));
                w = ScxmSpark.predict(spark, in, vocabulary(k, ckpt), p, out, overwrite);
            }
            case "bulk" -> {
                double radius = k.number("radius", 25);
                String panel = k.string("panel", null);
                Bulking b = new Bulking(
                        radius,
                        k.string("kernel", "gaussian"),
                        k.number("sigma", Double.NaN),
                        k.string("target", "binarised"),
                        panel == null
                                ? null
                                : Arrays.stream(panel.split(","))
                                        .map(String::strip)
                                        .filter(s -> !s.isEmpty())
                                        .toList(),
                        k.number("tile", 20 * radius));
                w = ScxmSpark.bulk(spark, in, b, out, overwrite);
            }
            case "de" -> {
                long t0 = System.nanoTime();
                Wilcoxon wx = new Wilcoxon(
                        k.required("groups"),
                        k.required("group1"),
                        k.string("group2", "rest"),
                        k.bool("tie_correct", true));
                Table t = wx.write(spark, in, out, overwrite);
                w = new ScxmSpark.Written(out, t.rowCount(), in.plan().size(), (System.nanoTime() - t0) / 1e9, null);
                extra = t.first(Math.min(t.rowCount(), k.integer("top", 20)));
                extra.setName("DE " + wx.group1() + " vs " + wx.group2() + " on '"
                        + Path.of(k.required("path")).getFileName() + "' (spark)");
            }
            default ->
                throw new ScxmException(
                        "unknown stage '" + stage + "'; the Spark stages are " + String.join(", ", STAGES) + ".");
        }
        Table summary = Table.create(
                "spark " + stage + " '" + Path.of(out).getFileName() + "'",
                StringColumn.create("stage", stage),
                StringColumn.create("path", w.path()),
                LongColumn.create("rows", new long[] {w.rows()}),
                IntColumn.create("tasks", new int[] {w.tasks()}),
                DoubleColumn.create("seconds", new double[] {Math.round(w.seconds() * 10) / 10.0}),
                StringColumn.create("master", spark.sparkContext().master()));
        return extra == null ? List.of(summary) : List.of(summary, extra);
    }

    /** vocab=FOLDER (max_length= or the model's); for predict, max_length defaults to the checkpoint's. */
    static Vocabulary vocabulary(Keys k, Path checkpoint) {
        int len = k.integer("max_length", 0);
        if (len == 0 && checkpoint != null) len = Checkpoint.context(checkpoint).maxLength();
        return Vocabulary.fromFolder(Path.of(k.required("vocab")), len);
    }

    /** String keys with one-sentence errors, as the paragraph language gives them. */
    static final class Keys {
        private final String stage;
        private final Map<String, String> keys;

        Keys(String stage, Map<String, String> keys) {
            this.stage = stage;
            this.keys = new LinkedHashMap<>(keys);
            List<String> own = KEYS.get(stage);
            if (own == null)
                throw new ScxmException(
                        "unknown stage '" + stage + "'; the Spark stages are " + String.join(", ", STAGES) + ".");
            for (String key : keys.keySet())
                if (!COMMON.contains(key) && !own.contains(key))
                    throw new ScxmException("spark " + stage + " has no key '" + key + "'; it takes "
                            + String.join(", ", COMMON) + ", " + String.join(", ", own) + ".");
        }

        String string(String key, String fallback) {
            String v = keys.get(key);
            return v == null || v.isBlank() ? fallback : v.strip();
        }

        String required(String key) {
            String v = string(key, null);
            if (v == null) throw new ScxmException("spark " + stage + " needs " + key + "=...");
            return v;
        }

        int integer(String key, int fallback) {
            return parsed(key, fallback, Integer::valueOf, "a whole number");
        }

        double number(String key, double fallback) {
            return parsed(key, fallback, Double::valueOf, "a number");
        }

        /** The key's value as parse reads it, or the fallback where it is not given. */
        private <T> T parsed(String key, T fallback, java.util.function.Function<String, T> parse, String kind) {
            String v = string(key, null);
            if (v == null) return fallback;
            try {
                return parse.apply(v);
            } catch (NumberFormatException e) {
                throw new ScxmException(key + "=" + v + " is not " + kind + ".");
            }
        }

        boolean bool(String key, boolean fallback) {
            String v = string(key, null);
            if (v == null) return fallback;
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new ScxmException(key + "=" + v + " is not true or false.");
            };
        }
    }

    static final Set<String> FLAGS = Set.of("raw", "overwrite");
}
