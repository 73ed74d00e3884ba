package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.model.BertConfig;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

import java.nio.file.Path;
import java.util.List;

/** `model NAME`: encoder (small or a Hugging Face folder), head, decoder and critic sized to the panel. */
public final class Model implements Command {
    static final String KEY = "model:", CURRENT = "model.current";

    @Override public String name() { return "model"; }
    @Override public String usage() { return "model NAME [path=HF_FOLDER | size=small] [trainable=4 variant=paper|frozen width=256 layers=4 hidden=128]"; }
    @Override public String summary() { return "build the SCXM model: BERT encoder (Geneformer weights from a folder, or a small one for the demo), head, decoder, critic"; }
    @Override public List<String> keys() { return List.of("path", "size", "trainable", "variant", "width", "layers", "hidden", "seed"); }

    @Override public void run(Call call, CommandContext ctx) {
        Torch.threadReady(ctx.settings());
        call.maxWords(1);
        String name = call.word(0, "a model name", "scxm");
        DatasetState st = ctx.tx().byRole("st");
        if (st == null || st.panel() == null) throw new ScxmException("the model is sized to the spatial panel: run `harmonise` first.");
        Integer vocabSize = ctx.tx().value("vocab.size", Integer.class);
        Integer maxLength = ctx.tx().value("tokens.max_length", Integer.class);
        if (vocabSize == null) throw new ScxmException("the encoder reads tokens: run `tokenize` first.");
        BertConfig enc;
        Path folder = null;
        if (call.has("path")) {
            folder = ctx.settings().model(call.required("path"));
            enc = BertConfig.fromJson(folder.resolve("config.json"));
            if (enc.vocabSize() < vocabSize) throw new ScxmException("the model at " + folder + " knows " + enc.vocabSize()
                    + " tokens but the vocabulary has " + vocabSize + "; tokenize with vocab= the model's dictionaries.");
        } else {
            call.choice("size", "small", "small");
            BertConfig s = BertConfig.small(vocabSize, Math.max(maxLength, 16));
            enc = new BertConfig(s.vocabSize(), call.integer("hidden", s.hidden()), call.integer("layers", s.layers()), s.heads(),
                    call.integer("hidden", s.hidden()) * 2, s.maxPositions(), s.typeVocabSize(), s.layerNormEps(), s.hiddenAct(), s.padTokenId());
        }
        ScxmConfig cfg = ScxmConfig.paper(enc, st.panel().length);
        cfg = new ScxmConfig(cfg.encoder(), cfg.panel(), Math.min(call.integer("trainable", cfg.trainableBlocks()), enc.layers()),
                cfg.headLayers(), cfg.decoderLayers(), cfg.criticLayers(), call.integer("width", cfg.width()));
        if (call.choice("variant", "paper", "paper", "frozen").equals("frozen")) cfg = cfg.frozenBackbone();
        ScxmModel model = new ScxmModel(cfg, call.longValue("seed", ctx.settings().seed()));
        if (folder != null) model.loadEncoder(folder);
        ctx.tx().putValue(KEY + name, model);
        ctx.tx().putValue(Train.TRAINER + name, null);
        ctx.tx().putValue(CURRENT, name);
        ctx.text("model '" + name + "': " + model.describe());
    }

    /** The named model (or the current one when name is null), or "run `model` first". */
    static ScxmModel require(CommandContext ctx, String name) {
        String n = name != null ? name : ctx.tx().value(CURRENT, String.class);
        ScxmModel m = n == null ? null : ctx.tx().value(KEY + n, ScxmModel.class);
        if (m == null) throw new ScxmException(n == null ? "no model yet: run `model NAME` first." : "no model '" + n + "': run `model " + n + "` first.");
        return m;
    }

    static String currentName(CommandContext ctx, String name) {
        return name != null ? name : ctx.tx().value(CURRENT, String.class);
    }

}
