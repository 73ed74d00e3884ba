package org.scxm.zeppelin.lang.commands;

import org.scxm.data.DenseMatrix;
import org.scxm.data.Modality;
import org.scxm.io.H5adWriter;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `export NAME path=FILE.h5ad`: the dataset restricted to the spatial panel, with what the session
 * computed as layers (binarised, target, prediction, decoded) and obs columns (cell_type, niche).
 */
public final class Export implements Command {
    @Override public String name() { return "export"; }
    @Override public String usage() { return "export NAME path=FILE.h5ad"; }
    @Override public String summary() { return "write a dataset (spatial panel genes) with its binarised input, target, prediction, decoder output, cell types and niche groups as an .h5ad"; }
    @Override public List<String> keys() { return List.of("path"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "the dataset to export", null));
        Path file = ctx.settings().data(call.required("path"));
        Modality m = d.panel() == null ? d.modality() : d.modality().selectGenes(Bulk.panelColumns(d));
        Table obs = m.obs().copy();
        if (d.cellTypes() != null && !obs.containsColumn("cell_type")) obs.addColumns(StringColumn.create("cell_type", d.cellTypes()));
        if (d.niches() != null) {
            if (obs.containsColumn("scxm_niche")) obs.removeColumns("scxm_niche");
            obs.addColumns(StringColumn.create("scxm_niche", d.niches()));
        }
        if (obs.columnCount() > 0) m = m.withObs(obs);
        Map<String, DenseMatrix> layers = new LinkedHashMap<>();
        if (d.panel() != null) {
            put(layers, "binarised", d.binarised());
            put(layers, "target", d.target());
            put(layers, "prediction", d.prediction());
            put(layers, "decoded", d.decoded());
        }
        ctx.progress().update(0.1, "writing " + file);
        H5adWriter.write(file, m, layers, Map.of());
        ctx.text("wrote " + m + " to " + file + (layers.isEmpty() ? "" : " with layers " + String.join(", ", layers.keySet())));
    }

    private static void put(Map<String, DenseMatrix> layers, String name, DenseMatrix m) { if (m != null) layers.put(name, m); }
}
