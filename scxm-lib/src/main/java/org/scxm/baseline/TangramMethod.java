package org.scxm.baseline;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scxm.Progress;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Tangram as a {@link Method}: each set of cells the core hands over (the validation slide's, the scRNA cells) gets a
 * mapping of its own onto the training slide's cells, read back through the slide's bulked targets. Nothing is
 * trained before the cells arrive, so the losses table fills as the mappings run, one block of rows per mapped set.
 */
public record TangramMethod(Tangram.Config config) implements Method {
    /**
     * Epochs of the command's default. Tangram's 1000 take 12 minutes per mapping of the demo on two cores; on the
     * demo's validation slide (4,000 x 6,000 cells, whole slide) 50 epochs scored a median Pearson of 0.429 in 72 s
     * (2 threads, load 4-7), against 0.389 for 100 and 0.377 for 1000.
     */
    public static final int DEFAULT_EPOCHS = 50;

    /** Tangram's defaults with {@link #DEFAULT_EPOCHS}. */
    public static Tangram.Config defaults() {
        return Tangram.Config.defaults().withEpochs(DEFAULT_EPOCHS);
    }

    @Override
    public String name() {
        return "tangram";
    }

    @Override
    public boolean predictsCells() {
        return true;
    }

    @Override
    public Fit fit(Data d, Device device, Progress progress) {
        Tangram t = new Tangram(d.stPanelCounts(), d.stTarget(), config, device);
        Table losses = Tangram.lossTable().insertColumn(0, StringColumn.create("cells"));
        List<String> notes = new ArrayList<>();
        int[] panel = d.panelColumns();
        java.util.function.Function<Cells, DenseMatrix> predict = cells -> {
            Tangram.Result r = t.map(cells.panelCounts(), cells.types(), progress);
            Table l = r.losses();
            for (int i = 0; i < l.rowCount(); i++) {
                losses.stringColumn("cells").append(cells.name());
                losses.intColumn("step").append(l.intColumn("step").getInt(i));
                for (String c : Tangram.LOSS_TERMS)
                    losses.doubleColumn(c).append(l.doubleColumn(c).getDouble(i));
            }
            notes.add(String.format(
                    Locale.ROOT,
                    "Tangram mapped the %d cells of '%s' onto the %d cells of '%s'%s: mean gene cosine %.3f on %d"
                            + " panel genes.",
                    cells.panelCounts().rows(),
                    cells.name(),
                    d.stTarget().rows(),
                    d.stName(),
                    r.clustered()
                            ? " in cluster mode (" + r.mapping().rows() + " "
                                    + (cells.types() != null ? "cell types" : "k-means clusters")
                                    + ": cells x slide cells pass max_entries=" + config.maxEntries() + ")"
                            : "",
                    r.meanGeneCosine(),
                    r.genes().length));
            return r.prediction();
        };
        // from expression alone: the panel columns' CP10k (expm1 of log1p) are the counts up to each cell's scale,
        // which Tangram's own normalisation over the panel removes
        java.util.function.Function<DenseMatrix, DenseMatrix> translate =
                expr -> predict.apply(new Cells("cells", expr, proportionalCounts(expr, panel), null));
        return new Fit(translate, predict, losses, config.epochs(), notes, t);
    }

    /** Each cell's panel columns back on the linear scale (CP10k over the whole transcriptome). */
    static SparseMatrix proportionalCounts(DenseMatrix log1pCp10k, int[] panel) {
        DenseMatrix p = log1pCp10k.selectCols(panel);
        float[][] rows = new float[p.rows()][];
        for (int i = 0; i < rows.length; i++) {
            float[] r = new float[panel.length];
            for (int j = 0; j < r.length; j++) r[j] = (float) Math.expm1(p.get(i, j));
            rows[i] = r;
        }
        return SparseMatrix.fromDense(rows, panel.length);
    }
}
