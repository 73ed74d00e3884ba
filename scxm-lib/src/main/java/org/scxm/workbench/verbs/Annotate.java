package org.scxm.workbench.verbs;

import java.util.Arrays;
import java.util.Locale;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.analysis.LabelTransfer;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Step;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The annotate verb: cell types by label transfer from a labelled reference, or imported from an obs column. */
public final class Annotate {
    private Annotate() {}

    /** Cell types by label transfer from a labelled reference, or imported from an obs column. */
    public static Report run(Step ctx, Options.Annotate o) {
        DatasetState d = ctx.require(o.dataset());
        if (o.from() != null) {
            if (!d.modality().obs().containsColumn(o.from()))
                throw new ScxmException("'" + d.name() + "' has no obs column '" + o.from() + "'"
                        + Names.didYouMean(o.from(), d.modality().obs().columnNames()) + ".");
            var c = d.modality().obs().column(o.from());
            String[] labels = new String[d.nCells()];
            for (int i = 0; i < labels.length; i++) labels[i] = c.getString(i);
            ctx.publish(ctx.state().withDataset(d.withCellTypes(labels)));
            return new Report().table(counts(labels, "cell types of '" + d.name() + "' from obs '" + o.from() + "'"));
        }
        DatasetState ref = ctx.require(o.reference());
        LabelTransfer lt = LabelTransfer.train(
                ref.modality(),
                ref.requireCellTypes(),
                Arrays.asList(d.modality().geneNames()),
                o.holdOut(),
                o.seed());
        Table pred = lt.predict(d.modality());
        String[] types = pred.stringColumn("cell_type").asObjectArray();
        ctx.publish(ctx.state().withDataset(d.withCellTypes(types)));
        return new Report()
                .text(String.format(
                        Locale.ROOT,
                        "label transfer from '%s' to '%s': %.1f%% accuracy on held-out reference cells; mean confidence %.2f",
                        ref.name(),
                        d.name(),
                        100 * lt.heldOutAccuracy(),
                        pred.doubleColumn("confidence").mean()))
                .table(lt.confusion())
                .table(counts(types, "predicted cell types of '" + d.name() + "'"));
    }

    private static Table counts(String[] labels, String title) {
        Table t = Table.create(title, StringColumn.create("cell_type", labels));
        Table c = t.countBy(t.stringColumn("cell_type"));
        c.setName(title);
        return c;
    }
}
