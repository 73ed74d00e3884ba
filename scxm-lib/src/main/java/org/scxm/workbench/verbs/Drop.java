package org.scxm.workbench.verbs;

import java.util.List;
import org.scxm.workbench.Report;
import org.scxm.workbench.Step;

/** The drop verb: removes a dataset and everything derived from it. */
public final class Drop {
    private Drop() {}

    /** Removes a dataset and everything derived from it. */
    public static Report run(Step ctx, String name) {
        ctx.require(name);
        List<String> dropped = Datasets.remove(ctx, name);
        return new Report()
                .text("dropped '" + name + "'" + (dropped.isEmpty() ? "" : " and " + String.join(", ", dropped)) + ".")
                .table(ctx.listing());
    }
}
