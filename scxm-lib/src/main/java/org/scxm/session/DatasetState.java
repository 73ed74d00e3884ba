package org.scxm.session;

import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import org.scxm.ScxmException;
import tech.tablesaw.api.Table;

/**
 * One named dataset of a notebook session with everything computed for it. Immutable: every step
 * returns a new state, so a failing paragraph can simply not commit and earlier state stays intact.
 * Matrices are cells x spatial panel, in the modality's row order.
 *
 * @param name       the user's name ("sc", "xen", "val")
 * @param role       "sc" (dissociated cells), "st" (spatial training slide) or "val" (validation slide)
 * @param modality   the data, harmonised once {@code harmonise} ran
 * @param panel      the spatial panel genes (columns of the matrices below), or null before harmonise
 * @param binarised  input: the cell's own panel expression as 0/1, or null
 * @param target     spatially bulked binarised panel (st, val), or null
 * @param prediction the model's bulked prediction, or null
 * @param decoded    the decoder's reconstruction of the binarised panel from the prediction, or null
 * @param niches     niche group per cell ("clustered"/"isolated"/other), or null
 * @param cellTypes  a cell type per cell, or null when unknown
 * @param evaluation per-gene metrics of the last evaluate, or null
 */
public record DatasetState(String name, String role, Modality modality, String[] panel, DenseMatrix binarised,
                           DenseMatrix target, DenseMatrix prediction, DenseMatrix decoded, String[] niches,
                           String[] cellTypes, Table evaluation) {

    public static DatasetState loaded(String name, String role, Modality m) {
        return new DatasetState(name, role, m, null, null, null, null, null, null, cellTypesOf(m), null);
    }

    /** The obs column "cell_type" as an array, or null when there is none. */
    public static String[] cellTypesOf(Modality m) {
        if (m.obs() == null || !m.obs().containsColumn("cell_type")) return null;
        var col = m.obs().column("cell_type");
        String[] out = new String[m.nCells()];
        for (int i = 0; i < out.length; i++) out[i] = col.getString(i);
        return out;
    }

    public DatasetState harmonised(Modality m, String[] panel, DenseMatrix binarised) {
        String[] types = cellTypesOf(m); // harmonising filters cells: re-read the labels in the new row order
        return new DatasetState(name, role, m, panel, binarised, null, null, null, null, types != null ? types : cellTypes, null);
    }
    public DatasetState withTarget(DenseMatrix t) { return new DatasetState(name, role, modality, panel, binarised, t, prediction, decoded, niches, cellTypes, evaluation); }
    public DatasetState withPrediction(DenseMatrix p, DenseMatrix d) { return new DatasetState(name, role, modality, panel, binarised, target, p, d, niches, cellTypes, null); }
    public DatasetState withNiches(String[] n) { return new DatasetState(name, role, modality, panel, binarised, target, prediction, decoded, n, cellTypes, evaluation); }
    public DatasetState withCellTypes(String[] t) { return new DatasetState(name, role, modality, panel, binarised, target, prediction, decoded, niches, t, evaluation); }
    public DatasetState withEvaluation(Table e) { return new DatasetState(name, role, modality, panel, binarised, target, prediction, decoded, niches, cellTypes, e); }

    public int nCells() { return modality.nCells(); }

    /** The panel column of a gene (case-insensitive), or a user-facing error naming near genes. */
    public int panelIndex(String gene) {
        String[] p = requirePanel();
        for (int j = 0; j < p.length; j++) if (p[j].equalsIgnoreCase(gene)) return j;
        throw new ScxmException("gene '" + gene + "' is not in the spatial panel of '" + name + "'"
                + Names.didYouMean(gene, java.util.Arrays.asList(p)) + "; `show " + name + "` lists the panel.");
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
        if (prediction == null) throw new ScxmException("'" + name + "' has no prediction yet: run `predict " + name + "` first.");
        return prediction;
    }
    public String[] requireCellTypes() {
        if (cellTypes == null) throw new ScxmException("'" + name + "' has no cell types: load it with label=COLUMN or run `annotate " + name + "` first.");
        return cellTypes;
    }
}
