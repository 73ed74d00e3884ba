package org.scxm.workbench;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.scxm.Names;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.analysis.LabelTransfer;
import org.scxm.baseline.ScAct;
import org.scxm.baseline.ScConfluence;
import org.scxm.data.DemoTissue;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Harmoniser;
import org.scxm.data.Homology;
import org.scxm.data.Modality;
import org.scxm.data.Normalise;
import org.scxm.data.SparseMatrix;
import org.scxm.io.H5adWriter;
import org.scxm.io.Readers;
import org.scxm.model.BertConfig;
import org.scxm.model.Checkpoint;
import org.scxm.model.Predictor;
import org.scxm.model.PretrainedFolder;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.model.Torch;
import org.scxm.model.TrainConfig;
import org.scxm.model.Trainer;
import org.scxm.model.TrainingData;
import org.scxm.plot.AnalysisPlots;
import org.scxm.plot.LossPlots;
import org.scxm.plot.SpatialPlots;
import org.scxm.spatial.Bulker;
import org.scxm.spatial.Kernel;
import org.scxm.spatial.NeighbourGraph;
import org.scxm.spatial.SpatialAutocorrelation;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.tokenize.TokenizerFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * SCXM as a Java API: one verb per stage of the data's way (load, harmonise, bulk, tokenize, model,
 * train, predict, baseline, evaluate, sweep, niches, de, gsea, annotate, export, save), each taking an
 * {@link Options} record and answering with a {@link Report}, over typed {@link State}.
 * <p>
 * Every verb is a step: it either completes and publishes its new state, or fails (or is cancelled) and
 * leaves the state as it was. {@link #step} groups several verbs into one such step (a notebook
 * paragraph). Steps run one at a time; {@link #state()} may be read from any thread.
 * <pre>{@code
 * try (Workbench wb = new Workbench(Workbench.Settings.defaults())) {
 *     wb.loadDemo(Options.Demo.of(0).withCells(600));
 *     wb.harmonise(Options.Harmonise.defaults());
 *     ...
 * }
 * }</pre>
 */
public final class Workbench implements AutoCloseable {
    /**
     * @param seed    default seed of every random step
     * @param device  where models and baselines run unless a verb names another: auto (the first GPU PyTorch
     *                sees, else the CPU), cpu, gpu or gpu:N
     * @param threads intra-op threads for model work (0 = all cores)
     */
    public record Settings(long seed, String device, int threads) {
        public static Settings defaults() {
            return new Settings(0, "auto", 0);
        }
    }

    /** Default token sequence length when the vocabulary comes from the data. */
    public static final int DEFAULT_MAX_LENGTH = 2048;

    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile State committed = State.empty();
    private State working;
    private int depth;
    private Progress progress = Progress.NONE;

    public Workbench(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** The state as of the last completed step (or, inside a step, as the step has it so far). */
    public State state() {
        State w = lock.isHeldByCurrentThread() ? working : null;
        return w != null ? w : committed;
    }

    /**
     * Runs {@code work} as one step: its verbs see each other's changes; when it throws (or is cancelled)
     * every change is dropped and the models it built are closed. Nested steps join the outer one.
     */
    public <T> T step(Progress p, Supplier<T> work) {
        lock.lock();
        Progress before = progress;
        progress = p;
        boolean outer = depth++ == 0;
        State start = outer ? committed : working;
        if (outer) working = committed;
        try {
            T result = work.get();
            if (outer) {
                State done = working;
                closeModelsOnlyIn(committed, done);
                committed = done;
            }
            return result;
        } catch (RuntimeException | Error e) {
            closeModelsOnlyIn(working, start); // what this (possibly nested) step built and nothing earlier holds
            working = start;
            throw e;
        } finally {
            depth--;
            if (depth == 0) working = null;
            progress = before;
            lock.unlock();
        }
    }

    private Report verb(Supplier<Report> work) {
        return step(progress, work);
    }

    private State s() {
        return working;
    }

    private void set(State s) {
        working = s;
    }

    /** Closes the models {@code old} holds that {@code kept} does not. */
    private static void closeModelsOnlyIn(State old, State kept) {
        Set<ScxmModel> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.addAll(kept.liveModels());
        for (ScxmModel m : old.liveModels()) if (!keep.contains(m)) m.close();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (ScxmModel m : committed.liveModels()) m.close();
            committed = State.empty();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ datasets

    /** The dataset or a one-sentence error naming the ones that exist. */
    public DatasetState require(String name) {
        DatasetState d = state().datasets().get(name);
        if (d != null) return d;
        List<String> known = new ArrayList<>(state().datasets().keySet());
        if (known.isEmpty())
            throw new ScxmException("no dataset '" + name + "' yet: load data first (e.g. `load demo`).");
        throw new ScxmException("no dataset '" + name + "'" + Names.didYouMean(name, known) + "; loaded: "
                + String.join(", ", known) + ".");
    }

    /** The built-in synthetic tissue as sc, st and val (DemoTissue documents its generative model). */
    public Report loadDemo(Options.Demo o) {
        return verb(() -> {
            if (o.cells() < 200)
                throw new ScxmException("cells=" + o.cells() + " is too few for a tissue; use at least 200.");
            progress.update(0.05, "generating the demo tissue");
            DemoTissue.Params d = DemoTissue.Params.defaults(o.seed());
            DemoTissue demo = DemoTissue.generate(new DemoTissue.Params(
                    o.seed(), o.cells(), o.cells() * 3 / 2, o.cells(), d.stPanel(), d.valPanel()));
            Report r = new Report();
            replace(DatasetState.loaded("sc", Role.SC, demo.sc().renamed("sc")), r);
            replace(DatasetState.loaded("st", Role.ST, demo.st().renamed("st")), r);
            replace(DatasetState.loaded("val", Role.VAL, demo.val().renamed("val")), r);
            set(s().withDemoProgrammes(demo.programmes()));
            r.table(listing());
            return r;
        });
    }

    /** One modality from a file or folder (h5ad, 10x .h5, Xenium, Visium, MERSCOPE), under a name and a role. */
    public Report load(Options.Load o) {
        return verb(() -> {
            if (!Files.exists(o.path()))
                throw new ScxmException("no file or folder at " + o.path().toAbsolutePath() + "; check path=.");
            Report r = new Report();
            Modality m = Readers.load(o.path(), o.name(), o.read().withWarnings(w -> r.text(w)), progress);
            if (o.label() != null && !o.label().equals("cell_type")) m = withLabel(m, o.label(), o.name());
            DatasetState d = DatasetState.loaded(o.name(), o.role(), m);
            replace(d, r);
            r.text("loaded " + m + " as '" + o.name() + "' (" + o.role() + ")");
            List<String> same = s().byRole(o.role()).stream()
                    .map(DatasetState::name)
                    .filter(n -> !n.equals(o.name()))
                    .toList();
            if (!same.isEmpty())
                r.text("note: " + o.role() + " now has " + (same.size() + 1) + " datasets (" + String.join(", ", same)
                        + ", " + o.name() + "); name the ones to use: `harmonise " + o.role() + "=" + o.name()
                        + " ...`.");
            return r;
        });
    }

    private static Modality withLabel(Modality m, String label, String name) {
        if (!m.obs().containsColumn(label))
            throw new ScxmException("'" + name + "' has no obs column '" + label + "'"
                    + Names.didYouMean(label, m.obs().columnNames()) + "; its columns: "
                    + String.join(", ", m.obs().columnNames()) + ".");
        var obs = m.obs().copy();
        var col = obs.column(label).copy().asStringColumn().setName("cell_type");
        if (obs.containsColumn("cell_type")) obs.removeColumns("cell_type");
        obs.addColumns(col);
        return m.withObs(obs);
    }

    /** Puts a dataset under its name; replacing one that was harmonised drops everything derived, and says so. */
    private void replace(DatasetState d, Report r) {
        DatasetState old = s().datasets().get(d.name());
        if (old != null) {
            List<String> dropped = new ArrayList<>();
            State h = s();
            if (h.harmonisation() != null && h.harmonisation().involves(d.name())) h = h.dropHarmonised(dropped);
            set(h.withoutDataset(d.name()));
            r.text("replaced '" + d.name() + "' (" + old.role() + ", "
                    + old.loaded().nCells() + " cells)"
                    + (dropped.isEmpty() ? "" : "; dropped what was derived from it: " + String.join(", ", dropped))
                    + ".");
        }
        set(s().withDataset(d));
    }

    /** Removes a dataset and everything derived from it. */
    public Report drop(String name) {
        return verb(() -> {
            require(name);
            List<String> dropped = new ArrayList<>();
            State h = s();
            if (h.harmonisation() != null && h.harmonisation().involves(name)) h = h.dropHarmonised(dropped);
            set(h.withoutDataset(name));
            return new Report()
                    .text("dropped '" + name + "'" + (dropped.isEmpty() ? "" : " and " + String.join(", ", dropped))
                            + ".")
                    .table(listing());
        });
    }

    /**
     * Splits a loaded slide into a spatial training half and a validation half (for a real tissue that has
     * one slide and no separate validation slide), leaving a gap of cells out so no neighbourhood spans both.
     */
    public Report split(Options.Split o) {
        return verb(() -> {
            DatasetState d = require(o.dataset());
            Modality m = d.loaded();
            m.requireCoordinates("a spatial split");
            if (!(o.gap() >= 0))
                throw new ScxmException("gap=" + o.gap()
                        + " must be a distance in µm, 0 or more (one bulking radius keeps neighbourhoods apart).");
            if (o.first().equals(o.second())) throw new ScxmException("split needs two different names (into=st,val).");
            HeldOut.Parts p = HeldOut.halves(m.x(), m.y(), o.gap());
            Report r = new Report();
            List<String> dropped = new ArrayList<>();
            State h = s();
            if (h.harmonisation() != null && h.harmonisation().involves(d.name())) h = h.dropHarmonised(dropped);
            set(h.withoutDataset(d.name()));
            replace(
                    DatasetState.loaded(
                            o.first(), Role.ST, m.selectCells(p.tuning()).renamed(o.first())),
                    r);
            replace(
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
                    plain(o.gap())));
            if (!dropped.isEmpty())
                r.text("dropped what was derived from '" + d.name() + "': " + String.join(", ", dropped) + ".");
            return r.table(listing());
        });
    }

    /** One row per dataset: name, role, size and what was computed for it. */
    public Table listing() {
        StringColumn name = StringColumn.create("name"),
                role = StringColumn.create("role"),
                steps = StringColumn.create("computed");
        IntColumn cells = IntColumn.create("cells"),
                genes = IntColumn.create("genes"),
                panel = IntColumn.create("panel");
        for (DatasetState d : state().datasets().values()) {
            name.append(d.name());
            role.append(d.role().word());
            cells.append(d.nCells());
            genes.append(d.modality().nGenes());
            panel.append(d.panel() == null ? 0 : d.panel().length);
            StringBuilder b = new StringBuilder();
            if (d.modality().hasCoordinates()) b.append("x/y ");
            if (d.cellTypes() != null) b.append("cell types ");
            if (d.binarised() != null) b.append("binarised ");
            if (d.target() != null) b.append("target ");
            if (state().tokens() != null && state().tokens().encoders().containsKey(d.name())) b.append("tokens ");
            if (d.prediction() != null) b.append("prediction decoded ");
            if (d.niches() != null) b.append("niches ");
            if (d.evaluation() != null) b.append("evaluation");
            steps.append(b.toString().strip());
        }
        return Table.create("datasets", name, role, cells, genes, panel, steps);
    }

    // ------------------------------------------------------------------ harmonise, bulk, tokenize

    /** Shared gene panels and one cell filter in every modality (paper 4.2), then the binarised panel. */
    public Report harmonise(Options.Harmonise o) {
        return verb(() -> {
            DatasetState sc = pick(Role.SC, o.sc(), true),
                    st = pick(Role.ST, o.st(), true),
                    val = pick(Role.VAL, o.val(), false);
            List<String> dropped = new ArrayList<>();
            boolean again = s().harmonisation() != null;
            set(s().dropHarmonised(dropped));
            sc = s().datasets().get(sc.name());
            st = s().datasets().get(st.name());
            val = val == null ? null : s().datasets().get(val.name());
            Harmoniser.Harmonised h = Harmoniser.run(
                    sc.modality(),
                    st.modality(),
                    val == null ? null : val.modality(),
                    new Harmoniser.Options(o.minCounts(), o.minGenes()),
                    progress);
            String[] panel = h.spatialPanel();
            set(s().withDataset(harmonised(sc, h.sc(), h, panel)).withDataset(harmonised(st, h.st(), h, panel)));
            if (val != null) set(s().withDataset(harmonised(val, h.val(), h, panel)));
            set(s().withHarmonisation(
                            new State.Harmonisation(sc.name(), st.name(), val == null ? null : val.name(), panel)));
            Report r = new Report().table(h.summary());
            r.text("spatial panel: " + panel.length + " genes shared by " + sc.name() + " (sc), " + st.name() + " (st)"
                    + (val == null ? "" : " and " + val.name() + " (val)"));
            if (again && !dropped.isEmpty()) r.text("harmonised anew: dropped " + String.join(", ", dropped) + ".");
            return r;
        });
    }

    private DatasetState pick(Role role, String name, boolean required) {
        if (name != null) {
            DatasetState d = require(name);
            if (d.role() != role)
                throw new ScxmException("'" + name + "' is a " + d.role() + " dataset, not " + role + "; name a " + role
                        + " dataset with " + role + "=.");
            return d;
        }
        List<DatasetState> all = s().byRole(role);
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

    /** The harmonised dataset of a role (null for a missing val), or "run harmonise first". */
    public DatasetState harmonisedDataset(Role role) {
        State.Harmonisation h = state().harmonisation();
        if (h == null) throw new ScxmException("nothing is harmonised yet: run `harmonise` first.");
        String n = switch (role) {
            case SC -> h.sc();
            case ST -> h.st();
            case VAL -> h.val();
        };
        return n == null ? null : state().datasets().get(n);
    }

    /** The spatially bulked target z = Σ k_ij y_j over the radius graph (paper 3.1) on the harmonised slides. */
    public Report bulk(Options.Bulk o) {
        return verb(() -> {
            if (!(o.radius() > 0))
                throw new ScxmException(
                        "radius=" + o.radius() + " must be a positive distance in microns, e.g. radius=25.");
            Kernel kernel = Kernel.byName(o.kernel(), o.sigma(), o.radius());
            List<DatasetState> slides = new ArrayList<>();
            if (o.datasets().isEmpty()) {
                for (Role role : List.of(Role.ST, Role.VAL)) {
                    DatasetState d = harmonisedDataset(role);
                    if (d != null && d.modality().hasCoordinates()) slides.add(d);
                }
                if (slides.isEmpty())
                    throw new ScxmException(
                            "no spatial slide to bulk: load one (`load demo` or `load st NAME path=...`) and harmonise first.");
            } else for (String w : o.datasets()) slides.add(require(w));
            StringColumn name = StringColumn.create("dataset");
            IntColumn cells = IntColumn.create("cells");
            DoubleColumn degree = DoubleColumn.create("mean_neighbours"), mean = DoubleColumn.create("mean_target");
            Report r = new Report();
            for (int k = 0; k < slides.size(); k++) {
                DatasetState d = slides.get(k);
                d.requirePanel();
                d.modality().requireCoordinates("bulking");
                progress.update(k / (double) slides.size(), "bulking " + d.name());
                NeighbourGraph g =
                        NeighbourGraph.radius(d.modality().x(), d.modality().y(), o.radius());
                String warning = g.radiusWarning(o.radius());
                if (warning != null) r.text("warning for '" + d.name() + "': " + warning);
                SparseMatrix panel =
                        d.modality().matrix().selectCols(d.panelColumns()).inMemory();
                DenseMatrix z = o.target().equals("log")
                        ? Bulker.logNormalised(panel, g, kernel)
                        : Bulker.binarised(panel, g, kernel);
                set(s().withDataset(d.withTarget(z)));
                name.append(d.name());
                cells.append(d.nCells());
                degree.append(g.meanDegree());
                mean.append(z.mean());
            }
            set(s().withBulk(new State.BulkSettings(o.radius(), kernel, o.target())));
            return r.table(Table.create(
                    "bulked targets (" + kernel.describe() + ", radius " + o.radius() + " µm)",
                    name,
                    cells,
                    degree,
                    mean));
        });
    }

    /** Geneformer rank value encoding of the cells the model reads (the harmonised scRNA and validation cells). */
    public Report tokenize(Options.Tokenize o) {
        return verb(() -> {
            DatasetState sc = harmonisedDataset(Role.SC);
            Report r = new Report();
            GeneformerVocabulary vocab;
            int maxLength;
            TokenizerFiles.Named named = new TokenizerFiles.Named(o.tokenDictionary(), o.medianDictionary(), null);
            Homology homology = null;
            if (o.vocabulary() == null) {
                if (o.tokenDictionary() != null || o.medianDictionary() != null)
                    throw new ScxmException(
                            "token= and medians= name a model's dictionaries; give its folder with vocab=FOLDER too (or drop them for vocab=data).");
                vocab = GeneformerVocabulary.fromData(sc.modality());
                maxLength = o.maxLength() > 0 ? o.maxLength() : DEFAULT_MAX_LENGTH;
            } else {
                PretrainedFolder.Tokenizer t = PretrainedFolder.tokenizer(o.vocabulary(), named);
                vocab = t.vocabulary();
                maxLength = o.maxLength() > 0 ? o.maxLength() : t.maxLength() > 0 ? t.maxLength() : DEFAULT_MAX_LENGTH;
                if (t.maxLength() > 0 && maxLength > t.maxLength())
                    throw new ScxmException("max_length=" + maxLength + " is longer than the model's input ("
                            + t.maxLength() + " positions); use at most " + t.maxLength() + ".");
                r.text(t.describe() + "; max_length " + maxLength + (o.maxLength() > 0 ? "" : " (the model's)"));
                for (String w : t.warnings()) r.text("warning: " + w);
                String species = o.species() == null ? "auto" : o.species().toLowerCase(Locale.ROOT);
                if (species.equals("auto")) {
                    Homology.Species det = Homology.detect(sc.modality());
                    species = det.species();
                    // A vocabulary keyed by the data's own genes (a folder `pretrain` wrote from this data) needs no
                    // mapping.
                    long human = vocab.tokenGenes().stream()
                            .filter(g -> g.startsWith("ENSG"))
                            .count();
                    if (species.equals("mouse")
                            && human * 2 <= vocab.tokenGenes().size()) species = "as-is";
                    r.text("species: " + det.species() + " (" + det.evidence() + ")"
                            + (species.equals("mouse")
                                    ? "; mapping to human through the MGI homology table (species=human to skip)"
                                    : species.equals("as-is")
                                            ? "; the model's vocabulary is not human Ensembl ids, so genes are matched as they are"
                                            : ""));
                } else if (!species.equals("mouse") && !species.equals("human"))
                    throw new ScxmException("species=" + o.species() + " is not auto, human or mouse.");
                if (species.equals("mouse")) {
                    if (o.homologyTable() == null || !Files.isRegularFile(o.homologyTable()))
                        throw new ScxmException(
                                "mouse genes map to human through the MGI table, which is not at " + o.homologyTable()
                                        + "; give homology=PATH to " + Homology.MGI_TABLE + " of the repository.");
                    homology = Homology.read(o.homologyTable());
                }
            }
            StringColumn name = StringColumn.create("dataset");
            IntColumn kept = IntColumn.create("genes_kept"), missing = IntColumn.create("genes_missing");
            Table missingGenes = null;
            Map<String, RankValueEncoder> encoders = new LinkedHashMap<>();
            for (Role role : List.of(Role.SC, Role.ST, Role.VAL)) {
                DatasetState d = harmonisedDataset(role);
                if (d == null) continue;
                RankValueEncoder enc;
                if (o.panelGenesOnly()) {
                    if (homology != null)
                        throw new ScxmException(
                                "genes=panel reads the panel genes as they are; give species=human, or genes=all to map mouse genes.");
                    enc = new RankValueEncoder(vocab, maxLength, d.modality().selectGenes(d.panelColumns()));
                } else if (homology != null) {
                    Homology.HumanIds ids = homology.toHumanIds(
                            d.modality(),
                            vocab::tokenIdForName,
                            Arrays.asList(d.requirePanel()),
                            Homology.DEFAULT_MIN_MAPPED);
                    r.text("'" + d.name() + "': " + ids.summary());
                    enc = new RankValueEncoder(vocab, maxLength, d.modality(), ids.ids());
                } else enc = new RankValueEncoder(vocab, maxLength, d.modality());
                encoders.put(d.name(), enc);
                name.append(d.name());
                kept.append(enc.genesKept());
                missing.append(enc.missingGenes().rowCount());
                if (missingGenes == null && enc.missingGenes().rowCount() > 0) missingGenes = enc.missingGenes();
            }
            set(s().withTokens(new State.Tokens(
                    vocab,
                    maxLength,
                    o.vocabulary() == null ? "data" : o.vocabulary().toString(),
                    named,
                    encoders,
                    o.panelGenesOnly())));
            r.table(Table.create(
                    "rank value encoding (vocabulary " + vocab.size() + " tokens, max_length " + maxLength + ")",
                    name,
                    kept,
                    missing));
            if (missingGenes != null) r.table(missingGenes.first(50));
            return r;
        });
    }

    /** The encoder of a tokenised dataset, or "run tokenize first". */
    public RankValueEncoder encoder(DatasetState d) {
        State.Tokens t = state().tokens();
        RankValueEncoder e = t == null ? null : t.encoders().get(d.name());
        if (e == null) throw new ScxmException("'" + d.name() + "' is not tokenised yet: run `tokenize` first.");
        return e;
    }

    // ------------------------------------------------------------------ model, train, predict, save

    /** Builds a model (its initial weights are what every fresh run starts from), or restores a checkpoint. */
    public Report model(Options.Model o) {
        return verb(() -> {
            Torch.threadReady(settings.device(), settings.threads());
            Device device = device(o.device());
            if (o.checkpoint() != null) return restore(o.name(), o.checkpoint(), device);
            State.Harmonisation h = state().harmonisation();
            if (h == null) throw new ScxmException("the model is sized to the spatial panel: run `harmonise` first.");
            State.Tokens t = state().tokens();
            if (t == null) throw new ScxmException("the encoder reads tokens: run `tokenize` first.");
            BertConfig enc;
            Report r = new Report();
            if (o.pretrained() != null) {
                if (Checkpoint.isCheckpoint(o.pretrained())) return restore(o.name(), o.pretrained(), device);
                PretrainedFolder pf = PretrainedFolder.open(o.pretrained(), t.named());
                pf.requireSameTokens(
                        t.vocabulary(),
                        "the vocabulary you tokenised with (" + (t.source().equals("data") ? "vocab=data" : t.source())
                                + "); a pretrained model reads its own tokens: run `tokenize vocab=" + o.pretrained()
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
            ScxmConfig cfg = ScxmConfig.paper(enc, h.panel().length);
            cfg = new ScxmConfig(
                    cfg.encoder(),
                    cfg.panel(),
                    Math.min(o.trainable(), enc.layers()),
                    cfg.headLayers(),
                    cfg.decoderLayers(),
                    cfg.criticLayers(),
                    o.width(),
                    o.ownPanel());
            if (o.frozenVariant()) cfg = cfg.frozenBackbone();
            State.ModelSpec spec = new State.ModelSpec(
                    cfg, o.seed(), o.pretrained(), o.pretrained() == null ? null : t.named(), device);
            ScxmModel model = spec.build();
            set(s().withModel(new State.ModelEntry(o.name(), spec, model, null)));
            return r.text("model '" + o.name() + "' on " + describe(device, o.device()) + ": " + model.describe());
        });
    }

    /** The device a verb's device option names, or the workbench's setting when it names none. */
    private Device device(String option) {
        return Torch.device(option != null ? option : settings.device());
    }

    /** Which device, and why when auto chose it. */
    private String describe(Device d, String option) {
        String asked = option != null ? option : settings.device();
        if (asked != null && !asked.isBlank() && !asked.trim().equalsIgnoreCase("auto")) return Torch.describe(d);
        return Torch.describe(d)
                + (d.isGpu()
                        ? " (auto: PyTorch sees " + Torch.gpuCount() + " CUDA GPU(s))"
                        : " (auto: PyTorch sees no CUDA GPU)");
    }

    /** The named model (or the current one when name is null), or "run model first". */
    public State.ModelEntry modelEntry(String name) {
        String n = name != null ? name : state().currentModel();
        State.ModelEntry e = n == null ? null : state().models().get(n);
        if (e == null)
            throw new ScxmException(
                    n == null
                            ? "no model yet: run `model NAME` first."
                            : "no model '" + n + "': run `model " + n + "` first.");
        return e;
    }

    /** Checks a model against the current panel and vocabulary: a stale model is refused, not silently used. */
    private void checkFits(State.ModelEntry e) {
        State.Harmonisation h = state().harmonisation();
        if (h == null) throw new ScxmException("nothing is harmonised yet: run `harmonise` first.");
        if (e.spec().config().panel() != h.panel().length)
            throw new ScxmException("model '" + e.name() + "' was built for a panel of "
                    + e.spec().config().panel() + " genes but the data now has " + h.panel().length + "; run `model "
                    + e.name() + "` again after harmonise.");
        State.Tokens t = state().tokens();
        if (t != null && t.vocabulary().size() > e.spec().config().encoder().vocabSize())
            throw new ScxmException("model '" + e.name() + "' knows "
                    + e.spec().config().encoder().vocabSize() + " tokens but the vocabulary now has "
                    + t.vocabulary().size() + "; run `model " + e.name() + "` again after tokenize.");
    }

    /**
     * WGAN-GP training (paper eq. 5). A new run starts from the model's initial weights; {@code resume}
     * continues the model's run (optimiser moments, sampler, step count) for the config's steps more.
     */
    public Report train(Options.Train o) {
        return verb(() -> {
            Torch.threadReady(settings.device(), settings.threads());
            State.ModelEntry e = modelEntry(o.model());
            checkFits(e);
            DatasetState sc = harmonisedDataset(Role.SC), st = harmonisedDataset(Role.ST);
            st.requireTarget();
            RankValueEncoder enc = encoder(sc);
            TrainConfig cfg = o.config();
            Report r = new Report();
            Trainer trainer;
            if (o.resume()) {
                if (e.run() == null)
                    throw new ScxmException(
                            "model '" + e.name() + "' has no run to continue: train it first (without continue=true).");
                Trainer old = e.run().trainer();
                if (!old.config().withSteps(0).equals(cfg.withSteps(0)))
                    throw new ScxmException(
                            "continue=true resumes a run with its own settings (" + settingsOf(old.config(), old.step())
                                    + "); give only steps=, or start a new run without continue=true.");
                trainer = old;
                int from = trainer.step();
                trainer.extend(cfg.totalSteps(sc.nCells()));
                r.text("continued the run of '" + e.name() + "' from step " + from + " to "
                        + trainer.config().steps() + " (same optimiser state, sampler and settings).");
            } else {
                ScxmModel fresh = e.spec().build();
                set(s().withModel(new State.ModelEntry(e.name(), e.spec(), fresh, null)));
                trainer = new Trainer(fresh, cfg);
                r.text("new run of '" + e.name() + "' from its initial weights ("
                        + (e.spec().pretrained() != null
                                ? "the pretrained folder " + e.spec().pretrained()
                                : "model seed " + e.spec().seed())
                        + "), training seed " + cfg.seed() + "; continue it later with `train continue=true steps=N`.");
            }
            TrainingData data = trainingData(sc, st, cfg);
            Table losses = trainer.train(data, progress);
            set(s().withModel(new State.ModelEntry(e.name(), e.spec(), trainer.model(), new State.Run(trainer))));
            r.figure(LossPlots.curves(losses, "training losses of '" + e.name() + "'"));
            int last = losses.rowCount() - 1;
            if (last >= 0)
                r.text(String.format(
                        Locale.ROOT,
                        "trained '%s' to step %d: critic %.3f, gp %.3f, st %.4f, sc %.4f at the last step",
                        e.name(),
                        trainer.step(),
                        losses.doubleColumn("critic").getDouble(last),
                        losses.doubleColumn("gp").getDouble(last),
                        losses.doubleColumn("st").getDouble(last),
                        losses.doubleColumn("sc").getDouble(last)));
            if (trainer.config().ema() > 0 && last >= 0)
                r.text(String.format(
                        Locale.ROOT,
                        "'%s' now holds the moving average of its generator's weights (ema=%s, about the last %d steps); predict and save use it, and continue=true trains on from the last step's own weights.",
                        e.name(),
                        plain(trainer.config().ema()),
                        Math.round(1 / (1 - trainer.config().ema()))));
            if (trainer.stoppedEarly() != null)
                r.text(trainer.stoppedEarly()); // the good steps are kept, not rolled back
            else if (trainer.skippedSteps() > 0)
                r.text(
                        trainer.skippedSteps()
                                + " step(s) had a NaN or infinite loss or gradient; they were skipped, not applied, and tried again on fresh batches.");
            String collapse = collapseOnTraining(trainer.model(), enc, sc.binarised(), st.target());
            if (collapse != null) r.text(collapse);
            return r;
        });
    }

    /** The training slides' arrays, with the spatial slide's tokens when it was tokenised (L_pair reads them). */
    TrainingData trainingData(DatasetState sc, DatasetState st, TrainConfig cfg) {
        RankValueEncoder stEnc =
                state().tokens() == null ? null : state().tokens().encoders().get(st.name());
        if (cfg.lambdaPair() > 0 && stEnc == null)
            throw new ScxmException("lambda_pair reads the spatial slide '" + st.name()
                    + "' through the encoder, but it is not tokenised: run `tokenize` again.");
        return new TrainingData(
                encoder(sc)::batch, sc.binarised(), st.target(), st.binarised(), stEnc == null ? null : stEnc::batch);
    }

    static String settingsOf(TrainConfig c, int steps) {
        return String.format(
                Locale.ROOT,
                "steps=%d batch=%d lr=%s critic=%d lambda_gp=%s lambda_st=%s lambda_sc=%s lambda_adv=%s lambda_pair=%s ema=%s warmup=%d seed=%d",
                steps,
                c.batch(),
                plain(c.lr()),
                c.criticSteps(),
                plain(c.lambdaGp()),
                plain(c.lambdaSt()),
                plain(c.lambdaSc()),
                plain(c.lambdaAdv()),
                plain(c.lambdaPair()),
                plain(c.ema()),
                c.decoderWarmup(),
                c.seed());
    }

    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** One sentence when the generator's output on (up to 512) scRNA cells has a per-gene spread far below the target's, else null. */
    private static String collapseOnTraining(
            ScxmModel model, RankValueEncoder enc, DenseMatrix scPanel, DenseMatrix stTarget) {
        int[] cells = IntStream.range(0, Math.min(scPanel.rows(), 512)).toArray();
        DenseMatrix p = Predictor.predict(model, enc.batches(cells, 64), scPanel, cells.length, false, Progress.NONE)
                .bulked();
        double[] ratio = new double[p.cols()];
        for (int j = 0; j < ratio.length; j++) {
            double t = org.scxm.eval.Evaluation.sd(stTarget.column(j));
            ratio[j] = t > 0 ? org.scxm.eval.Evaluation.sd(p.column(j)) / t : Double.NaN;
        }
        double[] v = Arrays.stream(ratio).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) return null;
        double med = org.scxm.eval.Evaluation.quantile(v, 0.5);
        if (med >= org.scxm.eval.Evaluation.COLLAPSED_SPREAD) return null;
        return String.format(
                Locale.ROOT,
                "warning: the prediction has collapsed: on %d scRNA cells its per-gene spread is %.2g of the training target's at the "
                        + "median gene (a near-constant value per gene); evaluations of this run measure noise. Train longer or check the losses.",
                cells.length,
                med);
    }

    /** The model's bulked prediction G_E(x) and decoder output G_D(G_E(x)) for every cell of a dataset. */
    public Report predict(Options.Predict o) {
        return verb(() -> {
            Torch.threadReady(settings.device(), settings.threads());
            DatasetState d = require(o.dataset());
            if (d.role() == Role.ST)
                throw new ScxmException(
                        "'" + d.name()
                                + "' is the low-plex training slide, which the model does not read; predict the validation slide or scRNA cells.");
            RankValueEncoder enc = encoder(d);
            if (o.batch() < 1) throw new ScxmException("batch=" + o.batch() + " must be at least 1.");
            // model=a,b,c averages several models' predictions (an ensemble: independent seeds' draws average out)
            List<State.ModelEntry> models = new ArrayList<>();
            for (String name :
                    o.model() == null ? new String[] {null} : o.model().split(","))
                models.add(modelEntry(name == null ? null : name.strip()));
            models.forEach(this::checkFits);
            int[] cells = IntStream.range(0, d.nCells()).toArray();
            DenseMatrix bulked = null, decoded = null;
            for (int k = 0; k < models.size(); k++) {
                Predictor.Prediction p = Predictor.predict(
                        models.get(k).model(),
                        enc.batches(cells, o.batch()),
                        d.binarised(),
                        cells.length,
                        d.modality().matrix().backed(), // a backed dataset's outputs go to scratch files
                        progress.sub(k / (double) models.size(), (k + 1) / (double) models.size()));
                if (bulked == null) {
                    bulked = p.bulked();
                    decoded = p.decoded();
                } else {
                    bulked.combine(1f, p.bulked(), 1f);
                    decoded.combine(1f, p.decoded(), 1f);
                }
            }
            if (models.size() > 1) {
                bulked.scale(1f / models.size());
                decoded.scale(1f / models.size());
            }
            set(s().withDataset(d.withPrediction(bulked, decoded)));
            List<String> described = new ArrayList<>();
            for (State.ModelEntry e : models)
                described.add("'" + e.name() + "'"
                        + (e.run() == null
                                ? " (untrained: its initial weights)"
                                : " (" + e.run().trainer().step() + " steps)"));
            return new Report()
                    .text(String.format(
                            Locale.ROOT,
                            "predicted %d cells x %d genes of '%s' with %s%s (mean %.3f)",
                            d.nCells(),
                            bulked.cols(),
                            d.name(),
                            String.join(", ", described),
                            models.size() > 1 ? ", averaged" : "",
                            bulked.mean()));
        });
    }

    /**
     * Pretrains our own foundation model, Geneformer's way: a BERT on the scRNA cells' rank-value tokens with
     * the masked-gene objective, written as a Hugging Face folder with the dictionaries it ranked with, so
     * that `tokenize vocab=FOLDER` and `model NAME path=FOLDER trainable=k` fine-tune it.
     */
    public Report pretrain(Options.Pretrain o) {
        return verb(() -> {
            Torch.threadReady(settings.device(), settings.threads());
            DatasetState sc = harmonisedDataset(Role.SC);
            RankValueEncoder enc = encoder(sc);
            try (org.scxm.model.Pretrainer p = new org.scxm.model.Pretrainer(enc, o.options())) {
                Table losses = p.train(progress);
                org.scxm.model.Pretrainer.Evaluation e = p.evaluate();
                p.save(o.folder());
                Report r = new Report();
                r.figure(LossPlots.pretraining(
                        losses, "pretraining '" + o.folder().getFileName() + "' on '" + sc.name() + "'"));
                r.text(e.summary());
                r.text("wrote " + o.folder().toAbsolutePath()
                        + " (config.json BertForMaskedLM, model.safetensors, token and median dictionaries); fine-tune it with "
                        + "`tokenize vocab=" + o.folder() + "` and `model NAME path=" + o.folder() + " trainable=k`.");
                int every = Math.max(1, losses.rowCount() / 20);
                Table shown =
                        losses.where(losses.intColumn("step").remainder(every).isEqualTo(0));
                shown.setName("pretraining losses (every " + every + " steps)");
                return r.table(shown);
            }
        });
    }

    /** Checkpoints a model's run, with the panel and vocabulary it was trained on, atomically. */
    public Report save(Options.Save o) {
        return verb(() -> {
            State.ModelEntry e = modelEntry(o.model());
            if (e.run() == null)
                throw new ScxmException("nothing to save: run `train` first (a checkpoint holds a trained model).");
            State.Harmonisation h = state().harmonisation();
            State.Tokens t = state().tokens();
            Checkpoint.Context ctx = new Checkpoint.Context(
                    h == null ? null : h.panel(),
                    t == null ? null : t.vocabulary().fingerprint(),
                    t == null ? 0 : t.maxLength(),
                    e.spec().seed(),
                    e.spec().pretrained() == null ? null : e.spec().pretrained().toString(),
                    t != null && t.panelGenesOnly());
            Checkpoint.save(o.dir(), e.run().trainer(), ctx);
            return new Report()
                    .text("saved model '" + e.name() + "' after "
                            + e.run().trainer().step() + " steps to " + o.dir().toAbsolutePath()
                            + "; restore it with `model " + e.name() + " checkpoint=" + o.dir()
                            + "`, continue with `train continue=true steps=N`.");
        });
    }

    private Report restore(String name, Path dir, Device device) {
        Checkpoint.Loaded l = Checkpoint.restore(dir, device);
        try {
            State.Harmonisation h = state().harmonisation();
            State.Tokens t = state().tokens();
            Checkpoint.Context c = l.context();
            if (h == null || t == null)
                throw new ScxmException(
                        "restoring " + dir
                                + " checks it against the data: run `harmonise` and `tokenize` first, as for the run that saved it.");
            if (c.panel() != null && !Arrays.equals(c.panel(), h.panel()))
                throw new ScxmException("the checkpoint " + dir + " was trained on a panel of " + c.panel().length
                        + " genes (" + preview(c.panel()) + ") but the data's panel has " + h.panel().length + " ("
                        + preview(h.panel()) + "); load and harmonise the data it was trained on.");
            if (c.vocabulary() != null && !c.vocabulary().equals(t.vocabulary().fingerprint()))
                throw new ScxmException("the checkpoint " + dir + " was trained with another vocabulary (fingerprint "
                        + c.vocabulary() + ", now " + t.vocabulary().fingerprint()
                        + "); tokenize with the vocabulary it was trained with.");
            if (c.panelGenesOnly() != t.panelGenesOnly())
                throw new ScxmException("the checkpoint " + dir + " was trained on tokens of "
                        + (c.panelGenesOnly() ? "the panel genes only" : "every measured gene")
                        + "; tokenize with genes="
                        + (c.panelGenesOnly() ? "panel" : "all") + " as for the run that saved it.");
            ScxmModel model = l.trainer().model();
            State.ModelSpec spec = new State.ModelSpec(
                    model.config(),
                    c.modelSeed(),
                    c.pretrained() == null ? null : Path.of(c.pretrained()),
                    t.named(),
                    device);
            set(s().withModel(new State.ModelEntry(name, spec, model, new State.Run(l.trainer()))));
            return new Report()
                    .text("restored '" + name + "' from " + dir.toAbsolutePath() + " at step "
                            + l.trainer().step() + " on " + Torch.describe(device) + " (" + model.describe()
                            + "); `train continue=true steps=N` resumes it exactly, `predict` uses it as is.");
        } catch (RuntimeException e) {
            l.trainer().model().close();
            throw e;
        }
    }

    private static String preview(String[] genes) {
        return String.join(", ", Arrays.copyOf(genes, Math.min(3, genes.length))) + (genes.length > 3 ? ", ..." : "");
    }

    // ------------------------------------------------------------------ baselines

    /** Trains a comparison method on exactly SCXM's data and predicts the harmonised validation slide. */
    public Report baseline(Options.Baseline o) {
        return verb(() -> {
            Torch.threadReady(settings.device(), settings.threads());
            Device device = device(o.device());
            DatasetState sc = harmonisedDataset(Role.SC),
                    st = harmonisedDataset(Role.ST),
                    val = harmonisedDataset(Role.VAL);
            DenseMatrix stTarget = st.requireTarget();
            DenseMatrix scExpr = Normalise.log1pCp10k(sc.modality().counts()).toDense();
            Report r = new Report();
            java.util.function.Function<DenseMatrix, DenseMatrix> translate;
            Table losses;
            int steps;
            AutoCloseable net;
            if (o.scconfluence() != null) {
                ScConfluence.Config cfg = o.scconfluence();
                DenseMatrix scPanel = Normalise.log1pCp10k(
                                sc.modality().counts().selectCols(sc.panelColumns()))
                        .toDense();
                DenseMatrix stPanel = Normalise.log1pCp10k(
                                st.modality().counts().selectCols(st.panelColumns()))
                        .toDense();
                ScConfluence m = new ScConfluence(scExpr.cols(), stTarget.cols(), cfg, device);
                net = m;
                losses = m.train(scExpr, scPanel, stTarget, stPanel, progress);
                steps = cfg.steps();
                translate = m::translate;
            } else {
                ScAct.Config cfg = o.scact();
                String[] scTypes = sc.cellTypes(), stTypes = st.cellTypes();
                String[] labels;
                int[] scLabel, stLabel;
                if (scTypes == null
                        || stTypes
                                == null) { // no annotation on one side: one discriminator head, as scACT without labels
                    labels = new String[0];
                    scLabel = new int[sc.nCells()];
                    stLabel = new int[st.nCells()];
                    r.text(
                            "note: " + (scTypes == null ? sc.name() : st.name())
                                    + " has no cell types, so scACT's discriminators use one head for all cells (run `annotate` for cell-type-specific heads).");
                } else {
                    Set<String> union = new TreeSet<>(Arrays.asList(scTypes));
                    union.addAll(Arrays.asList(stTypes));
                    labels = union.toArray(new String[0]);
                    List<String> index = Arrays.asList(labels);
                    scLabel = Arrays.stream(scTypes).mapToInt(index::indexOf).toArray();
                    stLabel = Arrays.stream(stTypes).mapToInt(index::indexOf).toArray();
                }
                ScAct m = new ScAct(scExpr.cols(), stTarget.cols(), labels, cfg, device);
                net = m;
                losses = m.train(scExpr, scLabel, stTarget, stLabel, progress);
                steps = cfg.aeSteps() + cfg.steps();
                translate = m::translate;
            }
            try (AutoCloseable closing = net) {
                int done = 0;
                if (val != null) {
                    set(s().withBaseline(
                                    val.name(),
                                    o.method(),
                                    translate.apply(
                                            Normalise.log1pCp10k(val.modality().counts())
                                                    .toDense())));
                    done++;
                }
                Table every = losses.where(losses.intColumn("step")
                        .remainder(Math.max(1, steps / 20))
                        .isEqualTo(0));
                every.setName(losses.name() + " (every " + Math.max(1, steps / 20) + " steps)");
                r.table(every);
                r.text("trained " + o.method() + " for " + steps + " steps on " + Torch.describe(device)
                        + " and predicted " + done + " validation slide(s); run `evaluate` to compare with SCXM.");
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return r;
        });
    }

    // ------------------------------------------------------------------ evaluate, compare, sweep

    /** Per-gene correlation of every prediction against the bulked truth, beside the references; held-out parts on request. */
    public Report evaluate(Options.Evaluate o) {
        return verb(() -> Evaluating.evaluate(this, o));
    }

    /** Every evaluation side by side, with mean and spread across seeds for sweeps. */
    public Report compare() {
        State.Comparison c = state().comparison();
        if (c == null)
            throw new ScxmException("nothing to compare yet: run `evaluate NAME label=...` or `sweep` first.");
        return new Report()
                .table(c.runs())
                .figure(org.scxm.plot.Distributions.perGene(
                        c.genes(), "pearson", "per-gene Pearson of the model, per run"));
    }

    /** A grid of settings, several seeds each, as independent runs: one table of mean and spread, one plot. */
    public Report sweep(Options.Sweep o) {
        return verb(() -> Sweeping.sweep(this, o));
    }

    // internal hooks for the verb helpers (same package)
    State working() {
        return s();
    }

    void publish(State st) {
        set(st);
    }

    Progress progress() {
        return progress;
    }

    // ------------------------------------------------------------------ downstream

    /** Clustered vs isolated cells of one type by a gene's (predicted) bulked expression (paper 5.2). */
    public Report niches(Options.Niches o) {
        return verb(() -> {
            DatasetState d = require(o.dataset());
            int g = d.panelIndex(o.gene());
            DenseMatrix values = o.fromTarget() ? d.requireTarget() : d.requirePrediction();
            if (!o.fromTarget()) {
                double sdPred = org.scxm.eval.Evaluation.sd(values.column(g));
                double sdTarget = d.target() == null
                        ? Double.NaN
                        : org.scxm.eval.Evaluation.sd(d.target().column(g));
                boolean flat = Double.isNaN(sdTarget)
                        ? sdPred < 1e-3
                        : sdPred < org.scxm.eval.Evaluation.COLLAPSED_SPREAD * sdTarget;
                if (flat)
                    throw new ScxmException(String.format(
                            Locale.ROOT,
                            "the prediction of %s on '%s' is nearly constant (SD %.2g across cells%s), so any threshold "
                                    + "would split noise; train longer (see the collapse warning of `train`/`evaluate`) or call niches on the truth with source=target.",
                            d.panel()[g],
                            d.name(),
                            sdPred,
                            Double.isNaN(sdTarget)
                                    ? ""
                                    : String.format(Locale.ROOT, " against the target's %.2g", sdTarget)));
            }
            org.scxm.analysis.Niches.Result res =
                    org.scxm.analysis.Niches.call(values.column(g), d.requireCellTypes(), o.type(), o.threshold());
            set(s().withDataset(d.withNiches(res.groups())));
            String source = o.fromTarget() ? "true target" : "prediction";
            Report r = new Report().table(res.counts());
            if (d.modality().hasCoordinates()) {
                r.figure(SpatialPlots.categories(
                        "'" + d.name() + "': " + o.type() + " cells, clustered vs isolated by " + source + " "
                                + d.panel()[g] + " ≥ " + o.threshold(),
                        d.modality().x(),
                        d.modality().y(),
                        res.groups(),
                        "niche group",
                        "other types"));
            } else {
                r.text("'" + d.name() + "' has no coordinates, so no spatial plot; the groups are stored for `de "
                        + d.name() + "`.");
            }
            if (res.counts().intColumn("cells").get(0) == 0)
                throw new ScxmException("no " + o.type()
                        + (o.type().toLowerCase(Locale.ROOT).endsWith("cell") ? "" : " cell") + " reaches "
                        + d.panel()[g] + " ≥ " + o.threshold() + "; lower threshold= to get a clustered group.");
            return r;
        });
    }

    /** Differential expression between two groups of any grouping (niche, cell type, or a categorical obs column). */
    public Report de(Options.De o) {
        return verb(() -> {
            DatasetState d = require(o.dataset());
            String by = o.groups();
            String[] labels;
            if (by.equals("niche")) {
                labels = d.niches();
                if (labels == null)
                    throw new ScxmException("'" + d.name() + "' has no niche groups: run `niches " + d.name()
                            + " gene=G type=T` first.");
            } else if (by.equals("celltype") || by.equals("cell_type")) labels = d.requireCellTypes();
            else {
                if (!d.modality().obs().containsColumn(by))
                    throw new ScxmException("groups=" + by + " is not niche, celltype or an obs column of '" + d.name()
                            + "'" + Names.didYouMean(by, d.modality().obs().columnNames()) + "; its columns: "
                            + String.join(", ", d.modality().obs().columnNames()) + ".");
                var col = d.modality().obs().column(by);
                labels = new String[d.nCells()];
                for (int i = 0; i < labels.length; i++) labels[i] = col.isMissing(i) ? null : col.getString(i);
            }
            String g1 = o.group1() != null ? o.group1() : by.equals("niche") ? "clustered" : null;
            Set<String> present = new TreeSet<>();
            for (String l : labels) if (l != null) present.add(l);
            if (g1 == null)
                throw new ScxmException(
                        "name the first group with group1= (one of " + String.join(", ", present) + ").");
            String g2 = o.group2() != null ? o.group2() : by.equals("niche") ? "isolated" : "rest";
            if (!present.contains(g1))
                throw new ScxmException("group1=" + g1 + " is not a group of " + by + " on '" + d.name() + "'"
                        + Names.didYouMean(g1, present) + "; groups: " + String.join(", ", present) + ".");
            if (!g2.equals("rest") && !present.contains(g2))
                throw new ScxmException("group2=" + g2 + " is not a group of " + by + " on '" + d.name() + "'"
                        + Names.didYouMean(g2, present) + "; groups: " + String.join(", ", present) + " (or rest).");
            boolean[] in1 = new boolean[labels.length], in2 = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                in1[i] = g1.equals(labels[i]);
                in2[i] = g2.equals("rest") ? !in1[i] && labels[i] != null : g2.equals(labels[i]);
            }
            progress.update(0.1, "normalising (log1p CP10k)");
            Table t = DifferentialExpression.run(
                    o.test(),
                    d.modality().matrix(),
                    Normalise::log1pCp10k,
                    d.modality().geneNames(),
                    in1,
                    in2,
                    o.tieCorrect());
            t.setName("DE " + g1 + " vs " + g2 + " on '" + d.name() + "'");
            set(s().withDe(d.name(), t));
            return new Report()
                    .text(String.format(
                            Locale.ROOT,
                            "%s vs %s (%s): %d genes, %d with BH-adjusted p < 0.05",
                            g1,
                            g2,
                            by,
                            t.rowCount(),
                            t.doubleColumn("pval_adj").isLessThan(0.05).size()))
                    .figure(AnalysisPlots.volcano(t, "volcano: " + g1 + " vs " + g2 + " on '" + d.name() + "'"))
                    .table(top(t, o.top()));
        });
    }

    private static Table top(Table t, int n) {
        Table shown = t.first(Math.min(Math.max(n, 1), t.rowCount()));
        shown.setName(t.name());
        return shown;
    }

    /** Cell types by label transfer from a labelled reference, or imported from an obs column. */
    public Report annotate(Options.Annotate o) {
        return verb(() -> {
            DatasetState d = require(o.dataset());
            if (o.from() != null) {
                if (!d.modality().obs().containsColumn(o.from()))
                    throw new ScxmException("'" + d.name() + "' has no obs column '" + o.from() + "'"
                            + Names.didYouMean(o.from(), d.modality().obs().columnNames()) + ".");
                var c = d.modality().obs().column(o.from());
                String[] labels = new String[d.nCells()];
                for (int i = 0; i < labels.length; i++) labels[i] = c.getString(i);
                set(s().withDataset(d.withCellTypes(labels)));
                return new Report()
                        .table(counts(labels, "cell types of '" + d.name() + "' from obs '" + o.from() + "'"));
            }
            DatasetState ref = require(o.reference());
            LabelTransfer lt = LabelTransfer.train(
                    ref.modality(),
                    ref.requireCellTypes(),
                    Arrays.asList(d.modality().geneNames()),
                    o.holdOut(),
                    o.seed());
            Table pred = lt.predict(d.modality());
            String[] types = pred.stringColumn("cell_type").asObjectArray();
            set(s().withDataset(d.withCellTypes(types)));
            return new Report()
                    .text(String.format(
                            Locale.ROOT,
                            "label transfer from '%s' to '%s': %.1f%% accuracy on held-out reference cells; mean confidence %.2f",
                            ref.name(),
                            d.name(),
                            100 * lt.heldOutAccuracy(),
                            pred.doubleColumn("confidence").mean()))
                    .table(lt.confusion())
                    .table(counts(types, "predicted cell types of '" + d.name() + "'"));
        });
    }

    private static Table counts(String[] labels, String title) {
        Table t = Table.create(title, StringColumn.create("cell_type", labels));
        Table c = t.countBy(t.stringColumn("cell_type"));
        c.setName(title);
        return c;
    }

    /** Preranked GSEA over gene sets with a per-gene ranking (paper 5.3). */
    public Report gsea(Options.Gsea o) {
        return verb(() -> {
            if (o.options().permutations() < 10)
                throw new ScxmException("permutations=" + o.options().permutations()
                        + " is too few for p-values; use at least 100 (default 1000).");
            String[] genes = o.genes();
            double[] scores = o.scores();
            String source = o.source();
            if (genes == null) {
                DatasetState d = require(o.dataset());
                Table e = d.evaluation();
                if (e == null)
                    throw new ScxmException("'" + d.name() + "' has no per-gene correlations: run `evaluate " + d.name()
                            + "` first (or give ranking=FILE.tsv).");
                Table rows = e.where(e.stringColumn("method").isEqualTo(o.method()));
                if (rows.rowCount() == 0)
                    throw new ScxmException("no method '" + o.method() + "' in the evaluation of '" + d.name()
                            + "'; methods: "
                            + String.join(
                                    ", ", e.stringColumn("method").unique().asList()) + ".");
                genes = rows.stringColumn("gene").asObjectArray();
                scores = rows.doubleColumn("pearson").asDoubleArray();
                source = o.method() + " Pearson on '" + d.name() + "'";
            }
            Map<String, List<String>> sets = o.sets();
            if (sets == null) {
                sets = state().demoProgrammes();
                if (sets == null)
                    throw new ScxmException(
                            "sets=demo needs the demo tissue: run `load demo` first, or give a .gmt file.");
            }
            org.scxm.analysis.Gsea.Result res =
                    org.scxm.analysis.Gsea.prerank(genes, scores, sets, o.options(), progress);
            Table t = res.table();
            t.setName("GSEA ranked by " + source);
            String curve = o.curve() != null ? o.curve() : t.stringColumn("set").get(0);
            return new Report().table(t).figure(AnalysisPlots.enrichment(res, curve));
        });
    }

    /** The dataset (spatial panel genes) with what was computed for it as layers and obs columns, as an .h5ad. */
    public Report export(Options.Export o) {
        return verb(() -> {
            DatasetState d = require(o.dataset());
            Modality m = d.panel() == null ? d.modality() : d.modality().selectGenes(d.panelColumns());
            Table obs = m.obs().copy();
            if (d.cellTypes() != null && !obs.containsColumn("cell_type"))
                obs.addColumns(StringColumn.create("cell_type", d.cellTypes()));
            if (d.niches() != null) {
                if (obs.containsColumn("scxm_niche")) obs.removeColumns("scxm_niche");
                obs.addColumns(StringColumn.create("scxm_niche", d.niches()));
            }
            if (obs.columnCount() > 0) m = m.withObs(obs);
            Map<String, DenseMatrix> layers = new LinkedHashMap<>();
            if (d.panel() != null) {
                if (d.binarised() != null) layers.put("binarised", d.binarised());
                if (d.target() != null) layers.put("target", d.target());
                if (d.prediction() != null) layers.put("prediction", d.prediction());
                if (d.decoded() != null) layers.put("decoded", d.decoded());
            }
            progress.update(0.1, "writing " + o.file());
            H5adWriter.write(o.file(), m, layers, Map.of());
            return new Report()
                    .text("wrote " + m + " to " + o.file().toAbsolutePath()
                            + (layers.isEmpty() ? "" : " with layers " + String.join(", ", layers.keySet())));
        });
    }

    /** Moran's I and Geary's C of each panel gene of a slide over the radius graph, on binarised or log1p CP10k values. */
    public Table autocorrelation(String dataset, double radius, boolean log) {
        DatasetState d = require(dataset);
        d.modality().requireCoordinates("spatial autocorrelation");
        NeighbourGraph g = NeighbourGraph.radius(d.modality().x(), d.modality().y(), radius);
        Table t = autocorrelation(d, g, log);
        t.setName("spatial autocorrelation on '" + d.name() + "' (" + String.format(Locale.ROOT, "%.1f", g.meanDegree())
                + " neighbours per cell)");
        return t;
    }

    static Table autocorrelation(DatasetState d, NeighbourGraph g, boolean log) {
        var panel = d.modality().matrix().selectCols(d.panelColumns()).inMemory();
        return SpatialAutocorrelation.table(
                log ? Normalise.log1pCp10k(panel) : Normalise.binarise(panel), d.requirePanel(), g);
    }

    /** Names of every dataset, model and gene of the panel (for completion). */
    public Set<String> names() {
        Set<String> out = new HashSet<>(state().datasets().keySet());
        out.addAll(state().models().keySet());
        return out;
    }
}
