package org.scxm.workbench.verbs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import org.scxm.io.H5adWriter;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Step;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The export verb: a dataset with what was computed for it, as an .h5ad. */
public final class Export {
    private Export() {}

    /** The dataset (spatial panel genes) with what was computed for it as layers and obs columns, as an .h5ad. */
    public static Report run(Step ctx, Options.Export o) {
        DatasetState d = ctx.require(o.dataset());
        Modality m = d.panel() == null ? d.modality() : d.modality().selectGenes(d.panelColumns());
        Table obs = m.obs().copy();
        if (d.cellTypes() != null && !obs.containsColumn("cell_type"))
            obs.addColumns(StringColumn.create("cell_type", d.cellTypes()));
        if (d.niches() != null) {
            if (obs.containsColumn("scxm_niche")) obs.removeColumns("scxm_niche");
            obs.addColumns(StringColumn.create("scxm_niche", d.niches()));
        }
        if (obs.columnCount() > 0) m = m.withObs(obs);
        Map<String, DenseMatrix> layers = new LinkedHashMap<>();
        if (d.panel() != null) {
            if (d.binarised() != null) layers.put("binarised", d.binarised());
            if (d.target() != null) layers.put("target", d.target());
            if (d.prediction() != null) layers.put("prediction", d.prediction());
            if (d.decoded() != null) layers.put("decoded", d.decoded());
        }
        ctx.progress().update(0.1, "writing " + o.file());
        boolean replaced = H5adWriter.write(o.file(), m, layers, Map.of(), o.overwrite());
        return new Report()
                .text("wrote " + m + " to " + o.file().toAbsolutePath()
                        + (layers.isEmpty() ? "" : " with layers " + String.join(", ", layers.keySet()))
                        + (replaced ? " (it replaced the file that was there: overwrite=true)" : ""));
    }
}
