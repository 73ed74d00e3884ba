package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.data.Harmoniser;
import org.scxm.data.Modality;
import org.scxm.data.Normalise;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

import java.util.List;

/** `harmonise`: shared gene panels and the same cell filter in every modality (paper 4.2), then binarise the panel. */
public final class Harmonise implements Command {
    @Override public String name() { return "harmonise"; }
    @Override public String usage() { return "harmonise [min_counts=5 min_genes=3]"; }
    @Override public String summary() { return "slice every modality to the shared gene panel, filter cells alike, binarise the spatial panel"; }
    @Override public List<String> keys() { return List.of("min_counts", "min_genes"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        DatasetState sc = ctx.tx().byRole("sc"), st = ctx.tx().byRole("st"), val = ctx.tx().byRole("val");
        if (sc == null || st == null)
            throw new ScxmException("harmonise needs an scRNA dataset and a spatial slide: run `load demo`, or `load sc NAME path=...` and `load st NAME path=...` first.");
        Harmoniser.Harmonised h = Harmoniser.run(sc.modality(), st.modality(), val == null ? null : val.modality(),
                new Harmoniser.Options(call.integer("min_counts", 5), call.integer("min_genes", 3)), ctx.progress());
        String[] panel = h.spatialPanel();
        ctx.tx().put(done(sc, h.sc(), h, panel));
        ctx.tx().put(done(st, h.st(), h, panel));
        if (val != null) ctx.tx().put(done(val, h.val(), h, panel));
        ctx.table(h.summary());
        ctx.text("spatial panel: " + panel.length + " genes shared by all modalities");
    }

    private static DatasetState done(DatasetState d, Modality m, Harmoniser.Harmonised h, String[] panel) {
        return d.harmonised(m, panel, Normalise.binarisedDense(m.counts().selectCols(h.panelColumns(m))));
    }
}
