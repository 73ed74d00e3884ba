package org.scxm.baseline;

import ai.djl.Device;
import java.util.List;
import java.util.function.Function;
import org.scxm.Progress;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.Table;

/**
 * A comparison method, as the baseline verb runs it: fitted on exactly SCXM's data, it translates a cell's
 * expression into the bulked spatial panel. The verb's shared core picks the device, hands over the
 * data, predicts the validation slide (and the scRNA cells where {@link #predictsCells}), stores the
 * predictions and shows the losses; a new method is one more implementation of this interface.
 */
public interface Method {
    /** The method's name in tables and `evaluate` (scconfluence, scact). */
    String name();

    /** Trains on the data, on the device; the fit closes what it holds when the core is done with it. */
    Fit fit(Data data, Device device, Progress progress);

    /** Whether the core also stores the method's prediction for the scRNA cells (the training slide's are its input). */
    default boolean predictsCells() {
        return false;
    }

    /**
     * What a method may learn from, every matrix in cells x genes.
     *
     * @param scName       the scRNA dataset's name
     * @param scExpression scRNA cells' whole transcriptome, log1p CP10k
     * @param panelColumns the spatial panel's columns in {@code scExpression} (and in the validation
     *                     expression {@code translate} receives: harmonised to the same genes, in the same order)
     * @param scPanel      scRNA cells' spatial panel genes, log1p CP10k
     * @param scTypes      scRNA cell types, or null when not annotated
     * @param stName       the spatial slide's name
     * @param stPanel      spatial cells' own panel, log1p CP10k
     * @param stPanelCounts spatial cells' raw counts on the panel genes (for methods that normalise themselves)
     * @param stTarget     spatial cells' bulked panel z in [0, 1] (paper 3.1)
     * @param stTypes      spatial cell types, or null when not annotated
     */
    record Data(
            String scName,
            DenseMatrix scExpression,
            int[] panelColumns,
            DenseMatrix scPanel,
            String[] scTypes,
            String stName,
            DenseMatrix stPanel,
            SparseMatrix stPanelCounts,
            DenseMatrix stTarget,
            String[] stTypes) {}

    /**
     * Cells a fit predicts, as the core hands them over.
     *
     * @param name        their dataset's name
     * @param expression  whole-transcriptome log1p CP10k, harmonised to the scRNA genes
     * @param panelCounts raw counts on the panel genes, in the panel's (the training slide's) order
     * @param types       their cell types, or null when not annotated
     */
    record Cells(String name, DenseMatrix expression, SparseMatrix panelCounts, String[] types) {}

    /**
     * A fitted method.
     *
     * @param translate whole-transcriptome log1p CP10k expression -> bulked panel, cells in the same order
     * @param predict   cells -> bulked panel, what the core calls (by default {@code translate} on their expression;
     *                  a method that reads raw panel counts or cell types, as Tangram, gives its own)
     * @param losses    one row per step, with a "step" column (the core reads it after predicting, so a method
     *                  that trains while it predicts may fill it then)
     * @param steps     how many steps it trained
     * @param notes     sentences for the user about how it was fitted
     * @param resources what to close once the predictions are made (native weights), or null
     */
    record Fit(
            Function<DenseMatrix, DenseMatrix> translate,
            Function<Cells, DenseMatrix> predict,
            Table losses,
            int steps,
            List<String> notes,
            AutoCloseable resources)
            implements AutoCloseable {
        /** A fit that predicts from expression alone. */
        public Fit(
                Function<DenseMatrix, DenseMatrix> translate,
                Table losses,
                int steps,
                List<String> notes,
                AutoCloseable resources) {
            this(translate, cells -> translate.apply(cells.expression()), losses, steps, notes, resources);
        }

        @Override
        public void close() throws Exception {
            if (resources != null) resources.close();
        }
    }
}
