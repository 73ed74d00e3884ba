package org.scxm.zeppelin.lang.commands;

import org.scxm.workbench.DatasetState;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** `show NAME`: one dataset in detail: its panel with mean input/target/prediction per gene, and its obs columns. */
public final class Show extends BaseCommand {
    public Show() {
        super(
                "show",
                "show NAME [rows=10]",
                "one dataset: summary line, panel genes with mean input / target / prediction, first rows of its cell table",
                "rows");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.wb().require(call.word(0, "a dataset name", null));
        ctx.text(d.modality() + " (" + d.role() + ")");
        if (d.panel() != null) {
            StringColumn gene = StringColumn.create("gene", d.panel());
            Table t = Table.create("panel of '" + d.name() + "'", gene);
            if (d.binarised() != null)
                t.addColumns(DoubleColumn.create("mean_input", d.binarised().columnMeans()));
            if (d.target() != null)
                t.addColumns(DoubleColumn.create("mean_target", d.target().columnMeans()));
            if (d.prediction() != null)
                t.addColumns(
                        DoubleColumn.create("mean_prediction", d.prediction().columnMeans()));
            ctx.table(t);
        }
        if (d.modality().obs().columnCount() > 0) ctx.table(d.modality().obs().first(call.integer("rows", 10)));
    }
}
