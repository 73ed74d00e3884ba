package org.scxm.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.scxm.ScxmException;

/**
 * Writes a result as Parquet so that it appears whole or not at all: the job writes into a hidden sibling folder
 * ({@code .NAME.writing-...}); only when every task has committed (Spark's commit protocol keeps one copy of a retried
 * task's output) is it renamed to NAME. A failed or cancelled job deletes its folder and leaves NAME as it was. Works on
 * any Hadoop file system with an atomic folder rename (local, HDFS; not S3, whose rename is a copy).
 */
public final class AtomicParquet {
    private AtomicParquet() {}

    /**
     * One sentence for a failed job: the first {@link ScxmException} a task threw (data errors say what is wrong),
     * else the innermost cause; either way nothing was written.
     */
    static ScxmException failed(String out, Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ScxmException s)
                return new ScxmException(s.getMessage() + " (nothing was written to " + out + ")", e);
            root = t;
        }
        return new ScxmException(
                "the Spark job writing " + out + " failed (" + root
                        + "); nothing was written there, a previous result is untouched.",
                e);
    }

    /**
     * Refuses an existing result unless {@code overwrite} (the rule of {@code org.scxm.io.Targets} for every write the
     * workbench makes), and a path under a file; checked before any work is done.
     */
    public static void checkTarget(SparkSession spark, String out, boolean overwrite) {
        try {
            Path p = new Path(out);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(p) && !overwrite)
                throw new ScxmException(out + " exists already: give another out= folder or overwrite=true.");
            for (Path q = p.getParent(); q != null; q = q.getParent())
                if (fs.exists(q) && fs.getFileStatus(q).isFile())
                    throw new ScxmException("cannot write " + out + ": " + q
                            + " is a file, not a folder; give an out= folder inside a folder.");
        } catch (IOException e) {
            throw new ScxmException("could not check " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param sidecars small text files written into the result beside the Parquet parts (names starting with '_', which
     *                 Parquet readers skip), e.g. the gene panel of an array column
     * @return the rows written
     */
    public static long write(
            SparkSession spark, Dataset<Row> df, String out, Map<String, String> sidecars, boolean overwrite) {
        checkTarget(spark, out, overwrite);
        Path target = new Path(out);
        Path tmp = new Path(
                target.getParent(),
                "." + target.getName() + ".writing-" + spark.sparkContext().applicationId() + "-" + System.nanoTime());
        FileSystem fs;
        try {
            fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new ScxmException("could not open the file system of " + out + ": " + e.getMessage(), e);
        }
        boolean done = false;
        // A job group names this write's jobs, so that after a failure the tasks still running can be stopped and
        // waited for: one that wrote on after the folder was deleted would bring a partial folder back.
        org.apache.spark.SparkContext sc = spark.sparkContext();
        String callersGroup = sc.getLocalProperty("spark.jobGroup.id");
        String group = callersGroup != null ? callersGroup : "scxm-" + tmp.getName();
        if (callersGroup == null) sc.setJobGroup(group, "writing " + out, true);
        try {
            df.write().parquet(tmp.toString());
            for (Map.Entry<String, String> e : sidecars.entrySet())
                try (OutputStream o = fs.create(new Path(tmp, e.getKey()), false)) {
                    o.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                }
            Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + System.nanoTime());
            boolean hadOld = fs.exists(target);
            if (hadOld && !fs.rename(target, old)) throw new IOException("could not move the old " + out + " aside");
            if (!fs.rename(tmp, target)) {
                if (hadOld) fs.rename(old, target);
                throw new IOException("could not rename " + tmp + " to " + out);
            }
            if (hadOld) fs.delete(old, true);
            done = true;
            // counted from the renamed result: Spark's readers skip hidden folders such as the temporary one
            return spark.read().parquet(out).count();
        } catch (IOException e) {
            throw new ScxmException(
                    "could not write " + out + " (" + e.getMessage() + "); check the folder is writable.", e);
        } catch (Exception e) { // SparkException (checked, thrown from Scala) and whatever a task threw
            throw failed(out, e);
        } finally {
            if (!done) removeAfterTasksEnd(sc, group, callersGroup == null, fs, tmp);
            if (callersGroup == null) sc.clearJobGroup();
        }
    }

    /**
     * Deletes a failed write's folder once none of its tasks runs any more: a job fails at its first failed task while
     * others may still be writing. Cancels the group when it is this write's own; waits at most 30 s.
     */
    private static void removeAfterTasksEnd(
            org.apache.spark.SparkContext sc, String group, boolean own, FileSystem fs, Path tmp) {
        if (own) sc.cancelJobGroup(group);
        org.apache.spark.api.java.JavaSparkStatusTracker status =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(sc).statusTracker();
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            // the status comes through Spark's asynchronous listener bus: delete, then check the folder stays gone
            for (int quiet = 0; quiet < 3 && System.nanoTime() < deadline; ) {
                if (activeTasks(status, group) > 0) quiet = 0;
                else if (fs.exists(tmp)) {
                    fs.delete(tmp, true);
                    quiet = 0;
                } else quiet++;
                Thread.sleep(100);
            }
        } catch (IOException ignored) {
            // the hidden folder is left; it is never read as a result
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int activeTasks(org.apache.spark.api.java.JavaSparkStatusTracker status, String group) {
        int n = 0;
        for (int job : status.getJobIdsForGroup(group)) {
            org.apache.spark.SparkJobInfo j = status.getJobInfo(job);
            if (j == null) continue;
            for (int stage : j.stageIds()) {
                org.apache.spark.SparkStageInfo st = status.getStageInfo(stage);
                if (st != null) n += st.numActiveTasks();
            }
        }
        return n;
    }
}
