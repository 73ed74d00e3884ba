package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.analysis.LabelTransfer;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.List;

/** `annotate NAME reference=REF` (label transfer, paper 4.2's CellTypist step) or `annotate NAME from=COLUMN` (import). */
public final class Annotate implements Command {
    @Override public String name() { return "annotate"; }
    @Override public String usage() { return "annotate NAME reference=sc [hold_out=0.2 seed=0] | annotate NAME from=OBS_COLUMN"; }
    @Override public String summary() { return "cell types by label transfer from a labelled reference (logistic regression), or imported from an obs column"; }
    @Override public List<String> keys() { return List.of("reference", "from", "hold_out", "seed"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "the dataset to annotate", null));
        if (call.has("from")) {
            String col = call.string("from", null);
            if (!d.modality().obs().containsColumn(col))
                throw new ScxmException("'" + d.name() + "' has no obs column '" + col + "'" + org.scxm.session.Names.didYouMean(col, d.modality().obs().columnNames()) + ".");
            var c = d.modality().obs().column(col);
            String[] labels = new String[d.nCells()];
            for (int i = 0; i < labels.length; i++) labels[i] = c.getString(i);
            ctx.tx().put(d.withCellTypes(labels));
            ctx.table(counts(labels, "cell types of '" + d.name() + "' from obs '" + col + "'"));
            return;
        }
        DatasetState ref = ctx.tx().require(call.required("reference"));
        String[] refLabels = ref.requireCellTypes();
        LabelTransfer lt = LabelTransfer.train(ref.modality(), refLabels, Arrays.asList(d.modality().geneNames()),
                call.number("hold_out", 0.2), call.longValue("seed", ctx.settings().seed()));
        Table pred = lt.predict(d.modality());
        ctx.tx().put(d.withCellTypes(pred.stringColumn("cell_type").asObjectArray()));
        ctx.text(String.format("label transfer from '%s' to '%s': %.1f%% accuracy on held-out reference cells; mean confidence %.2f",
                ref.name(), d.name(), 100 * lt.heldOutAccuracy(), pred.doubleColumn("confidence").mean()));
        ctx.table(lt.confusion());
        ctx.table(counts(pred.stringColumn("cell_type").asObjectArray(), "predicted cell types of '" + d.name() + "'"));
    }

    private static Table counts(String[] labels, String title) {
        Table t = Table.create(title, tech.tablesaw.api.StringColumn.create("cell_type", labels));
        Table c = t.countBy(t.stringColumn("cell_type"));
        c.setName(title);
        return c;
    }
}
