package org.scxm.workbench.verbs;

import java.util.List;
import java.util.Locale;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.HeldOut;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.Step;
import org.scxm.workbench.Text;

/** The split verb: one slide into a spatial training half and a validation half. */
public final class Split {
    private Split() {}

    /**
     * Splits a loaded slide into a spatial training half and a validation half (for a real tissue that has
     * one slide and no separate validation slide), leaving a gap of cells out so no neighbourhood spans both.
     */
    public static Report run(Step ctx, Options.Split o) {
        DatasetState d = ctx.require(o.dataset());
        Modality m = d.loaded();
        m.requireCoordinates("a spatial split");
        if (!(o.gap() >= 0))
            throw new ScxmException("gap=" + o.gap()
                    + " must be a distance in µm, 0 or more (one bulking radius keeps neighbourhoods apart).");
        if (o.first().equals(o.second())) throw new ScxmException("split needs two different names (into=st,val).");
        HeldOut.Parts p = HeldOut.halves(m.x(), m.y(), o.gap());
        Report r = new Report();
        List<String> dropped = Datasets.remove(ctx, d.name());
        Datasets.replace(
                ctx,
                DatasetState.loaded(
                        o.first(), Role.ST, m.selectCells(p.tuning()).renamed(o.first())),
                r);
        Datasets.replace(
                ctx,
                DatasetState.loaded(
                        o.second(), Role.VAL, m.selectCells(p.test()).renamed(o.second())),
                r);
        r.text(String.format(
                Locale.ROOT,
                "split '%s' (%d cells) at %s = %.1f µm: '%s' (st, %d cells, the smaller %s) and '%s' (val, %d cells); "
                        + "%d cells within %s µm of the cut are in neither.",
                d.name(),
                m.nCells(),
                p.axis(),
                p.cut(),
                o.first(),
                p.tuning().length,
                p.axis(),
                o.second(),
                p.test().length,
                p.buffer(),
                Text.plain(o.gap())));
        if (!dropped.isEmpty())
            r.text("dropped what was derived from '" + d.name() + "': " + String.join(", ", dropped) + ".");
        return r.table(ctx.listing());
    }
}
