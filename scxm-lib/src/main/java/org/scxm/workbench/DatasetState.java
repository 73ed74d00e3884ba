package org.scxm.workbench;

import java.util.Arrays;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import tech.tablesaw.api.Table;

/**
 * One named dataset of a workbench with everything computed for it. Immutable: every step returns a
 * new state, so a failing step simply does not commit and earlier state stays intact.
 * Matrices are cells x spatial panel, in the modality's row order.
 *
 * @param name       the user's name ("sc", "xen", "val")
 * @param role       what the dataset is for
 * @param loaded     the data as loaded (what {@link #reset()} returns to when a harmonisation is dropped)
 * @param modality   the data, harmonised once {@code harmonise} ran
 * @param panel      the spatial panel genes (columns of the matrices below), or null before harmonise
 * @param binarised  input: the cell's own panel expression as 0/1, or null
 * @param target     spatially bulked binarised panel (st, val), or null
 * @param prediction the model's bulked prediction, or null
 * @param decoded    the decoder's reconstruction of the binarised panel from the prediction, or null
 * @param niches     niche group per cell ("clustered"/"isolated"/other), or null
 * @param cellTypes  a cell type per cell, or null when unknown
 * @param evaluation per-gene metrics of the last evaluate, or null
 * @param targetTypes the cell types naming the columns of a neighbourhood-composition target (the training slide's
 *                    types), or null when the target is bulked expression over the panel
 */
public record DatasetState(
        String name,
        Role role,
        Modality loaded,
        Modality modality,
        String[] panel,
        DenseMatrix binarised,
        DenseMatrix target,
        DenseMatrix prediction,
        DenseMatrix decoded,
        String[] niches,
        String[] cellTypes,
        Table evaluation,
        String[] targetTypes) {

    public static DatasetState loaded(String name, Role role, Modality m) {
        return new DatasetState(name, role, m, m, null, null, null, null, null, null, cellTypesOf(m), null, null);
    }

    /** The obs column "cell_type" as an array, or null when there is none. */
    public static String[] cellTypesOf(Modality m) {
        String[] types = m.lazyObs().strings("cell_type");
        if (types != null) { // a missing value becomes "", Tablesaw's text for it, so a missing label reads the same in
            // every table
            for (int i = 0; i < types.length; i++) if (types[i] == null) types[i] = "";
        }
        return types;
    }

    /** Back to the data as loaded: everything harmonise and later steps computed is dropped. */
    public DatasetState reset() {
        return loaded(name, role, loaded);
    }

    /** True when anything beyond loading was computed (so resetting it drops something). */
    public boolean derived() {
        return panel != null || niches != null || evaluation != null || prediction != null;
    }

    public DatasetState harmonised(Modality m, String[] panel, DenseMatrix binarised) {
        String[] types = cellTypesOf(m); // harmonising filters cells: re-read the labels in the new row order
        return copy(b -> {
            b.modality = m;
            b.panel = panel;
            b.binarised = binarised;
            b.target = b.prediction = b.decoded = null;
            b.targetTypes = null;
            b.niches = null;
            b.evaluation = null;
            if (types != null) b.cellTypes = types;
        });
    }

    /** A bulked expression target over the panel. */
    public DatasetState withTarget(DenseMatrix t) {
        return copy(b -> {
            b.target = t;
            b.targetTypes = null;
        });
    }

    /** A neighbourhood-composition target, its columns named by the training slide's cell types. */
    public DatasetState withCompositionTarget(DenseMatrix t, String[] types) {
        return copy(b -> {
            b.target = t;
            b.targetTypes = types.clone();
        });
    }

    /** True when the target is a neighbourhood composition over cell types. */
    public boolean compositionTarget() {
        return targetTypes != null;
    }

    /** A new prediction; the evaluation of the old one is dropped. */
    public DatasetState withPrediction(DenseMatrix p, DenseMatrix d) {
        return copy(b -> {
            b.prediction = p;
            b.decoded = d;
            b.evaluation = null;
        });
    }

    public DatasetState withNiches(String[] n) {
        return copy(b -> b.niches = n);
    }

    public DatasetState withCellTypes(String[] t) {
        return copy(b -> b.cellTypes = t);
    }

    public DatasetState withEvaluation(Table e) {
        return copy(b -> b.evaluation = e);
    }

    /** The one copy of every component: the withers above change what they name and keep the rest. */
    private DatasetState copy(java.util.function.Consumer<Parts> change) {
        Parts b = new Parts(this);
        change.accept(b);
        return new DatasetState(
                name,
                role,
                loaded,
                b.modality,
                b.panel,
                b.binarised,
                b.target,
                b.prediction,
                b.decoded,
                b.niches,
                b.cellTypes,
                b.evaluation,
                b.targetTypes);
    }

    /** The components a step may change (name, role and the loaded data stay). */
    private static final class Parts {
        Modality modality;
        String[] panel, niches, cellTypes, targetTypes;
        DenseMatrix binarised, target, prediction, decoded;
        Table evaluation;

        Parts(DatasetState d) {
            modality = d.modality;
            panel = d.panel;
            binarised = d.binarised;
            target = d.target;
            prediction = d.prediction;
            decoded = d.decoded;
            niches = d.niches;
            cellTypes = d.cellTypes;
            evaluation = d.evaluation;
            targetTypes = d.targetTypes;
        }
    }

    public int nCells() {
        return modality.nCells();
    }

    /** Column indices of the spatial panel genes in this dataset's modality. */
    public int[] panelColumns() {
        String[] p = requirePanel();
        return Arrays.stream(p)
                .mapToInt(g -> {
                    int j = modality.geneIndex(g);
                    if (j < 0)
                        throw new ScxmException(
                                "panel gene " + g + " is missing from '" + name + "'; run `harmonise` again.");
                    return j;
                })
                .toArray();
    }

    /** The panel column of a gene (case-insensitive), or a user-facing error naming near genes. */
    public int panelIndex(String gene) {
        String[] p = requirePanel();
        for (int j = 0; j < p.length; j++) if (p[j].equalsIgnoreCase(gene)) return j;
        throw new ScxmException("gene '" + gene + "' is not in the spatial panel of '" + name + "'"
                + Names.didYouMean(gene, java.util.Arrays.asList(p)) + "; `show " + Names.asValue(name)
                + "` lists the panel.");
    }

    public String[] requirePanel() {
        if (panel == null) throw new ScxmException("'" + name + "' has no spatial panel yet: run `harmonise` first.");
        return panel;
    }

    public DenseMatrix requireTarget() {
        if (target == null) throw new ScxmException("'" + name + "' has no bulked target yet: run `bulk` first.");
        return target;
    }

    public DenseMatrix requirePrediction() {
        if (prediction == null)
            throw new ScxmException(
                    "'" + name + "' has no prediction yet: run `predict " + Names.asValue(name) + "` first.");
        return prediction;
    }

    public String[] requireCellTypes() {
        if (cellTypes == null)
            throw new ScxmException("'" + name + "' has no cell types: load it with label=COLUMN or run `annotate "
                    + name + "` first.");
        return cellTypes;
    }
}
