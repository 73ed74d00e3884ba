package org.scxm.workbench;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.scxm.Progress;
import org.scxm.model.ScxmModel;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.workbench.verbs.Annotate;
import org.scxm.workbench.verbs.Autocorrelation;
import org.scxm.workbench.verbs.Baseline;
import org.scxm.workbench.verbs.Bulk;
import org.scxm.workbench.verbs.Compare;
import org.scxm.workbench.verbs.De;
import org.scxm.workbench.verbs.Drop;
import org.scxm.workbench.verbs.Evaluate;
import org.scxm.workbench.verbs.Export;
import org.scxm.workbench.verbs.Gsea;
import org.scxm.workbench.verbs.Harmonise;
import org.scxm.workbench.verbs.Load;
import org.scxm.workbench.verbs.Model;
import org.scxm.workbench.verbs.Niches;
import org.scxm.workbench.verbs.Predict;
import org.scxm.workbench.verbs.Pretrain;
import org.scxm.workbench.verbs.Save;
import org.scxm.workbench.verbs.Split;
import org.scxm.workbench.verbs.Sweep;
import org.scxm.workbench.verbs.Tokenize;
import org.scxm.workbench.verbs.Train;
import tech.tablesaw.api.Table;

/**
 * SCXM as a Java API: one verb per stage of the data's way (load, harmonise, bulk, tokenize, model,
 * train, predict, baseline, evaluate, sweep, niches, de, gsea, annotate, export, save), each taking an
 * {@link Options} record and answering with a {@link Report}, over typed {@link State}. Each verb lives
 * in its own class of {@code org.scxm.workbench.verbs} and works on a {@link Step}; this class holds the
 * transaction.
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
    public static final int DEFAULT_MAX_LENGTH = Options.Tokenize.DEFAULT_MAX_LENGTH;

    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile State committed = State.empty();
    private Step current; // the step in progress, read and written under the lock
    private int depth;

    public Workbench(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** The state as of the last completed step (or, inside a step, as the step has it so far). */
    public State state() {
        Step c = lock.isHeldByCurrentThread() ? current : null;
        return c != null ? c.state() : committed;
    }

    /**
     * Runs {@code work} as one step: its verbs see each other's changes; when it throws (or is cancelled)
     * every change is dropped and the models it built are closed. Nested steps join the outer one.
     */
    public <T> T step(Progress p, Supplier<T> work) {
        lock.lock();
        boolean outer = depth++ == 0;
        if (outer) current = new Step(committed, settings, p);
        Progress before = current.progress(p);
        State start = current.state();
        try {
            T result = work.get();
            if (outer) {
                State done = current.state();
                closeModelsOnlyIn(committed, done);
                committed = done;
            }
            return result;
        } catch (RuntimeException | Error e) {
            closeModelsOnlyIn(
                    current.state(), start); // what this (possibly nested) step built and nothing earlier holds
            current.publish(start);
            throw e;
        } finally {
            depth--;
            if (depth == 0) current = null;
            else current.progress(before);
            lock.unlock();
        }
    }

    /** Inside a step, replaces the step's state: the write beside {@link #state()}, for states no verb makes. */
    void publish(State s) {
        if (!lock.isHeldByCurrentThread() || current == null)
            throw new IllegalStateException("publish belongs inside a step");
        current.publish(s);
    }

    /** Runs one verb as a step (joining the step in progress, if any) on that step's working state. */
    private <T> T verb(Function<Step, T> work) {
        return step(progressNow(), () -> work.apply(current));
    }

    private Progress progressNow() {
        Step c = lock.isHeldByCurrentThread() ? current : null;
        return c != null ? c.progress() : Progress.NONE;
    }

    /** Closes the models {@code old} holds that {@code kept} does not. */
    private static void closeModelsOnlyIn(State old, State kept) {
        Set<ScxmModel> keep = Collections.newSetFromMap(new IdentityHashMap<>());
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

    // ------------------------------------------------------------------ lookups

    /** The state as {@link #state()} has it, for lookups that change nothing (no lock taken). */
    private Step view() {
        return new Step(state(), settings, Progress.NONE);
    }

    /** The dataset or a one-sentence error naming the ones that exist. */
    public DatasetState require(String name) {
        return view().require(name);
    }

    /** The harmonised dataset of a role (null for a missing val), or "run harmonise first". */
    public DatasetState harmonisedDataset(Role role) {
        return view().harmonisedDataset(role);
    }

    /** The encoder of a tokenised dataset, or "run tokenize first". */
    public RankValueEncoder encoder(DatasetState d) {
        return view().encoder(d);
    }

    /** The named model (or the current one when name is null), or "run model first". */
    public State.ModelEntry modelEntry(String name) {
        return view().modelEntry(name);
    }

    /** One row per dataset: name, role, size and what was computed for it. */
    public Table listing() {
        return view().listing();
    }

    // ------------------------------------------------------------------ verbs, in the data's order

    /** The built-in synthetic tissue as sc, st and val (DemoTissue documents its generative model). */
    public Report loadDemo(Options.Demo o) {
        return verb(s -> Load.demo(s, o));
    }

    /** One modality from a file or folder (h5ad, 10x .h5, Xenium, Visium, MERSCOPE), under a name and a role. */
    public Report load(Options.Load o) {
        return verb(s -> Load.run(s, o));
    }

    /** Removes a dataset and everything derived from it. */
    public Report drop(String name) {
        return verb(s -> Drop.run(s, name));
    }

    /** Splits one slide into a spatial training half and a validation half, with a gap between them. */
    public Report split(Options.Split o) {
        return verb(s -> Split.run(s, o));
    }

    /** Shared gene panels and one cell filter in every modality (paper 4.2), then the binarised panel. */
    public Report harmonise(Options.Harmonise o) {
        return verb(s -> Harmonise.run(s, o));
    }

    /** The spatially bulked target z = Σ k_ij y_j over the radius graph (paper 3.1) on the harmonised slides. */
    public Report bulk(Options.Bulk o) {
        return verb(s -> Bulk.run(s, o));
    }

    /** Geneformer rank value encoding of the cells the model reads (the harmonised scRNA and validation cells). */
    public Report tokenize(Options.Tokenize o) {
        return verb(s -> Tokenize.run(s, o));
    }

    /** Builds a model (its initial weights are what every fresh run starts from), or restores a checkpoint. */
    public Report model(Options.Model o) {
        return verb(s -> Model.run(s, o));
    }

    /** WGAN-GP training (paper eq. 5): a new run from the model's initial weights, or {@code resume} the last. */
    public Report train(Options.Train o) {
        return verb(s -> Train.run(s, o));
    }

    /** The model's bulked prediction G_E(x) and decoder output G_D(G_E(x)) for every cell of a dataset. */
    public Report predict(Options.Predict o) {
        return verb(s -> Predict.run(s, o));
    }

    /** Pretrains a BERT on the scRNA cells' tokens with the masked-gene objective, as a Hugging Face folder. */
    public Report pretrain(Options.Pretrain o) {
        return verb(s -> Pretrain.run(s, o));
    }

    /** Checkpoints a model's run, with the panel and vocabulary it was trained on, atomically. */
    public Report save(Options.Save o) {
        return verb(s -> Save.run(s, o));
    }

    /** Trains a comparison method on exactly SCXM's data and predicts the harmonised validation slide. */
    public Report baseline(Options.Baseline o) {
        return verb(s -> Baseline.run(s, o));
    }

    /** Per-gene correlation of every prediction against the bulked truth, beside the references. */
    public Report evaluate(Options.Evaluate o) {
        return verb(s -> Evaluate.run(s, o));
    }

    /** Every evaluation side by side, with mean and spread across seeds for sweeps. */
    public Report compare() {
        return Compare.run(state());
    }

    /** A grid of settings, several seeds each, as independent runs: one table of mean and spread, one plot. */
    public Report sweep(Options.Sweep o) {
        return verb(s -> Sweep.run(s, o));
    }

    /** Clustered vs isolated cells of one type by a gene's (predicted) bulked expression (paper 5.2). */
    public Report niches(Options.Niches o) {
        return verb(s -> Niches.run(s, o));
    }

    /** Differential expression between two groups of any grouping (niche, cell type, or a categorical obs column). */
    public Report de(Options.De o) {
        return verb(s -> De.run(s, o));
    }

    /** Cell types by label transfer from a labelled reference, or imported from an obs column. */
    public Report annotate(Options.Annotate o) {
        return verb(s -> Annotate.run(s, o));
    }

    /** Preranked GSEA over gene sets with a per-gene ranking (paper 5.3). */
    public Report gsea(Options.Gsea o) {
        return verb(s -> Gsea.run(s, o));
    }

    /** The dataset (spatial panel genes) with what was computed for it as layers and obs columns, as an .h5ad. */
    public Report export(Options.Export o) {
        return verb(s -> Export.run(s, o));
    }

    /** Moran's I and Geary's C of each panel gene of a slide over the radius graph, on binarised or log1p CP10k values. */
    public Table autocorrelation(String dataset, double radius, boolean log) {
        return Autocorrelation.run(view(), dataset, radius, log);
    }
}
