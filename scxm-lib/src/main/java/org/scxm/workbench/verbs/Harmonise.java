package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.List;
import org.scxm.ScxmException;
import org.scxm.data.Harmoniser;
import org.scxm.data.Modality;
import org.scxm.data.Normalise;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;

/** The harmonise verb: shared gene panels and one cell filter in every modality (paper 4.2). */
public final class Harmonise {
    private Harmonise() {}

    /** Shared gene panels and one cell filter in every modality (paper 4.2), then the binarised panel. */
    public static Report run(Step ctx, Options.Harmonise o) {
        DatasetState sc = pick(ctx, Role.SC, o.sc(), true),
                st = pick(ctx, Role.ST, o.st(), true),
                val = pick(ctx, Role.VAL, o.val(), false);
        List<String> dropped = new ArrayList<>();
        boolean again = ctx.state().harmonisation() != null;
        ctx.publish(ctx.state().dropHarmonised(dropped));
        sc = ctx.state().datasets().get(sc.name());
        st = ctx.state().datasets().get(st.name());
        val = val == null ? null : ctx.state().datasets().get(val.name());
        Harmoniser.Harmonised h = Harmoniser.run(
                sc.modality(),
                st.modality(),
                val == null ? null : val.modality(),
                new Harmoniser.Options(o.minCounts(), o.minGenes()),
                ctx.progress());
        String[] panel = h.spatialPanel();
        ctx.publish(ctx.state()
                .withDataset(harmonised(sc, h.sc(), h, panel))
                .withDataset(harmonised(st, h.st(), h, panel)));
        if (val != null) ctx.publish(ctx.state().withDataset(harmonised(val, h.val(), h, panel)));
        ctx.publish(ctx.state()
                .withHarmonisation(
                        new State.Harmonisation(sc.name(), st.name(), val == null ? null : val.name(), panel)));
        Report r = new Report().table(h.summary());
        r.text("spatial panel: " + panel.length + " genes shared by " + sc.name() + " (sc), " + st.name() + " (st)"
                + (val == null ? "" : " and " + val.name() + " (val)"));
        if (again && !dropped.isEmpty()) r.text("harmonised anew: dropped " + String.join(", ", dropped) + ".");
        return r;
    }

    private static DatasetState pick(Step ctx, Role role, String name, boolean required) {
        if (name != null) {
            DatasetState d = ctx.require(name);
            if (d.role() != role)
                throw new ScxmException("'" + name + "' is a " + d.role() + " dataset, not " + role + "; name a " + role
                        + " dataset with " + role + "=.");
            return d;
        }
        List<DatasetState> all = ctx.state().byRole(role);
        if (all.size() > 1)
            throw new ScxmException("there are " + all.size() + " " + role + " datasets ("
                    + String.join(", ", all.stream().map(DatasetState::name).toList())
                    + "); say which to use: `harmonise " + role + "=NAME`.");
        if (all.isEmpty() && required)
            throw new ScxmException(
                    "harmonise needs an scRNA dataset and a spatial slide: run `load demo`, or `load sc NAME path=...` and `load st NAME path=...` first.");
        return all.isEmpty() ? null : all.get(0);
    }

    private static DatasetState harmonised(DatasetState d, Modality m, Harmoniser.Harmonised h, String[] panel) {
        return d.harmonised(m, panel, Normalise.binarisedDense(m.matrix().selectCols(h.panelColumns(m))));
    }
}
