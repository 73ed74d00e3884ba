package org.scxm.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import smile.classification.LogisticRegression;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Cell-type annotation by label transfer, in the spirit of CellTypist (paper 4.2): a multinomial
 * logistic regression (Smile) on log1p CP10k expression over the genes a labelled reference shares with
 * the query, each gene standardised with the reference's mean and standard deviation (clipped at 10, as
 * CellTypist does), applied to other modalities with a per-cell confidence (the winning class probability).
 * A held-out share of the reference gives an honest confusion table.
 */
public final class LabelTransfer {
    private final LogisticRegression model;
    private final String[] genes; // upper-case symbols, model feature order
    private final double[] mean, sd;
    private final String[] classes;
    private final Table confusion;
    private final double heldOutAccuracy;

    private LabelTransfer(
            LogisticRegression model,
            String[] genes,
            double[] mean,
            double[] sd,
            String[] classes,
            Table confusion,
            double acc) {
        this.model = model;
        this.genes = genes;
        this.mean = mean;
        this.sd = sd;
        this.classes = classes;
        this.confusion = confusion;
        this.heldOutAccuracy = acc;
    }

    public Table confusion() {
        return confusion;
    }

    public double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    /**
     * @param reference labelled cells
     * @param labels    one label per reference cell (null = unlabelled, skipped)
     * @param features  the genes to use (e.g. those shared with the query); case-insensitive symbols
     * @param holdOut   fraction of labelled cells held out for the confusion table (e.g. 0.2)
     */
    public static LabelTransfer train(
            Modality reference, String[] labels, List<String> features, double holdOut, long seed) {
        Map<String, Integer> col = reference.geneLookup();
        List<String> g = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        for (String f : features) {
            Integer c = col.get(f.toUpperCase(Locale.ROOT));
            if (c != null && !g.contains(f.toUpperCase(Locale.ROOT))) {
                g.add(f.toUpperCase(Locale.ROOT));
                cols.add(c);
            }
        }
        if (g.size() < 2)
            throw new ScxmException("the reference '" + reference.name() + "' shares only " + g.size()
                    + " genes with the query; label transfer needs shared genes.");
        Map<String, Integer> cls = new LinkedHashMap<>();
        for (String l : labels) if (l != null) cls.putIfAbsent(l, cls.size());
        if (cls.size() < 2)
            throw new ScxmException(
                    "the reference needs at least two cell types to learn from; it has " + cls.keySet() + ".");
        double[][] x = features(Normalise.log1pCp10k(reference
                .counts()
                .selectCols(cols.stream().mapToInt(Integer::intValue).toArray())));
        int p = g.size();
        double[] mean = new double[p], sd = new double[p];
        for (double[] row : x) for (int j = 0; j < p; j++) mean[j] += row[j];
        for (int j = 0; j < p; j++) mean[j] /= x.length;
        for (double[] row : x) for (int j = 0; j < p; j++) sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
        for (int j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j] / Math.max(1, x.length - 1));
        for (double[] row : x) scale(row, mean, sd);
        Random r = new Random(seed);
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < x.length; i++) if (labels[i] != null) (r.nextDouble() < holdOut ? test : train).add(i);
        double[][] xt = train.stream().map(i -> x[i]).toArray(double[][]::new);
        int[] yt = train.stream().mapToInt(i -> cls.get(labels[i])).toArray();
        LogisticRegression lr = cls.size() == 2
                ? LogisticRegression.binomial(xt, yt, 0.1, 1e-5, 500)
                : LogisticRegression.multinomial(xt, yt, 0.1, 1e-5, 500);
        String[] classes = cls.keySet().toArray(new String[0]);
        int k = classes.length;
        int[][] conf = new int[k][k];
        int correct = 0;
        for (int i : test) {
            int truth = cls.get(labels[i]), pred = lr.predict(x[i]);
            conf[truth][pred]++;
            if (truth == pred) correct++;
        }
        Table t = Table.create(
                "confusion on " + test.size() + " held-out reference cells (rows: true, columns: predicted)",
                StringColumn.create("true type", classes));
        for (int c = 0; c < k; c++) {
            int[] column = new int[k];
            for (int a = 0; a < k; a++) column[a] = conf[a][c];
            t.addColumns(IntColumn.create(classes[c], column));
        }
        return new LabelTransfer(
                lr,
                g.toArray(new String[0]),
                mean,
                sd,
                classes,
                t,
                test.isEmpty() ? Double.NaN : correct / (double) test.size());
    }

    /** Predicted labels and confidence for every cell of a query modality; genes it lacks count as zero. */
    public Table predict(Modality query) {
        Map<String, Integer> col = query.geneLookup();
        int[] cols = new int[genes.length];
        List<Integer> present = new ArrayList<>();
        for (int j = 0; j < genes.length; j++) {
            Integer c = col.get(genes[j]);
            cols[j] = c == null ? -1 : c;
            if (c != null) present.add(j);
        }
        if (present.isEmpty())
            throw new ScxmException(
                    "'" + query.name() + "' has none of the reference's genes; harmonise the modalities first.");
        SparseMatrix sub = query.counts()
                .selectCols(present.stream().mapToInt(j -> cols[j]).toArray());
        double[][] xs = features(Normalise.log1pCp10k(sub));
        String[] label = new String[xs.length];
        double[] conf = new double[xs.length];
        double[] post = new double[classes.length];
        for (int i = 0; i < xs.length; i++) {
            double[] row = new double[genes.length];
            for (int k = 0; k < present.size(); k++) row[present.get(k)] = xs[i][k];
            for (int j = 0; j < genes.length; j++) if (cols[j] < 0) row[j] = 0;
            scale(row, mean, sd);
            int c = model.predict(row, post);
            label[i] = classes[c];
            conf[i] = post[c];
        }
        return Table.create(
                "label transfer to '" + query.name() + "'",
                StringColumn.create("cell", query.cellIds()),
                StringColumn.create("cell_type", label),
                DoubleColumn.create("confidence", conf));
    }

    private static double[][] features(SparseMatrix m) {
        double[][] x = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            float[] v = m.rowValues(i);
            int[] idx = m.rowIndices(i);
            for (int k = m.rowStart(i), e = m.rowEnd(i); k < e; k++) x[i][idx[k]] = v[k];
        }
        return x;
    }

    private static void scale(double[] row, double[] mean, double[] sd) {
        for (int j = 0; j < row.length; j++) row[j] = Math.min(10, sd[j] > 0 ? (row[j] - mean[j]) / sd[j] : 0);
    }
}
