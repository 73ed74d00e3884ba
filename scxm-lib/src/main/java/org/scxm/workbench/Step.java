package org.scxm.workbench;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.scxm.Names;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.model.Torch;
import org.scxm.model.TrainConfig;
import org.scxm.model.TrainingData;
import org.scxm.tokenize.RankValueEncoder;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a verb works on: the step's state so far ({@link #state} to read, {@link #publish} to replace it),
 * its progress, the workbench's device settings and the lookups every verb shares. A verb never sees the
 * {@link Workbench}; the workbench commits what a step published only when the whole step completes.
 */
public final class Step {
    private State state;
    private Progress progress;
    private final Workbench.Settings settings;

    Step(State start, Workbench.Settings settings, Progress progress) {
        this.state = start;
        this.settings = settings;
        this.progress = progress;
    }

    /** The step's state so far. */
    public State state() {
        return state;
    }

    /** Replaces the step's state (committed with the step, dropped when it fails). */
    public void publish(State s) {
        state = s;
    }

    public Progress progress() {
        return progress;
    }

    /** Sets the progress a nested step reports to and returns the one it replaces. */
    Progress progress(Progress p) {
        Progress before = progress;
        progress = p;
        return before;
    }

    /** Readies PyTorch's threads on the workbench's device before model work. */
    public void threadReady() {
        Torch.threadReady(settings.device(), settings.threads());
    }

    /** The device a verb's device option names, or the workbench's setting when it names none. */
    public Device device(String option) {
        return Torch.device(option != null ? option : settings.device());
    }

    /** Which device, and why when auto chose it. */
    public String describe(Device d, String option) {
        String asked = option != null ? option : settings.device();
        if (asked != null && !asked.isBlank() && !asked.trim().equalsIgnoreCase("auto")) return Torch.describe(d);
        return Torch.describe(d)
                + (d.isGpu()
                        ? " (auto: PyTorch sees " + Torch.gpuCount() + " CUDA GPU(s))"
                        : " (auto: PyTorch sees no CUDA GPU)");
    }

    /** The dataset or a one-sentence error naming the ones that exist. */
    public DatasetState require(String name) {
        DatasetState d = state.datasets().get(name);
        if (d != null) return d;
        List<String> known = new ArrayList<>(state.datasets().keySet());
        if (known.isEmpty())
            throw new ScxmException("no dataset '" + name + "' yet: load data first (e.g. `load demo`).");
        throw new ScxmException("no dataset '" + name + "'" + Names.didYouMean(name, known) + "; loaded: "
                + String.join(", ", known) + ".");
    }

    /** The harmonised dataset of a role (null for a missing val), or "run harmonise first". */
    public DatasetState harmonisedDataset(Role role) {
        State.Harmonisation h = state.harmonisation();
        if (h == null) throw new ScxmException("nothing is harmonised yet: run `harmonise` first.");
        String n = switch (role) {
            case SC -> h.sc();
            case ST -> h.st();
            case VAL -> h.val();
        };
        return n == null ? null : state.datasets().get(n);
    }

    /** The encoder of a tokenised dataset, or "run tokenize first". */
    public RankValueEncoder encoder(DatasetState d) {
        State.Tokens t = state.tokens();
        RankValueEncoder e = t == null ? null : t.encoders().get(d.name());
        if (e == null) throw new ScxmException("'" + d.name() + "' is not tokenised yet: run `tokenize` first.");
        return e;
    }

    /** The named model (or the current one when name is null), or "run model first". */
    public State.ModelEntry modelEntry(String name) {
        String n = name != null ? name : state.currentModel();
        State.ModelEntry e = n == null ? null : state.models().get(n);
        if (e == null)
            throw new ScxmException(
                    n == null
                            ? "no model yet: run `model NAME` first."
                            : "no model '" + n + "': run `model " + Names.asValue(n) + "` first.");
        return e;
    }

    /** Checks a model against the current panel and vocabulary: a stale model is refused, not silently used. */
    public void checkFits(State.ModelEntry e) {
        State.Harmonisation h = state.harmonisation();
        if (h == null) throw new ScxmException("nothing is harmonised yet: run `harmonise` first.");
        if (e.spec().config().panel() != h.panel().length)
            throw new ScxmException("model '" + e.name() + "' was built for a panel of "
                    + e.spec().config().panel() + " genes but the data now has " + h.panel().length + "; run `model "
                    + Names.asValue(e.name()) + "` again after harmonise.");
        State.Tokens t = state.tokens();
        if (t != null && t.vocabulary().size() > e.spec().config().encoder().vocabSize())
            throw new ScxmException("model '" + e.name() + "' knows "
                    + e.spec().config().encoder().vocabSize() + " tokens but the vocabulary now has "
                    + t.vocabulary().size() + "; run `model " + Names.asValue(e.name()) + "` again after tokenize.");
    }

    /** The training slides' arrays, with the spatial slide's tokens when it was tokenised (L_pair reads them). */
    public TrainingData trainingData(DatasetState sc, DatasetState st, TrainConfig cfg) {
        RankValueEncoder stEnc =
                state.tokens() == null ? null : state.tokens().encoders().get(st.name());
        if (cfg.lambdaPair() > 0 && stEnc == null)
            throw new ScxmException("lambda_pair reads the spatial slide '" + st.name()
                    + "' through the encoder, but it is not tokenised: run `tokenize` again.");
        if (!st.compositionTarget())
            return new TrainingData(
                    encoder(sc)::batch,
                    sc.binarised(),
                    st.target(),
                    st.binarised(),
                    stEnc == null ? null : stEnc::batch);
        // a composition's decoder reads the neighbourhood back to the cell's own type (one-hot over the target's
        // types); a scRNA cell of a type the slide lacks has none, so it stays out of the consistency term
        String[] types = st.targetTypes();
        if (sc.cellTypes() == null)
            throw new ScxmException("the composition decoder reads each scRNA cell's own type back: load '" + sc.name()
                    + "' with label=COLUMN or run `annotate " + sc.name() + "` first.");
        boolean[] listed = new boolean[sc.nCells()];
        DenseMatrix scOwn = oneHot(sc.cellTypes(), types, listed);
        int n = 0;
        for (boolean b : listed) if (b) n++;
        if (n == 0)
            throw new ScxmException("none of the scRNA cells of '" + sc.name() + "' has one of the training slide's "
                    + "types (" + String.join(", ", types) + "); annotate them with the slide's labels.");
        return new TrainingData(
                encoder(sc)::batch,
                sc.binarised(),
                st.target(),
                st.binarised(),
                stEnc == null ? null : stEnc::batch,
                oneHot(st.requireCellTypes(), types, new boolean[st.nCells()]),
                scOwn,
                listed);
    }

    /** Cells x types with a 1 at each cell's own type; {@code listed[i]} says whether cell i's type is a column. */
    static DenseMatrix oneHot(String[] labels, String[] types, boolean[] listed) {
        java.util.Map<String, Integer> col = new java.util.HashMap<>();
        for (int j = 0; j < types.length; j++) col.put(types[j], j);
        float[] v = new float[labels.length * types.length];
        for (int i = 0; i < labels.length; i++) {
            Integer j = labels[i] == null ? null : col.get(labels[i]);
            listed[i] = j != null;
            if (j != null) v[i * types.length + j] = 1f;
        }
        return new DenseMatrix(labels.length, types.length, v);
    }

    /** The radius the targets were bulked with, or the paper's default before any bulking. */
    public double radius() {
        return state.bulk() == null ? Options.Bulk.DEFAULT_RADIUS : state.bulk().radius();
    }

    /** One row per dataset: name, role, size and what was computed for it. */
    public Table listing() {
        StringColumn name = StringColumn.create("name"),
                role = StringColumn.create("role"),
                steps = StringColumn.create("computed");
        IntColumn cells = IntColumn.create("cells"),
                genes = IntColumn.create("genes"),
                panel = IntColumn.create("panel");
        for (DatasetState d : state.datasets().values()) {
            name.append(d.name());
            role.append(d.role().word());
            cells.append(d.nCells());
            genes.append(d.modality().nGenes());
            panel.append(d.panel() == null ? 0 : d.panel().length);
            StringBuilder b = new StringBuilder();
            if (d.modality().hasCoordinates()) b.append("x/y ");
            if (d.cellTypes() != null) b.append("cell types ");
            if (d.binarised() != null) b.append("binarised ");
            if (d.target() != null) b.append(d.compositionTarget() ? "composition target " : "target ");
            if (state.tokens() != null && state.tokens().encoders().containsKey(d.name())) b.append("tokens ");
            if (d.prediction() != null) b.append("prediction decoded ");
            if (d.niches() != null) b.append("niches ");
            if (d.evaluation() != null) b.append("evaluation");
            steps.append(b.toString().strip());
        }
        return Table.create("datasets", name, role, cells, genes, panel, steps);
    }
}
