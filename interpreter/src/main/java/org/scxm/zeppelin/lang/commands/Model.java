package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Settings;

/** `model NAME`: encoder (small or a Hugging Face folder), head, decoder and critic sized to the panel; or a checkpoint restored. */
public final class Model extends BaseCommand {
    public Model() {
        super(
                "model",
                usageLine(),
                "build the SCXM model (its initial weights are where every `train` starts): BERT encoder (Geneformer weights from a folder, or a small one), head, decoder, critic; or restore a `save`d checkpoint",
                "path checkpoint size trainable variant width layers hidden own_panel seed device");
    }

    private static String usageLine() {
        Options.Model d = Options.Model.small("", Settings.defaults().seed());
        return "model NAME [path=HF_FOLDER | checkpoint=SAVED_FOLDER | size=small] [trainable=" + d.trainable()
                + " variant=paper|frozen width=" + d.width() + " layers=" + d.layers() + " hidden=" + d.hidden()
                + " own_panel=false seed=" + d.seed() + " device=auto|cpu|gpu|gpu:N]";
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        String name = call.word(0, "a model name", "scxm");
        if (call.has("checkpoint")) {
            if (call.has("path"))
                throw new ScxmException("give path= (a pretrained folder) or checkpoint= (a saved run), not both.");
            ctx.render(ctx.wb()
                    .model(Options.Model.checkpoint(name, ctx.settings().model(call.required("checkpoint")))
                            .withDevice(call.string("device", null))));
            return;
        }
        call.choice("size", "small", "small");
        Options.Model d = Options.Model.small(name, ctx.settings().seed());
        java.nio.file.Path path = call.has("path") ? ctx.settings().model(call.required("path")) : null;
        Options.Model m = d.withShape(
                        call.integer("layers", d.layers()),
                        call.integer("hidden", d.hidden()),
                        call.integer("width", d.width()),
                        call.integer("trainable", d.trainable()))
                .withPretrained(path)
                .withFrozenVariant(
                        call.choice("variant", "paper", "paper", "frozen").equals("frozen"))
                .withSeed(call.longValue("seed", ctx.settings().seed()))
                .withDevice(call.string("device", null))
                .withOwnPanel(call.bool("own_panel", false));
        ctx.render(ctx.wb().model(m));
    }
}
