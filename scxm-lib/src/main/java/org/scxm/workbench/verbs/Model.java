package org.scxm.workbench.verbs;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Arrays;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.model.BertConfig;
import org.scxm.model.Checkpoint;
import org.scxm.model.PretrainedFolder;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.model.Torch;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;

/** The model verb: builds a model from its spec, or restores a checkpoint checked against the data. */
public final class Model {
    private Model() {}

    /** Builds a model (its initial weights are what every fresh run starts from), or restores a checkpoint. */
    public static Report run(Step ctx, Options.Model o) {
        ctx.threadReady();
        Device device = ctx.device(o.device());
        if (o.checkpoint() != null) return restore(ctx, o.name(), o.checkpoint(), device);
        State.Harmonisation h = ctx.state().harmonisation();
        if (h == null) throw new ScxmException("the model is sized to the spatial panel: run `harmonise` first.");
        State.Tokens t = ctx.state().tokens();
        if (t == null) throw new ScxmException("the encoder reads tokens: run `tokenize` first.");
        BertConfig enc;
        Report r = new Report();
        if (o.pretrained() != null) {
            if (Checkpoint.isCheckpoint(o.pretrained())) return restore(ctx, o.name(), o.pretrained(), device);
            PretrainedFolder pf = PretrainedFolder.open(o.pretrained(), t.named());
            pf.requireSameTokens(
                    t.vocabulary(),
                    "the vocabulary you tokenised with (" + (t.source().equals("data") ? "vocab=data" : t.source())
                            + "); a pretrained model reads its own tokens: run `tokenize vocab="
                            + Names.asValue(o.pretrained().toString())
                            + "`");
            if (t.maxLength() > pf.maxLength())
                throw new ScxmException("the tokens are up to " + t.maxLength() + " long but the model at "
                        + o.pretrained() + " reads " + pf.maxLength() + " positions; tokenize with max_length="
                        + pf.maxLength() + " or less.");
            enc = pf.config();
            r.text(pf.describe());
            for (String w : pf.warnings()) r.text("warning: " + w);
        } else {
            enc = BertConfig.small(t.vocabulary().size(), Math.max(t.maxLength(), 16))
                    .resized(o.hidden(), o.layers());
        }
        ScxmConfig cfg = ScxmConfig.paper(enc, h.panel().length)
                .withTrainableBlocks(Math.min(o.trainable(), enc.layers()))
                .withWidth(o.width())
                .withOwnPanel(o.ownPanel());
        if (o.frozenVariant()) cfg = cfg.frozenBackbone();
        // the head's outputs follow the training slide's target: its panel, or its cell types for a composition
        org.scxm.workbench.DatasetState st = ctx.state().datasets().get(h.st());
        if (st != null && st.compositionTarget())
            cfg = cfg.withTarget(ScxmConfig.Target.COMPOSITION, st.targetTypes().length);
        State.ModelSpec spec =
                new State.ModelSpec(cfg, o.seed(), o.pretrained(), o.pretrained() == null ? null : t.named(), device);
        ScxmModel model = spec.build();
        ctx.publish(ctx.state().withModel(new State.ModelEntry(o.name(), spec, model, null)));
        return r.text("model '" + o.name() + "' on " + ctx.describe(device, o.device()) + ": " + model.describe());
    }

    private static Report restore(Step ctx, String name, Path dir, Device device) {
        Checkpoint.Loaded l = Checkpoint.restore(dir, device);
        try {
            State.Harmonisation h = ctx.state().harmonisation();
            State.Tokens t = ctx.state().tokens();
            Checkpoint.Context c = l.context();
            if (h == null || t == null)
                throw new ScxmException(
                        "restoring " + dir
                                + " checks it against the data: run `harmonise` and `tokenize` first, as for the run that saved it.");
            if (c.panel() != null && !Arrays.equals(c.panel(), h.panel()))
                throw new ScxmException("the checkpoint " + dir + " was trained on a panel of " + c.panel().length
                        + " genes but the data's panel has " + h.panel().length + ": "
                        + Names.difference("the checkpoint", c.panel(), "the data", h.panel())
                        + "; load and harmonise the data it was trained on.");
            if (c.vocabulary() != null && !c.vocabulary().equals(t.vocabulary().fingerprint()))
                throw new ScxmException("the checkpoint " + dir + " was trained with another vocabulary (fingerprint "
                        + c.vocabulary() + ", now " + t.vocabulary().fingerprint()
                        + "); tokenize with the vocabulary it was trained with.");
            if (c.panelGenesOnly() != t.panelGenesOnly())
                throw new ScxmException("the checkpoint " + dir + " was trained on tokens of "
                        + (c.panelGenesOnly() ? "the panel genes only" : "every measured gene")
                        + "; tokenize with genes="
                        + (c.panelGenesOnly() ? "panel" : "all") + " as for the run that saved it.");
            org.scxm.workbench.DatasetState st = ctx.state().datasets().get(h.st());
            if (c.targetTypes() != null
                    && st != null
                    && st.compositionTarget()
                    && !Arrays.equals(c.targetTypes(), st.targetTypes()))
                throw new ScxmException("the checkpoint " + dir + " predicts a composition over "
                        + String.join(", ", c.targetTypes()) + " but the training slide's composition is over "
                        + String.join(", ", st.targetTypes())
                        + "; bulk target=composition with the labels it was trained on.");
            ScxmModel model = l.trainer().model();
            State.ModelSpec spec = new State.ModelSpec(
                    model.config(),
                    c.modelSeed(),
                    c.pretrained() == null ? null : Path.of(c.pretrained()),
                    t.named(),
                    device);
            ctx.publish(ctx.state().withModel(new State.ModelEntry(name, spec, model, new State.Run(l.trainer()))));
            return new Report()
                    .text("restored '" + name + "' from " + dir.toAbsolutePath() + " at step "
                            + l.trainer().step() + " on " + Torch.describe(device) + " (" + model.describe()
                            + "); `train continue=true steps=N` resumes it exactly, `predict` uses it as is.");
        } catch (RuntimeException e) {
            l.trainer().model().close();
            throw e;
        }
    }
}
