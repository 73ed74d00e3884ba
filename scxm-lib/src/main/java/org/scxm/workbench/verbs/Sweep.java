package org.scxm.workbench.verbs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scxm.Names;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.eval.Evaluation;
import org.scxm.model.BertConfig;
import org.scxm.model.Predictor;
import org.scxm.model.ScxmConfig;
import org.scxm.model.ScxmModel;
import org.scxm.model.TrainConfig;
import org.scxm.model.Trainer;
import org.scxm.model.TrainingData;
import org.scxm.plot.SweepPlots;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.HeldOut;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;
import org.scxm.workbench.Text;
import org.scxm.workbench.TrainWords;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The sweep verb: a grid of settings, each trained with several seeds as independent runs from the
 * current model's spec on the same data, one after another (one model in memory at a time), each
 * scored by the median per-gene Pearson on the validation slide's tuning part (or the whole slide).
 * Seed k offsets both the model's initial-weight seed and the training seed by k.
 */
public final class Sweep {
    private Sweep() {}

    public static Report run(Step ctx, Options.Sweep o) {
        ctx.threadReady();
        if (o.seeds() < 1) throw new ScxmException("seeds=" + o.seeds() + " must be at least 1 (3 gives a spread).");
        for (String k : o.grid().keySet())
            if (!Options.Sweep.TRAIN_KEYS.contains(k) && !Options.Sweep.MODEL_KEYS.contains(k)) {
                List<String> all = new ArrayList<>(Options.Sweep.TRAIN_KEYS);
                all.addAll(Options.Sweep.MODEL_KEYS);
                throw new ScxmException("sweep cannot vary '" + k + "'" + Names.didYouMean(k, all) + "; it varies "
                        + String.join(", ", all) + " (change bulk or data in a paragraph before the sweep).");
            }
        State.ModelEntry base = ctx.modelEntry(null);
        DatasetState sc = ctx.harmonisedDataset(Role.SC), st = ctx.harmonisedDataset(Role.ST);
        DatasetState val = ctx.require(o.dataset());
        DenseMatrix truth = val.requireTarget();
        st.requireTarget();
        RankValueEncoder valEnc = ctx.encoder(val);
        double radius = ctx.radius();
        int[] rows = o.split() == HeldOut.Split.HALVES
                ? HeldOut.halves(val.modality().x(), val.modality().y(), radius).tuning()
                : java.util.stream.IntStream.range(0, val.nCells()).toArray();
        String part = o.split() == HeldOut.Split.HALVES ? "tuning" : "all";
        DenseMatrix partTruth = truth.selectRows(rows);
        String[] panel = val.requirePanel();
        // the references once for every row, on the same cells (the training-slide fits come from the cache)
        Map<String, Double> refMedians = new LinkedHashMap<>();
        for (Map.Entry<String, DenseMatrix> e :
                Evaluate.unsupervisedReferences(ctx, val).entrySet())
            refMedians.put(
                    e.getKey(),
                    Evaluate.Summary.of(
                                    Evaluation.summary(Evaluation.perGene(
                                            e.getKey(), e.getValue().selectRows(rows), partTruth, panel)),
                                    e.getKey())
                            .median());
        Evaluate.ReferenceMedians refs = new Evaluate.ReferenceMedians(
                refMedians.getOrDefault(Evaluate.OWN_BINARISED, Double.NaN),
                refMedians.getOrDefault(Evaluate.SPATIAL_RIDGE, Double.NaN),
                refMedians.getOrDefault(Evaluate.KNN, Double.NaN));
        State state = ctx.state();
        TrainingData data = ctx.trainingData(sc, st, o.base());

        List<Map<String, String>> combos = combinations(o.grid());
        int runs = combos.size() * o.seeds();
        // every row's batch and memory checked before the first run, as `train` checks its own
        for (Map<String, String> combo : combos)
            Train.checkCost(base, config(o.base(), combo, 0), sc, st, ctx.encoder(sc));
        StringColumn setting = StringColumn.create("setting"), perSeed = StringColumn.create("per_seed");
        IntColumn seeds = IntColumn.create("seeds");
        DoubleColumn mean = DoubleColumn.create("mean_median_pearson"),
                sd = DoubleColumn.create("sd"),
                lo = DoubleColumn.create("min"),
                hi = DoubleColumn.create("max"),
                spread = DoubleColumn.create("mean_spread"),
                margin = DoubleColumn.create("margin_over_ridge");
        List<double[]> seedMedians = new ArrayList<>();
        Report r = new Report();
        State out = state;
        int done = 0;
        for (Map<String, String> combo : combos) {
            String label = (o.label() == null ? "" : o.label() + (combo.isEmpty() ? "" : ": "))
                    + describe(combo, o.label() == null);
            double[] medians = new double[o.seeds()],
                    q1 = new double[o.seeds()],
                    q3 = new double[o.seeds()],
                    spreads = new double[o.seeds()];
            Table genes = null;
            for (int k = 0; k < o.seeds(); k++) {
                Progress p = ctx.progress().sub(done / (double) runs, (done + 1) / (double) runs);
                p.update(0, "sweep run " + (done + 1) + "/" + runs + ": " + label + ", seed +" + k);
                State.ModelSpec spec = spec(base.spec(), combo, k);
                TrainConfig cfg = config(o.base(), combo, k);
                Table perGene;
                try (ScxmModel model = spec.build()) {
                    new Trainer(model, cfg).train(data, p);
                    DenseMatrix pred = Predictor.predict(
                                    model,
                                    valEnc.batches(rows, 64),
                                    val.binarised(),
                                    val.nCells(),
                                    false,
                                    Progress.NONE)
                            .bulked()
                            .selectRows(rows); // rows land on their cell index
                    perGene = Evaluation.perGene(Evaluate.SCXM, pred, partTruth, panel);
                }
                Table summary = Evaluation.summary(perGene);
                Evaluate.Summary row = Evaluate.Summary.of(summary, Evaluate.SCXM);
                medians[k] = row.median();
                q1[k] = row.q1();
                q3[k] = row.q3();
                spreads[k] = summary.doubleColumn("spread").getDouble(0);
                Table g = perGene.selectColumns("method", "gene", "pearson").copy();
                genes = genes == null ? g : genes.append(g);
                done++;
            }
            double m = Arrays.stream(medians).average().orElse(Double.NaN), s = sd(medians);
            setting.append(label);
            seeds.append(o.seeds());
            mean.append(m);
            sd.append(s);
            lo.append(Arrays.stream(medians).min().orElse(Double.NaN));
            hi.append(Arrays.stream(medians).max().orElse(Double.NaN));
            spread.append(Arrays.stream(spreads).average().orElse(Double.NaN));
            margin.append(m - refs.ridge());
            perSeed.append(String.join(
                    " ",
                    Arrays.stream(medians)
                            .mapToObj(v -> String.format(Locale.ROOT, "%.3f", v))
                            .toList()));
            seedMedians.add(medians);
            String modelWords = base.name() + " "
                    + Text.settingsOf(
                                    config(o.base(), combo, 0),
                                    config(o.base(), combo, 0).totalSteps(sc.nCells()))
                            .replaceAll(" seed=\\d+", "")
                    + modelShape(combo);
            out = Evaluate.record(
                    out,
                    label,
                    val.name(),
                    modelWords,
                    part,
                    o.seeds(),
                    new Evaluate.Summary(
                            m,
                            Arrays.stream(q1).average().orElse(Double.NaN),
                            Arrays.stream(q3).average().orElse(Double.NaN)),
                    s,
                    refs,
                    genes);
        }
        ctx.publish(out);
        Table t = Table.create(
                "sweep on "
                        + (part.equals("all")
                                ? "'" + val.name() + "'"
                                : "the tuning part of '" + val.name() + "' (" + rows.length + " cells)")
                        + ", " + o.seeds() + " seed(s) per setting",
                setting,
                seeds,
                mean,
                sd,
                lo,
                hi,
                spread,
                margin,
                perSeed);
        r.table(t);
        List<String> refWords = new ArrayList<>();
        refMedians.forEach((k, v) -> refWords.add(String.format(Locale.ROOT, "%s %.3f", k, v)));
        r.text(String.format(
                Locale.ROOT,
                "%d independent runs (%d setting(s) x %d seed(s)), scored on %s; references on the same cells: %s"
                        + (Double.isNaN(refs.ridge())
                                ? ""
                                : " (margin_over_ridge: a row's mean minus the spatial-slide ridge, fitted on the training slide's cells)")
                        + ". A setting differs from another only where their spreads (sd) leave room: compare means against about twice the sd.",
                runs,
                combos.size(),
                o.seeds(),
                part.equals("all") ? "the whole slide" : "the tuning part",
                String.join(", ", refWords)));
        for (int i = 0; i < spread.size(); i++)
            if (spread.getDouble(i) < Evaluation.COLLAPSED_SPREAD)
                r.text("warning: " + setting.get(i) + " collapsed (mean per-gene spread "
                        + String.format(Locale.ROOT, "%.2g", spread.getDouble(i))
                        + " of the target's): its medians are noise.");
        r.figure(SweepPlots.perSeed(part, setting.asList(), seedMedians, refMedians));
        return r;
    }

    /** Every combination of the grid's values, first key slowest; the empty grid is one empty combination. */
    static List<Map<String, String>> combinations(Map<String, List<String>> grid) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {
            if (e.getValue().isEmpty())
                throw new ScxmException("sweep " + e.getKey() + "= has no values; give them comma-separated, e.g. "
                        + e.getKey() + "=0,1,10.");
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : out)
                for (String v : e.getValue()) {
                    Map<String, String> n = new LinkedHashMap<>(c);
                    n.put(e.getKey(), v);
                    next.add(n);
                }
            out = next;
        }
        return out;
    }

    private static String describe(Map<String, String> combo, boolean emptyAsBase) {
        if (combo.isEmpty()) return emptyAsBase ? "as set" : "";
        List<String> parts = new ArrayList<>();
        combo.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    private static String modelShape(Map<String, String> combo) {
        List<String> parts = new ArrayList<>();
        combo.forEach((k, v) -> {
            if (Options.Sweep.MODEL_KEYS.contains(k)) parts.add(k + "=" + v);
        });
        return parts.isEmpty() ? "" : " " + String.join(" ", parts);
    }

    static State.ModelSpec spec(State.ModelSpec base, Map<String, String> combo, int seedOffset) {
        ScxmConfig c = base.config();
        boolean shaped = combo.keySet().stream().anyMatch(Options.Sweep.MODEL_KEYS::contains);
        if (shaped && base.pretrained() != null && (combo.containsKey("hidden") || combo.containsKey("layers")))
            throw new ScxmException(
                    "a pretrained encoder's shape is fixed; sweep hidden= or layers= on a small from-scratch model only.");
        BertConfig e = c.encoder();
        int hidden = integer(combo, "hidden", e.hidden()), layers = integer(combo, "layers", e.layers());
        if (hidden != e.hidden() || layers != e.layers()) e = e.resized(hidden, layers);
        ScxmConfig n = c.withEncoder(e)
                .withTrainableBlocks(Math.min(integer(combo, "trainable", c.trainableBlocks()), e.layers()))
                .withWidth(integer(combo, "width", c.width()))
                .withOwnPanel(bool(combo, "own_panel", c.ownPanel()));
        return new State.ModelSpec(n, base.seed() + seedOffset, base.pretrained(), base.named(), base.device());
    }

    /** A row's training settings: the sweep's base with the row's training keys, read as `train` reads them. */
    static TrainConfig config(TrainConfig b, Map<String, String> combo, int seedOffset) {
        return TrainWords.read(combo, b).withSeed(b.seed() + seedOffset);
    }

    private static boolean bool(Map<String, String> c, String k, boolean fallback) {
        String v = c.get(k);
        if (v == null) return fallback;
        if (v.strip().equalsIgnoreCase("true")) return true;
        if (v.strip().equalsIgnoreCase("false")) return false;
        throw new ScxmException(k + "=" + v + " is not true or false.");
    }

    private static int integer(Map<String, String> c, String k, int fallback) {
        return TrainWords.integer(c, k, fallback);
    }

    private static double sd(double[] v) {
        if (v.length < 2) return Double.NaN;
        double m = Arrays.stream(v).average().orElse(0), ss = 0;
        for (double x : v) ss += (x - m) * (x - m);
        return Math.sqrt(ss / (v.length - 1));
    }
}
