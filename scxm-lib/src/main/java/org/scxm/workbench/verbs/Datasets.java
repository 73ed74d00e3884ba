package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.List;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Report;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;

/** Adding and removing datasets, shared by the verbs that load, split and drop them. */
public final class Datasets {
    private Datasets() {}

    /** Puts a dataset under its name; replacing one that was harmonised drops everything derived, and says so. */
    static void replace(Step ctx, DatasetState d, Report r) {
        DatasetState old = ctx.state().datasets().get(d.name());
        if (old != null) {
            List<String> dropped = remove(ctx, d.name());
            r.text("replaced '" + d.name() + "' (" + old.role() + ", "
                    + old.loaded().nCells() + " cells)"
                    + (dropped.isEmpty() ? "" : "; dropped what was derived from it: " + String.join(", ", dropped))
                    + ".");
        }
        ctx.publish(ctx.state().withDataset(d));
    }

    /** Removes a dataset, and what was harmonised with it; returns what was dropped with it, in words. */
    static List<String> remove(Step ctx, String name) {
        List<String> dropped = new ArrayList<>();
        State h = ctx.state();
        if (h.harmonisation() != null && h.harmonisation().involves(name)) h = h.dropHarmonised(dropped);
        ctx.publish(h.withoutDataset(name));
        return dropped;
    }
}
