package org.scxm.model;

import static org.scxm.model.Pretrainer.OPTIMISER_FILE;
import static org.scxm.model.Pretrainer.RNG_FILE;
import static org.scxm.model.Pretrainer.STATE_FILE;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.scxm.ScxmException;
import org.scxm.io.Targets;
import org.scxm.tokenize.RankValueEncoder;

/**
 * A {@link Pretrainer}'s folder: the Hugging Face files (config, weights, dictionaries) and the state a run resumes
 * from (loss history, optimiser moments, sampler).
 */
final class PretrainerFolder {
    private PretrainerFolder() {}

    /** {@link Pretrainer#save}. */
    static void write(Pretrainer p, Path folder) {
        Targets.checkFolder(folder, f -> Files.isRegularFile(f.resolve(STATE_FILE)), "pretrain");
        Targets.sweep(folder);
        Path abs = folder.toAbsolutePath();
        Path tmp = abs.resolveSibling(
                "." + abs.getFileName() + ".saving-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(abs.getParent());
            Checkpoint.deleteTree(tmp);
            Files.createDirectories(tmp);
            JsonObject cfg = p.config.toJson();
            cfg.addProperty("hidden_dropout_prob", 0.0); // trained without dropout (see Pretrainer's class comment)
            cfg.addProperty("attention_probs_dropout_prob", 0.0);
            Files.writeString(
                    tmp.resolve("config.json"),
                    new GsonBuilder().setPrettyPrinting().create().toJson(cfg));
            Map<String, SafeTensors.Tensor> w =
                    new LinkedHashMap<>(p.encoder.weights().snapshot("bert."));
            w.putAll(p.head.snapshot(""));
            SafeTensors.write(tmp.resolve("model.safetensors"), w);
            p.vocab.writePickles(tmp.resolve("token_dictionary.pkl"), tmp.resolve("gene_median_dictionary.pkl"));
            Map<String, SafeTensors.Tensor> opt = new LinkedHashMap<>(p.encOpt.snapshot("bert."));
            opt.putAll(p.headOpt.snapshot(""));
            SafeTensors.write(tmp.resolve(OPTIMISER_FILE), opt);
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(tmp.resolve(RNG_FILE)))) {
                out.writeObject(p.rng);
            }
            Files.writeString(
                    tmp.resolve(STATE_FILE),
                    new GsonBuilder().setPrettyPrinting().create().toJson(state(p)));
            Checkpoint.swapIn(tmp, abs);
        } catch (IOException e) {
            try {
                Checkpoint.deleteTree(tmp);
            } catch (IOException ignored) {
            }
            throw new ScxmException(
                    "could not write the pretrained model to " + folder + " (" + e.getMessage()
                            + "); check the folder is writable and has space.",
                    e);
        }
    }

    private static JsonObject state(Pretrainer p) {
        JsonObject s = new JsonObject();
        s.addProperty("written_by", "scxm pretrain");
        s.addProperty("global_step", p.step);
        s.add("options", new com.google.gson.Gson().toJsonTree(p.o));
        s.addProperty("cells", p.tokens.modality().nCells());
        s.addProperty("dataset", p.tokens.modality().name());
        JsonArray log = new JsonArray();
        for (int r = 0; r < p.losses.rowCount(); r++) {
            JsonObject e = new JsonObject();
            e.addProperty("step", p.losses.intColumn("step").getInt(r));
            e.addProperty("loss", p.losses.doubleColumn("loss").getDouble(r));
            e.addProperty(
                    "masked_accuracy", p.losses.doubleColumn("masked_accuracy").getDouble(r));
            e.addProperty("learning_rate", p.losses.doubleColumn("lr").getDouble(r));
            log.add(e);
        }
        s.add("log_history", log);
        return s;
    }

    /** {@link Pretrainer#resume}. */
    static Pretrainer read(Path folder, RankValueEncoder tokens) {
        if (!Files.isRegularFile(folder.resolve(STATE_FILE)))
            throw new ScxmException(folder + " has no " + STATE_FILE
                    + ", so it was not written by pretrain; give a folder that pretrain saved.");
        try {
            JsonObject s = JsonParser.parseString(Files.readString(folder.resolve(STATE_FILE)))
                    .getAsJsonObject();
            Pretrainer.Options o = new com.google.gson.Gson().fromJson(s.get("options"), Pretrainer.Options.class);
            o = new Pretrainer.Options(
                    o.layers(),
                    o.hidden(),
                    o.heads(),
                    o.intermediate(),
                    o.steps(),
                    o.batch(),
                    o.lr(),
                    o.warmup(),
                    o.seed(),
                    o.heldOut()); // validates
            PretrainedFolder pf = PretrainedFolder.open(folder, org.scxm.tokenize.TokenizerFiles.Named.none());
            pf.requireSameTokens(tokens.vocabulary(), "the cells' vocabulary");
            if (s.get("cells").getAsInt() != tokens.modality().nCells())
                throw new ScxmException(folder + " was pretrained on "
                        + s.get("cells").getAsInt() + " cells, not the "
                        + tokens.modality().nCells() + " given; resume on the same cells (or start a new folder).");
            Pretrainer p = new Pretrainer(tokens, o);
            Map<String, SafeTensors.Tensor> w = SafeTensors.read(folder.resolve("model.safetensors"));
            p.encoder.loadWeights(w, folder.resolve("model.safetensors").toString());
            for (String name : p.head.all().keySet()) {
                SafeTensors.Tensor t = w.get(name);
                if (t == null)
                    throw new ScxmException(
                            folder + " lacks " + name + "; the folder is incomplete, so start a new one.");
                p.head.set(name, t.data());
            }
            Map<String, SafeTensors.Tensor> opt = SafeTensors.read(folder.resolve(OPTIMISER_FILE));
            p.encOpt.restore(opt, "bert.");
            p.headOpt.restore(opt, "");
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(folder.resolve(RNG_FILE)))) {
                p.rng = (Random) in.readObject();
            }
            for (var e : s.getAsJsonArray("log_history")) {
                JsonObject r = e.getAsJsonObject();
                p.losses.intColumn("step").append(r.get("step").getAsInt());
                p.losses.doubleColumn("loss").append(r.get("loss").getAsDouble());
                p.losses
                        .doubleColumn("masked_accuracy")
                        .append(r.get("masked_accuracy").getAsDouble());
                p.losses.doubleColumn("lr").append(r.get("learning_rate").getAsDouble());
            }
            p.step = s.get("global_step").getAsInt();
            return p;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (e instanceof ScxmException se) throw se;
            throw new ScxmException(
                    "could not resume from " + folder + " (" + e.getMessage()
                            + "); the folder is damaged, so start a new one.",
                    e);
        }
    }
}
