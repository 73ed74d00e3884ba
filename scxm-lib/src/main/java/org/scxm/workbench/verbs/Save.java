package org.scxm.workbench.verbs;

import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.model.Checkpoint;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;

/** The save verb: checkpoints a model's run with the panel and vocabulary it was trained on. */
public final class Save {
    private Save() {}

    /** Checkpoints a model's run, with the panel and vocabulary it was trained on, atomically. */
    public static Report run(Step ctx, Options.Save o) {
        State.ModelEntry e = ctx.modelEntry(o.model());
        if (e.run() == null)
            throw new ScxmException("nothing to save: run `train` first (a checkpoint holds a trained model).");
        State.Harmonisation h = ctx.state().harmonisation();
        State.Tokens t = ctx.state().tokens();
        Checkpoint.Context context = new Checkpoint.Context(
                h == null ? null : h.panel(),
                t == null ? null : t.vocabulary().fingerprint(),
                t == null ? 0 : t.maxLength(),
                e.spec().seed(),
                e.spec().pretrained() == null ? null : e.spec().pretrained().toString(),
                t != null && t.panelGenesOnly(),
                compositionTypes(ctx, e));
        Checkpoint.save(o.dir(), e.run().trainer(), context);
        return new Report()
                .text("saved model '" + e.name() + "' after "
                        + e.run().trainer().step() + " steps to " + o.dir().toAbsolutePath()
                        + "; restore it with `model " + Names.asValue(e.name()) + " checkpoint="
                        + Names.asValue(o.dir().toString())
                        + "`, continue with `train continue=true steps=N`.");
    }

    /** The cell types naming a composition model's outputs (the training slide's), or null for a bulked target. */
    private static String[] compositionTypes(Step ctx, State.ModelEntry e) {
        State.Harmonisation h = ctx.state().harmonisation();
        org.scxm.workbench.DatasetState st =
                h == null ? null : ctx.state().datasets().get(h.st());
        if (!e.spec().config().composition() || st == null || !st.compositionTarget()) return null;
        return st.targetTypes().length == e.spec().config().outputs() ? st.targetTypes() : null;
    }
}
