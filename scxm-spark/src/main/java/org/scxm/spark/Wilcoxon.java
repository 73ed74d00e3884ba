package org.scxm.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.scxm.ScxmException;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.analysis.MultipleTesting;
import org.scxm.data.Modality;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Wilcoxon rank-sum between two groups of cells across partitions, with global ranks and the tie correction, equal
 * to {@link org.scxm.analysis.DifferentialExpression} (test WILCOXON) on log1p CP10k expression.
 *
 * <p>How the ranks become global: each task normalises its own cells (per cell, as on one machine) and emits every
 * non-zero value of a cell in either group as (gene, value, group). Spark counts each distinct (gene, value) per group
 * and sorts the counts by gene and value; one pass down each gene gives the rank sum of group 1 among its non-zeros
 * (mid-ranks for ties: cum + (t + 1) / 2) and Σ(t³ − t) over tied non-zeros. The zeros, which share one rank, and the
 * group sizes are added on the driver: R1 = (n1 − nz1)(zeros + 1)/2 + R1' + nz1·zeros. Rank sums are sums of
 * half-integers, exact in doubles far beyond atlas sizes, so z and p agree with the one-machine test to rounding.
 *
 * @param column obs column holding the groups
 * @param group1 the first group's label
 * @param group2 the second group's label, or "rest" (every other labelled cell)
 */
public record Wilcoxon(String column, String group1, String group2, boolean tieCorrect) implements Serializable {
    public static Wilcoxon of(String column, String group1, String group2) {
        return new Wilcoxon(column, group1, group2 == null ? "rest" : group2, true);
    }

    static final StructType ENTRIES = new StructType()
            .add("gene", DataTypes.IntegerType, false)
            .add("value", DataTypes.FloatType, false)
            .add("grp", DataTypes.IntegerType, false);

    static final StructType RESULT = new StructType()
            .add("gene", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("pval", DataTypes.DoubleType, false)
            .add("pval_adj", DataTypes.DoubleType, false)
            .add("log2fc", DataTypes.DoubleType, false)
            .add("log2fc_note", DataTypes.StringType, false)
            .add("pct_group1", DataTypes.DoubleType, false)
            .add("pct_group2", DataTypes.DoubleType, false);

    /** 1, 2 or 0 (in neither) for a cell's label. */
    int group(String label) {
        if (label == null) return 0;
        if (label.equals(group1)) return 1;
        return group2.equals("rest") || label.equals(group2) ? 2 : 0;
    }

    /** The DE table (gene, score, pval, pval_adj, log2fc, log2fc_note, pct_group1, pct_group2), by score descending. */
    public Table run(SparkSession spark, ScxmSpark.Input in) {
        List<Slice> plan = in.plan();
        Slice.Reading reading = in.reading();
        String[] genes = plan.get(0).withRows(0, 0).read(reading).geneNames();
        JavaRDD<Row> entries = ScxmSpark.slices(spark, plan).flatMap(s -> {
            Modality m = s.read(reading);
            if (!Arrays.equals(m.geneNames(), genes))
                throw new ScxmException(s.source() + " has other genes than "
                        + plan.get(0).source() + "; DE across files needs the same genes in the same order.");
            if (!m.obs().containsColumn(column))
                throw new ScxmException("groups=" + column + " is not an obs column of " + s.source()
                        + "; its columns: " + String.join(", ", m.obs().columnNames()) + ".");
            var labels = m.obs().column(column);
            SparseMatrix x = Normalise.log1pCp10k(m.counts());
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < m.nCells(); i++) {
                int g = group(labels.isMissing(i) ? null : labels.getString(i));
                if (g == 0) continue;
                out.add(RowFactory.create(-1, 0f, g)); // counts the cell in its group
                int[] idx = x.rowIndices(i);
                float[] v = x.rowValues(i);
                for (int k = x.rowStart(i), e = x.rowEnd(i); k < e; k++) {
                    if (v[k] < 0)
                        throw new ScxmException("expression must be non-negative (log1p of counts), found " + v[k]
                                + " at cell " + m.cellIds()[i] + ".");
                    if (v[k] != 0) out.add(RowFactory.create(idx[k], v[k], g));
                }
            }
            return out.iterator();
        });
        Dataset<Row> counted = spark.createDataFrame(entries, ENTRIES)
                .groupBy("gene", "value")
                .agg(
                        sum(when(col("grp").equalTo(1), 1L).otherwise(0L)).as("c1"),
                        sum(when(col("grp").equalTo(2), 1L).otherwise(0L)).as("c2"))
                .repartition(col("gene"))
                .sortWithinPartitions("gene", "value");
        List<Row> perGene;
        try {
            perGene = counted.toJavaRDD().mapPartitions(Wilcoxon::pass).collect();
        } catch (Exception e) { // SparkException, thrown from Scala
            throw AtomicParquet.failed("the DE of " + in.path(), e);
        }
        return table(genes, perGene);
    }

    /**
     * One pass down each gene's sorted distinct values: gene, nz1, nz2, rank sum of group 1 among non-zeros, Σ(t³−t)
     * over tied non-zeros, Σ CP10k of group 1 and of group 2. Gene −1 carries the group sizes as nz1, nz2.
     */
    static Iterator<Row> pass(Iterator<Row> it) {
        List<Row> out = new ArrayList<>();
        int gene = Integer.MIN_VALUE;
        long nz1 = 0, nz2 = 0, cum = 0;
        double r1 = 0, ties = 0, cp1 = 0, cp2 = 0;
        while (it.hasNext()) {
            Row r = it.next();
            int g = r.getInt(0);
            if (g != gene) {
                if (gene != Integer.MIN_VALUE) out.add(RowFactory.create(gene, nz1, nz2, r1, ties, cp1, cp2));
                gene = g;
                nz1 = nz2 = cum = 0;
                r1 = ties = cp1 = cp2 = 0;
            }
            float v = r.getFloat(1);
            long a = r.getLong(2), b = r.getLong(3), t = a + b;
            double mid = cum + (t + 1) / 2.0;
            r1 += a * mid;
            if (t > 1) ties += (double) t * t * t - t;
            double lin = Math.expm1(v);
            cp1 += a * lin;
            cp2 += b * lin;
            nz1 += a;
            nz2 += b;
            cum += t;
        }
        if (gene != Integer.MIN_VALUE) out.add(RowFactory.create(gene, nz1, nz2, r1, ties, cp1, cp2));
        return out.iterator();
    }

    Table table(String[] genes, List<Row> perGene) {
        int g = genes.length;
        long[] nz1 = new long[g], nz2 = new long[g];
        double[] r1nz = new double[g], tiesNz = new double[g], cp1 = new double[g], cp2 = new double[g];
        long n1 = 0, n2 = 0;
        for (Row r : perGene) {
            int j = r.getInt(0);
            if (j < 0) {
                n1 = r.getLong(1);
                n2 = r.getLong(2);
                continue;
            }
            nz1[j] = r.getLong(1);
            nz2[j] = r.getLong(2);
            r1nz[j] = r.getDouble(3);
            tiesNz[j] = r.getDouble(4);
            cp1[j] = r.getDouble(5);
            cp2[j] = r.getDouble(6);
        }
        if (n1 < 2 || n2 < 2)
            throw new ScxmException("each group needs at least 2 cells, got " + n1 + " and " + n2 + " (groups=" + column
                    + " group1=" + group1 + " group2=" + group2 + "); check the group definition.");
        long n = n1 + n2;
        double[] score = new double[g],
                p = new double[g],
                lfc = new double[g],
                pct1 = new double[g],
                pct2 = new double[g];
        for (int j = 0; j < g; j++) {
            long zeros = n - nz1[j] - nz2[j];
            double r1 = (double) (n1 - nz1[j]) * (zeros + 1) / 2.0 + r1nz[j] + (double) nz1[j] * zeros;
            double ties = (zeros > 1 ? (double) zeros * zeros * zeros - zeros : 0) + tiesNz[j];
            double tc = tieCorrect ? 1 - ties / ((double) n * n * n - n) : 1;
            double sd = Math.sqrt(tc * n1 * (double) n2 * (n + 1) / 12.0);
            score[j] = sd == 0 ? 0 : (r1 - n1 * (n + 1.0) / 2.0) / sd;
            p[j] = sd == 0 ? 1 : smile.math.special.Erf.erfc(Math.abs(score[j]) / Math.sqrt(2));
            lfc[j] = Math.log((cp1[j] / n1 + DifferentialExpression.PSEUDOCOUNT)
                            / (cp2[j] / n2 + DifferentialExpression.PSEUDOCOUNT))
                    / Math.log(2);
            pct1[j] = nz1[j] / (double) n1;
            pct2[j] = nz2[j] / (double) n2;
        }
        double[] q = MultipleTesting.benjaminiHochberg(p);
        Table t = Table.create(
                "Wilcoxon rank-sum",
                StringColumn.create("gene", genes),
                DoubleColumn.create("score", score),
                DoubleColumn.create("pval", p),
                DoubleColumn.create("pval_adj", q),
                DoubleColumn.create("log2fc", lfc),
                StringColumn.create("log2fc_note", DifferentialExpression.foldChangeNotes(pct1, pct2)),
                DoubleColumn.create("pct_group1", pct1),
                DoubleColumn.create("pct_group2", pct2));
        return t.sortDescendingOn("score");
    }

    /** Runs the test and writes its table as Parquet (atomically); answers the table. */
    public Table write(SparkSession spark, ScxmSpark.Input in, String out, boolean overwrite) {
        AtomicParquet.checkTarget(spark, out, overwrite);
        Table t = run(spark, in);
        List<Row> rows = new ArrayList<>(t.rowCount());
        for (int i = 0; i < t.rowCount(); i++)
            rows.add(RowFactory.create(
                    t.stringColumn("gene").get(i),
                    t.doubleColumn("score").getDouble(i),
                    t.doubleColumn("pval").getDouble(i),
                    t.doubleColumn("pval_adj").getDouble(i),
                    t.doubleColumn("log2fc").getDouble(i),
                    t.stringColumn("log2fc_note").get(i),
                    t.doubleColumn("pct_group1").getDouble(i),
                    t.doubleColumn("pct_group2").getDouble(i)));
        AtomicParquet.write(spark, spark.createDataFrame(rows, RESULT).coalesce(1), out, java.util.Map.of(), overwrite);
        return t;
    }
}
