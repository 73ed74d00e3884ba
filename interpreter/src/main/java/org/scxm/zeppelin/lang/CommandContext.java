package org.scxm.zeppelin.lang;

import java.util.List;
import org.scxm.Progress;
import org.scxm.workbench.Report;
import org.scxm.workbench.Workbench;

/** What a running command sees: the workbench (inside the paragraph's step), settings, progress, and where outputs go. */
public record CommandContext(Workbench wb, Settings settings, Progress progress, List<Report.Item> outputs) {
    public void text(String s) {
        outputs.add(new Report.Text(s));
    }

    public void prose(String s) {
        outputs.add(new Report.Prose(s));
    }

    public void table(tech.tablesaw.api.Table t) {
        outputs.add(new Report.Tabular(t));
    }

    /** Renders a verb's report item by item. */
    public void render(Report r) {
        outputs.addAll(r.items());
    }
}
