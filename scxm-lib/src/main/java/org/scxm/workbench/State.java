package org.scxm.workbench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.data.DenseMatrix;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.model.Trainer;
import org.scxm.spatial.Kernel;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import tech.tablesaw.api.Table;

/**
 * Everything a workbench holds, typed and immutable: each verb returns a new State, so a failing step
 * leaves the previous one untouched. Maps are unmodifiable copies in insertion order.
 *
 * @param datasets       datasets by name, in load order
 * @param harmonisation  which datasets were harmonised together and their shared panel, or null
 * @param bulk           settings of the last bulking, or null
 * @param tokens         vocabulary and per-dataset encoders of the last tokenize, or null
 * @param models         models by name
 * @param currentModel   the model verbs use when none is named, or null
 * @param baselines      per validation dataset: baseline method -> its prediction
 * @param comparison     every evaluation's model row, for compare, or null
 * @param de             the last DE table per dataset
 * @param demoProgrammes gene programmes of the demo tissue (gene sets for GSEA), or null
 * @param referenceFits  the training-slide references of the last evaluate, kept while that slide's target stays, or null
 */
public record State(
        Map<String, DatasetState> datasets,
        Harmonisation harmonisation,
        BulkSettings bulk,
        Tokens tokens,
        Map<String, ModelEntry> models,
        String currentModel,
        Map<String, Map<String, DenseMatrix>> baselines,
        Comparison comparison,
        Map<String, Table> de,
        Map<String, List<String>> demoProgrammes,
        ReferenceFits referenceFits) {

    public State {
        datasets = Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        baselines = Collections.unmodifiableMap(new LinkedHashMap<>(baselines));
        de = Collections.unmodifiableMap(new LinkedHashMap<>(de));
    }

    public static State empty() {
        return new State(Map.of(), null, null, null, Map.of(), null, Map.of(), null, Map.of(), null, null);
    }

    /** The datasets harmonised together, their roles and their shared spatial panel. */
    public record Harmonisation(String sc, String st, String val, String[] panel) {
        public boolean involves(String name) {
            return name.equals(sc) || name.equals(st) || name.equals(val);
        }
    }

    /** How the targets were bulked (paper 3.1). */
    public record BulkSettings(double radius, Kernel kernel, String target) {
        public String describe() {
            return "radius=" + radius + " kernel=" + kernel.describe() + " target=" + target;
        }
    }

    /** The vocabulary the model reads and one encoder per tokenised dataset. */
    public record Tokens(
            GeneformerVocabulary vocabulary,
            int maxLength,
            String source,
            org.scxm.tokenize.TokenizerFiles.Named named,
            Map<String, RankValueEncoder> encoders,
            boolean panelGenesOnly) {
        public Tokens {
            encoders = Collections.unmodifiableMap(new LinkedHashMap<>(encoders));
        }
    }

    /**
     * How to build a model's initial weights again: every fresh run starts from exactly these.
     *
     * @param config     architecture sized to the panel and vocabulary
     * @param seed       seeds the random initial weights
     * @param pretrained a Hugging Face folder whose encoder weights replace the random ones, or null
     * @param device     where the model's weights and minibatches live
     */
    public record ModelSpec(
            ScxmConfig config,
            long seed,
            Path pretrained,
            org.scxm.tokenize.TokenizerFiles.Named named,
            ai.djl.Device device) {
        /** A new model with this spec's initial weights on its device (a pretrained encoder is read from its folder again). */
        public ScxmModel build() {
            if (pretrained == null) return new ScxmModel(config, seed, device);
            return ScxmModel.fromPretrained(
                    config, seed, org.scxm.model.PretrainedFolder.open(pretrained, named), device);
        }
    }

    /**
     * A model of the workbench: its spec, its current weights, and the training run that produced them
     * (null while the weights are the initial ones).
     */
    public record ModelEntry(String name, ModelSpec spec, ScxmModel model, Run run) {}

    /** A training run: the trainer (optimiser moments, sampler, step count, losses). */
    public record Run(Trainer trainer) {
        /** The run's settings in words, at its current step. */
        public String settings() {
            return Text.settingsOf(trainer.config(), trainer.step());
        }
    }

    /**
     * The references fitted on a training slide (the spatial-slide ridge and the kNN lookup): fitting them
     * cross-validates on every cell of the slide, so evaluate and sweep reuse them while the slide's target is
     * the same object (a new harmonise or bulk makes a new one).
     *
     * @param st     the training slide's name
     * @param target the target they were fitted on (compared by identity)
     * @param ridge  the spatial-slide ridge
     * @param knn    the kNN lookup
     */
    public record ReferenceFits(
            String st,
            org.scxm.data.DenseMatrix target,
            org.scxm.eval.SpatialSlideRidge.Fitted ridge,
            org.scxm.eval.KnnLookup.Fitted knn) {
        /** Whether these were fitted on this slide's current target. */
        public boolean fittedOn(DatasetState slide) {
            return slide.name().equals(st) && slide.target() == target;
        }
    }

    /** One row per evaluation (label, settings, medians) and the model's per-gene Pearson of each. */
    public record Comparison(Table runs, Table genes) {}

    // --- copies with one part changed ---
    public State withDataset(DatasetState d) {
        return copy(b -> b.datasets.put(d.name(), d));
    }

    public State withoutDataset(String name) {
        return copy(b -> {
            b.datasets.remove(name);
            b.baselines.remove(name);
            b.de.remove(name);
        });
    }

    public State withHarmonisation(Harmonisation h) {
        return copy(b -> b.harmonisation = h);
    }

    public State withBulk(BulkSettings s) {
        return copy(b -> b.bulk = s);
    }

    public State withTokens(Tokens t) {
        return copy(b -> b.tokens = t);
    }

    /** Adds or replaces a model, which becomes the current one. */
    public State withModel(ModelEntry e) {
        return copy(b -> {
            b.models.put(e.name(), e);
            b.currentModel = e.name();
        });
    }

    public State withBaseline(String dataset, String method, DenseMatrix prediction) {
        return copy(b -> {
            Map<String, DenseMatrix> forData = new LinkedHashMap<>(b.baselines.getOrDefault(dataset, Map.of()));
            forData.put(method, prediction);
            b.baselines.put(dataset, Collections.unmodifiableMap(forData));
        });
    }

    public State withComparison(Comparison c) {
        return copy(b -> b.comparison = c);
    }

    public State withDe(String dataset, Table t) {
        return copy(b -> b.de.put(dataset, t));
    }

    public State withDemoProgrammes(Map<String, List<String>> p) {
        return copy(b -> b.demoProgrammes = p);
    }

    public State withReferenceFits(ReferenceFits f) {
        return copy(b -> b.referenceFits = f);
    }

    /** The one copy of every component: the withers change what they name (maps are fresh copies) and keep the rest. */
    private State copy(java.util.function.Consumer<Parts> change) {
        Parts b = new Parts(this);
        change.accept(b);
        return new State(
                b.datasets,
                b.harmonisation,
                b.bulk,
                b.tokens,
                b.models,
                b.currentModel,
                b.baselines,
                b.comparison,
                b.de,
                b.demoProgrammes,
                b.referenceFits);
    }

    private static final class Parts {
        final Map<String, DatasetState> datasets;
        Harmonisation harmonisation;
        BulkSettings bulk;
        Tokens tokens;
        final Map<String, ModelEntry> models;
        String currentModel;
        final Map<String, Map<String, DenseMatrix>> baselines;
        Comparison comparison;
        final Map<String, Table> de;
        Map<String, List<String>> demoProgrammes;
        ReferenceFits referenceFits;

        Parts(State s) {
            datasets = new LinkedHashMap<>(s.datasets);
            harmonisation = s.harmonisation;
            bulk = s.bulk;
            tokens = s.tokens;
            models = new LinkedHashMap<>(s.models);
            currentModel = s.currentModel;
            baselines = new LinkedHashMap<>(s.baselines);
            comparison = s.comparison;
            de = new LinkedHashMap<>(s.de);
            demoProgrammes = s.demoProgrammes;
            referenceFits = s.referenceFits;
        }
    }

    /**
     * Drops everything derived from a harmonisation (panel, binarised inputs, targets, tokens, predictions,
     * baselines, evaluations, niches, DE) and returns what was dropped, in words. Models stay: they are
     * checked against the panel and vocabulary when used.
     */
    public State dropHarmonised(List<String> dropped) {
        if (harmonisation == null && tokens == null && bulk == null) return this;
        Map<String, DatasetState> m = new LinkedHashMap<>();
        for (DatasetState d : datasets.values()) {
            if (d.derived()) dropped.add("the panel, targets, predictions and evaluation of '" + d.name() + "'");
            m.put(d.name(), d.derived() ? d.reset() : d);
        }
        if (tokens != null) dropped.add("the tokens");
        if (!baselines.isEmpty()) dropped.add("the baseline predictions");
        if (!de.isEmpty()) dropped.add("the DE tables");
        return copy(b -> {
            b.datasets.clear();
            b.datasets.putAll(m);
            b.harmonisation = null;
            b.bulk = null;
            b.tokens = null;
            b.baselines.clear();
            b.de.clear();
            b.referenceFits = null;
        });
    }

    /** Datasets of a role, in load order. */
    public List<DatasetState> byRole(Role role) {
        List<DatasetState> out = new ArrayList<>();
        for (DatasetState d : datasets.values()) if (d.role() == role) out.add(d);
        return out;
    }

    /** Every model object this state references (current weights of each entry). */
    List<ScxmModel> liveModels() {
        List<ScxmModel> out = new ArrayList<>();
        for (ModelEntry e : models.values()) if (e.model() != null) out.add(e.model());
        return out;
    }
}
