package org.scxm.zeppelin.lang;

import java.util.List;
import org.scxm.Progress;
import org.scxm.workbench.Report;
import org.scxm.workbench.Workbench;

/** What a running command sees: the workbench (inside the paragraph's step), settings, progress, and where outputs go. */
public record CommandContext(Workbench wb, Settings settings, Progress progress, List<Output> outputs) {
    public void text(String s) {
        outputs.add(new Output.Text(s));
    }

    public void prose(String s) {
        outputs.add(new Output.Prose(s));
    }

    public void table(tech.tablesaw.api.Table t) {
        outputs.add(new Output.Tabular(t));
    }

    /** Renders a verb's report item by item. */
    public void render(Report r) {
        for (Report.Item i : r.items())
            outputs.add(
                    switch (i) {
                        case Report.Text t -> new Output.Text(t.text());
                        case Report.Tabular t -> new Output.Tabular(t.table());
                        case Report.Plot p -> new Output.Plot(p.figure());
                        case Report.Prose p -> new Output.Prose(p.text());
                    });
    }
}
