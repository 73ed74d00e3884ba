package org.scxm.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.scxm.ScxmException;
import org.scxm.io.Targets;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * A training checkpoint in one folder: config.json (architecture, training config, step),
 * weights.safetensors (encoder, head, decoder, critic), optimiser.safetensors (Adam moments and step
 * counts), rng.bin (the sampler's state) and losses.tsv. Written atomically: everything goes to a
 * sibling temporary folder which then replaces the old one by rename, so a crash mid-save leaves
 * the previous checkpoint intact.
 */
public final class Checkpoint {
    private Checkpoint() {}

    private static final String[] OPT = {"opt.encoder.", "opt.head.", "opt.decoder.", "opt.critic."};
    private static final String AVERAGE = "ema.";

    /** What {@link #save} writes into a checkpoint folder: a folder holding anything else is not replaced. */
    private static final java.util.Set<String> FILES =
            java.util.Set.of("config.json", "weights.safetensors", "optimiser.safetensors", "rng.bin", "losses.tsv");

    /**
     * What a run was trained on, saved beside its weights so that a restore can refuse other data: the
     * spatial panel, the vocabulary's fingerprint and sequence length, the model's initial-weight seed
     * and its pretrained folder. Any may be null/0 when unknown.
     */
    /**
     * @param panelGenesOnly the tokens ranked the panel genes only ({@code tokenize genes=panel})
     * @param targetTypes    the cell types naming a composition model's outputs, in column order; null for a bulked
     *                       panel target (and in checkpoints written before composition targets)
     */
    public record Context(
            String[] panel,
            String vocabulary,
            int maxLength,
            long modelSeed,
            String pretrained,
            boolean panelGenesOnly,
            String[] targetTypes) {
        public Context(
                String[] panel,
                String vocabulary,
                int maxLength,
                long modelSeed,
                String pretrained,
                boolean panelGenesOnly) {
            this(panel, vocabulary, maxLength, modelSeed, pretrained, panelGenesOnly, null);
        }

        public static Context none() {
            return new Context(null, null, 0, 0, null, false, null);
        }
    }

    /** A restored checkpoint: the trainer (with its model) ready to continue, and what it was trained on. */
    public record Loaded(Trainer trainer, Context context) {}

    /** True for a folder written by {@link #save} (config.json with model and train sections). */
    public static boolean isCheckpoint(Path dir) {
        Path c = dir.resolve("config.json");
        if (!Files.isRegularFile(c) || !Files.isRegularFile(dir.resolve("weights.safetensors"))) return false;
        try {
            JsonObject o = JsonParser.parseString(Files.readString(c)).getAsJsonObject();
            return o.has("model") && o.has("train");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static void save(Path dir, Trainer t) {
        save(dir, t, Context.none());
    }

    /**
     * @throws ScxmException before anything is written when {@code dir} is a file or a non-empty folder that is not a
     *     checkpoint (see {@link Targets}: only a previous checkpoint is replaced)
     */
    public static void save(Path dir, Trainer t, Context context) {
        Targets.checkFolder(dir, Checkpoint::isCheckpoint, "save");
        if (Files.isDirectory(dir) && isCheckpoint(dir)) { // replacing a checkpoint must not take a user's file with it
            try (Stream<Path> entries = Files.list(dir)) {
                entries.map(p -> p.getFileName().toString())
                        .filter(f -> !FILES.contains(f))
                        .findFirst()
                        .ifPresent(f -> {
                            throw new ScxmException(
                                    dir + " is a checkpoint that also holds " + f
                                            + ", which save did not write; move it out or give a new folder (nothing was overwritten).");
                        });
            } catch (IOException e) {
                throw new ScxmException("cannot list " + dir + " (" + e.getMessage() + "); give a writable folder.", e);
            }
        }
        Targets.sweep(dir);
        Path parent = dir.toAbsolutePath().getParent();
        Path tmp = parent.resolve(
                "." + dir.getFileName() + ".saving-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            ScxmModel m = t.model();
            JsonObject cfg = new JsonObject();
            cfg.add("model", m.config().toJson());
            cfg.add("train", new com.google.gson.Gson().toJsonTree(t.config()));
            cfg.addProperty("step", t.step());
            cfg.addProperty("warmup", t.warmupDone());
            cfg.add("context", new com.google.gson.Gson().toJsonTree(context));
            cfg.addProperty("cell_embedding", m.encoder().cellEmbedding().name());
            Files.writeString(
                    tmp.resolve("config.json"),
                    new GsonBuilder().setPrettyPrinting().create().toJson(cfg));
            Map<String, SafeTensors.Tensor> w = new LinkedHashMap<>();
            w.putAll(m.encoder().weights().snapshot("encoder."));
            w.putAll(m.headWeights().snapshot(""));
            w.putAll(m.decoderWeights().snapshot(""));
            w.putAll(m.criticWeights().snapshot(""));
            SafeTensors.write(tmp.resolve("weights.safetensors"), w);
            Map<String, SafeTensors.Tensor> o = new LinkedHashMap<>();
            Adam[] opts = t.optimisers();
            for (int k = 0; k < opts.length; k++) o.putAll(opts[k].snapshot(OPT[k]));
            if (t.average() != null) o.putAll(t.average().snapshot(AVERAGE));
            SafeTensors.write(tmp.resolve("optimiser.safetensors"), o);
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(tmp.resolve("rng.bin")))) {
                out.writeObject(t.rng());
            }
            t.losses()
                    .write()
                    .csv(CsvWriteOptions.builder(tmp.resolve("losses.tsv").toFile())
                            .separator('\t')
                            .build());
            swapIn(tmp, dir);
        } catch (IOException e) {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
            }
            throw new ScxmException(
                    "could not save the checkpoint to " + dir + " (" + e.getMessage()
                            + "); check the folder is writable and has space. The previous checkpoint is untouched.",
                    e);
        }
    }

    /**
     * What a checkpoint was trained on (panel, vocabulary fingerprint, sequence length), read from its config.json
     * without loading weights: a cluster driver checks its inputs with it before any executor loads the model.
     */
    public static Context context(Path dir) {
        Path d = survivingCopy(dir);
        if (!Files.isRegularFile(d.resolve("config.json")))
            throw new ScxmException(
                    dir + " is not an SCXM checkpoint (no config.json); give a folder written by `save`.");
        return readConfig(d).context();
    }

    /** config.json of a checkpoint, parsed and checked for the sections a restore needs. */
    private record Config(JsonObject json, ScxmConfig model, TrainConfig train, int step, Context context) {}

    /**
     * Reads config.json; a file cut short, not JSON or of another shape is one sentence naming it, not a parser's
     * exception (everything here only decodes the file's own text, so any failure is the file's).
     */
    private static Config readConfig(Path dir) {
        Path c = dir.resolve("config.json");
        String text;
        try {
            text = Files.readString(c);
        } catch (IOException e) {
            throw new ScxmException("could not read " + c + " (" + e.getMessage() + "); check it is readable.", e);
        }
        if (text.isBlank())
            throw new ScxmException(c + " is empty; the checkpoint is damaged: save it again from its model.");
        try {
            JsonObject cfg = JsonParser.parseString(text).getAsJsonObject();
            for (String key : new String[] {"model", "train"})
                if (!cfg.has(key) || !cfg.get(key).isJsonObject())
                    throw new ScxmException(
                            c + " has no '" + key
                                    + "' section, so it is not the config.json of an SCXM checkpoint; give a folder written by `save`.");
            if (!cfg.has("step") || !cfg.get("step").isJsonPrimitive())
                throw new ScxmException(c + " has no 'step' number, so it is not the config.json of an SCXM"
                        + " checkpoint; give a folder written by `save`.");
            ScxmConfig mc = ScxmConfig.fromJson(cfg.getAsJsonObject("model"));
            TrainConfig tc = new com.google.gson.Gson().fromJson(cfg.get("train"), TrainConfig.class);
            Context context = cfg.has("context")
                    ? new com.google.gson.Gson().fromJson(cfg.get("context"), Context.class)
                    : Context.none();
            return new Config(cfg, mc, tc, cfg.get("step").getAsInt(), context);
        } catch (ScxmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ScxmException(
                    c + " is damaged: it is cut short or not the JSON `save` writes ("
                            + (e.getMessage() != null
                                    ? e.getMessage()
                                    : e.getClass().getSimpleName())
                            + "); save the checkpoint again from its model.",
                    e);
        }
    }

    /** Loads a checkpoint into a new model and trainer, ready to predict or to continue training exactly. */
    public static Trainer load(Path dir) {
        return restore(dir).trainer();
    }

    /** As {@link #load}, with what the run was trained on, on the default device. */
    public static Loaded restore(Path dir) {
        return restore(dir, Torch.device("auto"));
    }

    /** As {@link #load}, with what the run was trained on; the model and its optimiser state live on {@code device}. */
    public static Loaded restore(Path dir, ai.djl.Device device) {
        dir = survivingCopy(dir);
        if (!Files.isRegularFile(dir.resolve("config.json"))
                || !Files.isRegularFile(dir.resolve("weights.safetensors")))
            throw new ScxmException(
                    dir
                            + " is not an SCXM checkpoint (no config.json + weights.safetensors); give a folder written by `save`.");
        try {
            Config parsed = readConfig(dir);
            JsonObject cfg = parsed.json();
            ScxmConfig mc = parsed.model();
            TrainConfig tc = parsed.train();
            ScxmModel model = new ScxmModel(mc, 0, device);
            Map<String, SafeTensors.Tensor> w = SafeTensors.read(dir.resolve("weights.safetensors"));
            Map<String, SafeTensors.Tensor> enc = new LinkedHashMap<>();
            w.forEach((k, v) -> {
                if (k.startsWith("encoder.")) enc.put(k.substring(8), v);
            });
            model.encoder().loadWeights(enc, dir.resolve("weights.safetensors").toString());
            // checkpoints from before V1 support have no entry: they always used <cls>
            if (cfg.has("cell_embedding"))
                model.encoder()
                        .cellEmbedding(BertEncoder.CellEmbedding.valueOf(
                                cfg.get("cell_embedding").getAsString()));
            for (Weights ws : new Weights[] {model.headWeights(), model.decoderWeights(), model.criticWeights()})
                for (String name : ws.all().keySet()) {
                    SafeTensors.Tensor t = w.get(name);
                    if (t == null) throw new ScxmException(dir + " lacks " + name + "; the checkpoint is incomplete.");
                    ws.set(name, t.data());
                }
            Trainer trainer = new Trainer(model, tc);
            Map<String, SafeTensors.Tensor> o = SafeTensors.read(dir.resolve("optimiser.safetensors"));
            Adam[] opts = trainer.optimisers();
            for (int k = 0; k < opts.length; k++) opts[k].restore(o, OPT[k]);
            if (trainer.average() != null) trainer.average().restore(o, AVERAGE);
            Random rng;
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(dir.resolve("rng.bin")))) {
                rng = (Random) in.readObject();
            }
            Table losses = Table.read()
                    .csv(CsvReadOptions.builder(dir.resolve("losses.tsv").toFile())
                            .separator('\t')
                            .build());
            Table typed = trainer.losses().emptyCopy();
            for (int r = 0; r < losses.rowCount(); r++) {
                typed.intColumn(0).append(((Number) losses.column(0).get(r)).intValue());
                for (int c = 1; c < typed.columnCount(); c++) // a run saved before the pair column has none: NaN
                typed.doubleColumn(c)
                            .append(
                                    c < losses.columnCount() && losses.column(c).get(r) instanceof Number v
                                            ? v.doubleValue()
                                            : Double.NaN);
            }
            trainer.restore(
                    parsed.step(), cfg.has("warmup") ? cfg.get("warmup").getAsInt() : tc.decoderWarmup(), rng, typed);
            return new Loaded(trainer, parsed.context());
        } catch (IOException | ClassNotFoundException e) {
            throw new ScxmException("could not read the checkpoint " + dir + " (" + e.getMessage() + ").", e);
        }
    }

    /**
     * A save that died between its two renames leaves the previous checkpoint as the hidden sibling
     * {@code .NAME.old-PID} and no folder NAME: that complete copy is what to load.
     */
    static Path survivingCopy(Path dir) {
        if (Files.exists(dir)) return dir;
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) return dir;
        String prefix = "." + dir.getFileName() + ".old-";
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && Files.isRegularFile(p.resolve("weights.safetensors")))
                    .findFirst()
                    .orElse(dir);
        } catch (IOException e) {
            return dir;
        }
    }

    /**
     * Replaces folder {@code dir} by the complete folder {@code tmp}: the old one goes aside, the new one in, then
     * the old one is deleted. A crash between the two renames leaves the old one as {@code .NAME.old-PID}, which
     * {@link #survivingCopy} finds. Shared by checkpoints and pretrained folders.
     */
    static void swapIn(Path tmp, Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        // the last line of defence: callers check with Targets.checkFolder first, and nothing else may go aside
        if (Files.isRegularFile(abs)) throw new IOException(abs + " is a file, not a folder written by the workbench");
        Path old = abs.resolveSibling(
                "." + abs.getFileName() + ".old-" + ProcessHandle.current().pid());
        deleteTree(old);
        if (Files.exists(abs)) Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
        Targets.sweep(abs); // copies moved aside by killed writes are stale now that a complete one is in place
    }

    static void deleteTree(Path p) throws IOException {
        Targets.deleteTree(p);
    }
}
