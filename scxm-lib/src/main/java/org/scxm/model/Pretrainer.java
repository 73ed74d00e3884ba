package org.scxm.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.tokenize.TokenBatch;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Pretrains a BERT on scRNA-seq rank-value tokens with Geneformer's masked-gene objective: 15% of the gene
 * tokens of each cell are chosen (never {@code <cls>}, {@code <eos>} or padding); of those 80% become
 * {@code <mask>}, 10% a token drawn uniformly from the vocabulary and 10% stay, and the model predicts the
 * chosen tokens through BertForMaskedLM's head (dense, activation, LayerNorm, then the decoder tied to the word
 * embeddings plus a bias), trained by cross-entropy. Adam (beta 0.9/0.999), linear warm-up then linear decay
 * to zero, global gradient norm clipped at 1, as Hugging Face's Trainer does; no dropout and no weight decay,
 * so a seed gives the same run. Cells are split once, by the seed, into training and held-out cells; the
 * held-out masked-token accuracy is reported beside a frequency baseline (each position's most frequent gene
 * in the training cells). {@link #save} writes a folder that Hugging Face's BertForMaskedLM, our
 * {@link PretrainedFolder} and {@link #resume} all read.
 */
public final class Pretrainer implements AutoCloseable {
    /** Geneformer's (and BERT's) share of gene tokens chosen for prediction. */
    public static final double MASK_FRACTION = 0.15;

    static final double MAX_GRAD_NORM = 1.0;
    /** Independent 15% masks per held-out cell in {@link #evaluate}: more predicted tokens, a steadier accuracy. */
    static final int EVAL_PASSES = 4;

    static final String HEAD = "cls.predictions.";
    static final String STATE_FILE = "trainer_state.json",
            OPTIMISER_FILE = "optimizer.safetensors",
            RNG_FILE = "rng_state.bin";

    /**
     * @param layers       transformer blocks
     * @param hidden       hidden size (a multiple of heads)
     * @param heads        attention heads
     * @param intermediate feed-forward width
     * @param steps        optimiser steps in all
     * @param batch        cells per step
     * @param lr           peak learning rate
     * @param warmup       warm-up steps (linear from 0 to lr)
     * @param seed         seeds the split, the initial weights, the sampling and the masks
     * @param heldOut      fraction of cells kept out of training for {@link #evaluate()}
     */
    public record Options(
            int layers,
            int hidden,
            int heads,
            int intermediate,
            int steps,
            int batch,
            double lr,
            int warmup,
            long seed,
            double heldOut) {
        public Options {
            if (layers < 1 || hidden < 1 || heads < 1 || intermediate < 1)
                throw new ScxmException("layers, hidden, heads and intermediate must be positive.");
            if (hidden % heads != 0)
                throw new ScxmException("hidden (" + hidden + ") must be a multiple of heads (" + heads + ").");
            if (steps < 1 || batch < 1)
                throw new ScxmException(
                        "steps and batch must be at least 1 (got steps=" + steps + ", batch=" + batch + ").");
            if (!(lr > 0)) throw new ScxmException("lr must be positive (got " + lr + ").");
            if (warmup < 0) throw new ScxmException("warmup must be 0 or more steps (got " + warmup + ").");
            if (!(heldOut >= 0 && heldOut <= 0.5))
                throw new ScxmException("held_out must be between 0 and 0.5 (got " + heldOut + ").");
        }

        /** A small model that pretrains on a laptop in minutes (Geneformer's shape rules: relu, hidden = 2 x intermediate / 4). */
        public static Options small(int steps, long seed) {
            return new Options(4, 128, 4, 256, steps, 16, 1e-3, Math.min(100, steps / 10), seed, 0.1);
        }

        public Options withSteps(int s) {
            return new Options(layers, hidden, heads, intermediate, s, batch, lr, warmup, seed, heldOut);
        }
    }

    /**
     * Masked-token accuracy on held-out cells, all chosen tokens shown as {@code <mask>}.
     * @param accuracy     the model's share of chosen tokens predicted exactly
     * @param baseline     the share predicted by each position's most frequent gene in the training cells
     * @param maskedTokens tokens predicted
     * @param cells        held-out cells
     */
    public record Evaluation(double accuracy, double baseline, int maskedTokens, int cells) {
        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "held-out masked-token accuracy %.3f vs %.3f for each position's most frequent gene (%,d masked tokens of %,d cells)",
                    accuracy,
                    baseline,
                    maskedTokens,
                    cells);
        }
    }

    final RankValueEncoder tokens;
    final GeneformerVocabulary vocab;
    Options o;
    final BertConfig config;
    private final NDManager manager;
    final BertEncoder encoder;
    final Weights head;
    final Adam encOpt, headOpt;
    private final int[] train, heldOut;
    Random rng;
    int step;
    final Table losses;

    /**
     * A new model over the cells of one tokeniser; weights are seeded from {@code o.seed()}.
     * @throws ScxmException when the vocabulary has no {@code <mask>} or there are too few cells to hold some out
     */
    public Pretrainer(RankValueEncoder tokens, Options o) {
        this.tokens = tokens;
        this.vocab = tokens.vocabulary();
        this.o = o;
        if (!vocab.hasMask())
            throw new ScxmException(
                    "the vocabulary has no <mask> token, which masked-gene pretraining needs; tokenise with a vocabulary built from the data or Geneformer's dictionaries.");
        int n = tokens.modality().nCells();
        int hold = o.heldOut() > 0 ? (int) Math.max(1, Math.round(n * o.heldOut())) : 0;
        if (n - hold < 1)
            throw new ScxmException("pretraining needs cells to train on: '"
                    + tokens.modality().name() + "' has " + n + " cells; load more or lower held_out.");
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        Random split = new Random(o.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = split.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        heldOut = Arrays.copyOfRange(order, 0, hold);
        train = Arrays.copyOfRange(order, hold, n);
        Arrays.sort(heldOut);
        Arrays.sort(train);
        config = new BertConfig(
                vocab.size(),
                o.hidden(),
                o.layers(),
                o.heads(),
                o.intermediate(),
                tokens.maxLength(),
                2,
                1e-12,
                "relu",
                vocab.padId());
        manager = NDManager.newBaseManager();
        Random init = new Random(o.seed());
        encoder = new BertEncoder(config, new Weights(manager), init);
        encoder.cellEmbedding(
                vocab.hasSpecialTokens() ? BertEncoder.CellEmbedding.CLS : BertEncoder.CellEmbedding.MEAN);
        head = new Weights(manager);
        int h = config.hidden();
        head.normal(HEAD + "transform.dense.weight", new Shape(h, h), 0.02, init);
        head.constant(HEAD + "transform.dense.bias", new Shape(h), 0f);
        head.constant(HEAD + "transform.LayerNorm.weight", new Shape(h), 1f);
        head.constant(HEAD + "transform.LayerNorm.bias", new Shape(h), 0f);
        head.constant(HEAD + "bias", new Shape(config.vocabSize()), 0f);
        encOpt = new Adam(encoder.weights(), o.lr(), 0.9, 0.999);
        headOpt = new Adam(head, o.lr(), 0.9, 0.999);
        rng = new Random(o.seed() + 1);
        losses = Table.create(
                "pretraining",
                IntColumn.create("step"),
                DoubleColumn.create("loss"),
                DoubleColumn.create("masked_accuracy"),
                DoubleColumn.create("lr"));
    }

    public BertConfig config() {
        return config;
    }

    public BertEncoder encoder() {
        return encoder;
    }

    public Options options() {
        return o;
    }
    /** Steps done so far. */
    public int step() {
        return step;
    }
    /** One row per step: cross-entropy of the chosen tokens, the training batch's masked-token accuracy, the learning rate used. */
    public Table losses() {
        return losses;
    }

    /** Allows {@code more} steps beyond those done, keeping the optimiser's moments and the sampler (the schedule stretches to the new end). */
    public void extend(int more) {
        if (more < 1) throw new ScxmException("continue pretraining by at least one step (got " + more + ").");
        o = o.withSteps(step + more);
    }

    /**
     * Trains until {@code options().steps()} steps are done, reporting after each whole step; a cancel
     * ({@link Progress.Cancelled}) stops between steps and leaves a model that can be saved or trained further.
     * @return the loss table
     */
    public Table train(Progress progress) {
        long t0 = System.nanoTime();
        int start = step;
        while (step < o.steps()) {
            double[] r = trainStep();
            step++;
            losses.intColumn("step").append(step);
            losses.doubleColumn("loss").append(r[0]);
            losses.doubleColumn("masked_accuracy").append(r[1]);
            losses.doubleColumn("lr").append(r[2]);
            double per = (System.nanoTime() - t0) / 1e9 / (step - start);
            progress.update(
                    step / (double) o.steps(),
                    String.format(
                            Locale.ROOT,
                            "pretrain step %d/%d  loss %.3f  masked accuracy %.3f  ETA %ds",
                            step,
                            o.steps(),
                            r[0],
                            r[1],
                            Math.round(per * (o.steps() - step))));
        }
        return losses;
    }

    /** The learning-rate factor at a step (0-based): linear warm-up, then linear decay to zero at the last step. */
    double lrFactor(int s) {
        if (s < o.warmup()) return (s + 1) / (double) (o.warmup() + 1);
        return Math.max(0, (o.steps() - s) / (double) Math.max(1, o.steps() - o.warmup()));
    }

    /** Token ids after masking, and the chosen positions (flat index into batch x length) with their true tokens. */
    record Masked(long[] ids, int[] positions, long[] labels) {}

    /**
     * Chooses 15% of the gene tokens; in training 80% of them become {@code <mask>}, 10% a uniformly drawn token,
     * 10% stay; in evaluation ({@code allMask}) every chosen token becomes {@code <mask>}.
     */
    Masked mask(TokenBatch b, Random r, boolean allMask) {
        long[] ids = new long[b.ids().length];
        List<Integer> pos = new ArrayList<>();
        int cls = vocab.hasSpecialTokens() ? vocab.clsId() : -1, eos = vocab.hasSpecialTokens() ? vocab.eosId() : -1;
        for (int i = 0; i < ids.length; i++) {
            int t = b.ids()[i];
            ids[i] = t;
            if (b.mask()[i] == 0 || t == cls || t == eos || t == vocab.padId()) continue;
            if (r.nextDouble() >= MASK_FRACTION) continue;
            pos.add(i);
            double u = allMask ? 0 : r.nextDouble();
            if (u < 0.8) ids[i] = vocab.maskId();
            else if (u < 0.9) ids[i] = r.nextInt(config.vocabSize());
        }
        int[] p = pos.stream().mapToInt(Integer::intValue).toArray();
        long[] labels = new long[p.length];
        for (int k = 0; k < p.length; k++) labels[k] = b.ids()[p[k]];
        return new Masked(ids, p, labels);
    }

    /** Logits over the vocabulary at the chosen positions, (M, vocab). */
    NDArray logits(Masked m, TokenBatch b) {
        Shape s = new Shape(b.size(), b.length());
        float[] maskF = new float[b.mask().length];
        for (int i = 0; i < maskF.length; i++) maskF[i] = b.mask()[i];
        NDArray hidden = encoder.forward(Tensors.of(manager, m.ids(), s), Tensors.of(manager, maskF, s))
                .reshape(-1, config.hidden());
        long[] p = new long[m.positions().length];
        for (int k = 0; k < p.length; k++) p[k] = m.positions()[k];
        // rows of the hidden states at the chosen positions; the embedding op is a differentiable row gather
        NDArray idx = Tensors.of(manager, p, new Shape(p.length));
        NDArray x = idx.getNDArrayInternal()
                .embedding(idx, hidden, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
        x = x.getNDArrayInternal()
                .linear(x, head.get(HEAD + "transform.dense.weight"), head.get(HEAD + "transform.dense.bias"))
                .singletonOrThrow();
        x = config.hiddenAct().equals("relu") ? Activation.relu(x) : Activation.gelu(x);
        x = x.getNDArrayInternal()
                .layerNorm(
                        x,
                        new Shape(config.hidden()),
                        head.get(HEAD + "transform.LayerNorm.weight"),
                        head.get(HEAD + "transform.LayerNorm.bias"),
                        (float) config.layerNormEps())
                .singletonOrThrow();
        // the decoder is the word embedding matrix itself (tied, as BertForMaskedLM and Geneformer)
        return x.getNDArrayInternal()
                .linear(x, encoder.weights().get("embeddings.word_embeddings.weight"), head.get(HEAD + "bias"))
                .singletonOrThrow();
    }

    /** One optimiser step; returns loss, batch masked-token accuracy, learning rate. */
    double[] trainStep() {
        Masked m;
        TokenBatch b;
        do { // a batch of cells with no gene token chosen teaches nothing: draw again
            int[] cells = new int[o.batch()];
            for (int i = 0; i < cells.length; i++) cells[i] = train[rng.nextInt(train.length)];
            b = tokens.batch(cells);
            m = mask(b, rng, false);
        } while (m.positions().length == 0);
        double loss, acc;
        encOpt.zeroGrad();
        headOpt.zeroGrad();
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = logits(m, b);
            NDArray labels = Tensors.of(manager, m.labels(), new Shape(m.labels().length, 1));
            NDArray ce = logits.logSoftmax(-1).gather(labels, 1).mean().neg();
            gc.backward(ce);
            loss = ce.getFloat();
            acc = correct(logits, m.labels()) / (double) m.labels().length;
        }
        double norm = Math.sqrt(encOpt.gradNormSquared() + headOpt.gradNormSquared());
        if (!Double.isFinite(norm) || !Double.isFinite(loss))
            throw new ScxmException(String.format(
                    Locale.ROOT,
                    "pretraining diverged at step %d (loss or gradient NaN or infinite); lower lr (%s) or raise warmup.",
                    step + 1,
                    o.lr()));
        double scale = norm > MAX_GRAD_NORM ? MAX_GRAD_NORM / norm : 1.0;
        double f = lrFactor(step);
        encOpt.update(scale, f);
        headOpt.update(scale, f);
        return new double[] {loss, acc, o.lr() * f};
    }

    private static int correct(NDArray logits, long[] labels) {
        long[] pred = logits.argMax(-1).toType(DataType.INT64, false).toLongArray();
        int c = 0;
        for (int k = 0; k < labels.length; k++) if (pred[k] == labels[k]) c++;
        return c;
    }

    /**
     * Held-out masked-token accuracy against the frequency baseline, over {@value #EVAL_PASSES} independent masks of
     * every held-out cell; the same masks every call (seeded).
     */
    public Evaluation evaluate() {
        if (heldOut.length == 0)
            throw new ScxmException(
                    "no cells were held out (held_out=0), so there is nothing to evaluate on; pretrain with held_out above 0.");
        // baseline: each position's most frequent token over the training cells' full sequences
        Map<Integer, Map<Integer, Integer>> counts = new HashMap<>();
        for (int c : train) {
            int[] seq = tokens.encode(c);
            for (int p = 0; p < seq.length; p++)
                counts.computeIfAbsent(p, k -> new HashMap<>()).merge(seq[p], 1, Integer::sum);
        }
        Map<Integer, Integer> mode = new HashMap<>();
        counts.forEach((p, m) -> mode.put(
                p,
                m.entrySet().stream()
                        .max(Comparator.<Map.Entry<Integer, Integer>>comparingInt(Map.Entry::getValue)
                                .thenComparing(e -> -e.getKey()))
                        .get()
                        .getKey()));
        Random r = new Random(o.seed() + 2);
        int total = 0, model = 0, base = 0;
        for (int pass = 0; pass < EVAL_PASSES; pass++)
            for (int start = 0; start < heldOut.length; start += o.batch()) {
                TokenBatch b =
                        tokens.batch(Arrays.copyOfRange(heldOut, start, Math.min(heldOut.length, start + o.batch())));
                Masked m = mask(b, r, true);
                if (m.positions().length == 0) continue;
                try (NDScope scope = new NDScope()) {
                    model += correct(logits(m, b), m.labels());
                }
                for (int k = 0; k < m.positions().length; k++) {
                    Integer guess = mode.get(m.positions()[k] % b.length());
                    if (guess != null && guess == m.labels()[k]) base++;
                }
                total += m.positions().length;
            }
        return new Evaluation(
                total == 0 ? 0 : model / (double) total, total == 0 ? 0 : base / (double) total, total, heldOut.length);
    }

    /**
     * Writes the model as a Hugging Face folder: config.json (BertForMaskedLM), model.safetensors with
     * BertForMaskedLM's key names (the tied decoder weight left out, as Hugging Face saves it), the token and median
     * dictionaries the cells were ranked with (token_dictionary.pkl, gene_median_dictionary.pkl), and the state to
     * resume from (trainer_state.json with the loss history, optimizer.safetensors, rng_state.bin). Written to a
     * sibling folder first and swapped in, so a failed save leaves the previous one intact.
     * @throws ScxmException when the folder exists and is neither empty nor a folder this class wrote
     */
    public void save(Path folder) {
        PretrainerFolder.write(this, folder);
    }

    /**
     * Continues a run that {@link #save} wrote, on the same cells (the same tokeniser), exactly where it stopped:
     * weights, optimiser moments, sampler and loss history.
     * @throws ScxmException when the folder is not a pretrain folder or the cells' vocabulary is not the folder's
     */
    public static Pretrainer resume(Path folder, RankValueEncoder tokens) {
        return PretrainerFolder.read(folder, tokens);
    }

    @Override
    public void close() {
        manager.close();
    }
}
