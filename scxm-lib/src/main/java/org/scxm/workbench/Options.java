package org.scxm.workbench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.io.LoadOptions;
import org.scxm.model.TrainConfig;

/**
 * The options of each workbench verb, one record per verb, with the paragraph language's defaults.
 * Paths are already resolved (the caller decides what a relative path means).
 */
public final class Options {
    private Options() {}

    /** {@code load demo}: the built-in synthetic tissue (sc, st and val at once). */
    public record Demo(long seed, int cells) {
        public static Demo of(long seed) {
            return new Demo(seed, 4000);
        }

        public Demo withCells(int n) {
            return new Demo(seed, n);
        }
    }

    /** {@code load ROLE NAME path=...}: one modality from a file or folder; {@code label} names the cell-type obs column. */
    public record Load(Role role, String name, Path path, String label, LoadOptions read) {
        public static Load of(Role role, String name, Path path) {
            return new Load(role, name, path, null, LoadOptions.defaults());
        }
    }

    /**
     * {@code split NAME}: one slide into two datasets by spatial halves (the longer axis, cut at the median),
     * with the cells within {@code gap} µm of the cut in neither, so no neighbourhood spans both; the first
     * half (smaller coordinates) becomes {@code first} as the spatial training slide, the other {@code second}
     * as the validation slide.
     */
    public record Split(String dataset, String first, String second, double gap) {}

    /** {@code harmonise}: which datasets (null = the only one of its role) and the cell filter. */
    public record Harmonise(String sc, String st, String val, int minCounts, int minGenes) {
        public Harmonise {
            if (minCounts < 0)
                throw new org.scxm.ScxmException(
                        "min_counts=" + minCounts + " must be 0 (keep every cell) or more counts.");
            if (minGenes < 0)
                throw new org.scxm.ScxmException(
                        "min_genes=" + minGenes + " must be 0 (keep every cell) or more genes.");
        }

        public static Harmonise defaults() {
            return new Harmonise(null, null, null, 5, 3);
        }
    }

    /** {@code bulk}: radius graph convolution of the binarised panel (paper 3.1); datasets empty = every slide. */
    /**
     * {@code bulk}: {@code target} binarised, log or composition (the neighbourhood's cell-type shares over the
     * training slide's types, read from the obs column {@code label}, or the cell types when null).
     */
    public record Bulk(List<String> datasets, double radius, String kernel, double sigma, String target, String label) {
        /** The paper's bulking radius in µm (3.1). */
        public static final double DEFAULT_RADIUS = 25;

        public Bulk(List<String> datasets, double radius, String kernel, double sigma, String target) {
            this(datasets, radius, kernel, sigma, target, null);
        }

        /** The paper's: Gaussian kernel over 25 µm, sigma radius/2, binarised targets. */
        public static Bulk defaults() {
            return new Bulk(List.of(), DEFAULT_RADIUS, "gaussian", Double.NaN, "binarised");
        }

        /** The neighbourhood composition over the cell types, otherwise the defaults. */
        public static Bulk composition(String label) {
            return new Bulk(List.of(), DEFAULT_RADIUS, "gaussian", Double.NaN, "composition", label);
        }
    }

    /**
     * {@code tokenize}: rank value encoding. {@code vocabulary} null builds one from the scRNA data;
     * otherwise a folder with Geneformer's dictionaries (a pretrained model's folder: its own tokenizer),
     * optionally naming the token and median dictionaries. {@code maxLength} 0 = the model folder's input
     * size, else 2048. {@code species} auto, human or mouse: mouse symbols map to the human ids of a
     * folder's vocabulary through the MGI table {@code homologyTable}.
     */
    public record Tokenize(
            Path vocabulary,
            int maxLength,
            Path tokenDictionary,
            Path medianDictionary,
            String species,
            Path homologyTable,
            boolean panelGenesOnly) {
        public Tokenize {
            if (maxLength < 0)
                throw new org.scxm.ScxmException("max_length=" + maxLength
                        + " must be at least 1 token (or left out for the model's input size, else "
                        + DEFAULT_MAX_LENGTH + ").");
        }

        /** Default token sequence length when the vocabulary comes from the data. */
        public static final int DEFAULT_MAX_LENGTH = 2048;

        /** A vocabulary built from the scRNA data; every measured gene of each cell is ranked (Geneformer's way). */
        public static Tokenize fromData(int maxLength) {
            return new Tokenize(null, maxLength, null, null, "auto", null, false);
        }

        /** A pretrained model folder's own dictionaries and input size. */
        public static Tokenize fromFolder(Path folder) {
            return new Tokenize(folder, 0, null, null, "auto", null, false);
        }

        /**
         * @param only rank only the spatial panel's genes in every dataset, so that scRNA, spatial and validation cells
         *             are read from the same genes (a high-plex validation slide otherwise shows the model more genes
         *             than the spatial slide L_pair trains on)
         */
        public Tokenize withPanelGenesOnly(boolean only) {
            return new Tokenize(vocabulary, maxLength, tokenDictionary, medianDictionary, species, homologyTable, only);
        }
    }

    /**
     * {@code pretrain path=FOLDER}: a BERT pretrained on the scRNA cells' tokens with Geneformer's
     * masked-gene objective, written as a Hugging Face folder with its dictionaries.
     */
    public record Pretrain(Path folder, org.scxm.model.Pretrainer.Options options) {}

    /**
     * {@code model NAME}: encoder (small, or a Hugging Face folder), head, decoder and critic sized to the panel;
     * or a saved checkpoint ({@code checkpoint}) restored whole; on {@code device} (null = the workbench's setting).
     */
    public record Model(
            String name,
            Path pretrained,
            Path checkpoint,
            int layers,
            int hidden,
            int width,
            int trainable,
            boolean frozenVariant,
            long seed,
            String device,
            boolean ownPanel) {
        public Model {
            // a restored checkpoint brings its own shape; a built model's shape is checked here, named as its keys
            if (checkpoint == null) {
                if (layers < 1)
                    throw new org.scxm.ScxmException("layers=" + layers + " must be at least 1 encoder block.");
                // the small encoder has 4 attention heads (BertConfig.small); a pretrained folder brings its own width
                if (hidden < 1 || (pretrained == null && hidden % 4 != 0))
                    throw new org.scxm.ScxmException(
                            "hidden=" + hidden + " must be a positive encoder width (a multiple of 4), e.g. 128.");
                if (width < 1)
                    throw new org.scxm.ScxmException("width=" + width + " must be a positive layer width, e.g. 256.");
                if (trainable < 0)
                    throw new org.scxm.ScxmException(
                            "trainable=" + trainable + " must be 0 (frozen backbone) or more encoder blocks.");
            }
        }

        /** A small BERT from scratch (2 x 128, head width 256, 4 trainable blocks), seeded, the paper's head, on the workbench's device. */
        public static Model small(String name, long seed) {
            return new Model(name, null, null, 2, 128, 256, 4, false, seed, null, false);
        }

        /** Restores the checkpoint in {@code dir}. */
        public static Model checkpoint(String name, Path dir) {
            return new Model(name, null, dir, 0, 0, 0, 0, false, 0, null, false);
        }

        public Model withShape(int layers, int hidden, int width, int trainable) {
            return with(pretrained, layers, hidden, width, trainable, frozenVariant, seed, device, ownPanel);
        }

        /** @param folder a Hugging Face folder (or checkpoint) whose encoder weights to start from; null = from scratch */
        public Model withPretrained(Path folder) {
            return with(folder, layers, hidden, width, trainable, frozenVariant, seed, device, ownPanel);
        }

        /** @param frozen the brain variant: frozen backbone, 3-layer head, a decoder layer less */
        public Model withFrozenVariant(boolean frozen) {
            return with(pretrained, layers, hidden, width, trainable, frozen, seed, device, ownPanel);
        }

        public Model withSeed(long s) {
            return with(pretrained, layers, hidden, width, trainable, frozenVariant, s, device, ownPanel);
        }

        /** @param d auto, cpu, gpu or gpu:N; null = the workbench's setting */
        public Model withDevice(String d) {
            return with(pretrained, layers, hidden, width, trainable, frozenVariant, seed, d, ownPanel);
        }

        /** @param own the head also reads each cell's own binarised panel ({@link ScxmConfig#ownPanel}) */
        public Model withOwnPanel(boolean own) {
            return with(pretrained, layers, hidden, width, trainable, frozenVariant, seed, device, own);
        }

        /** The one copy of every component, for the withers above. */
        private Model with(
                Path pretrained,
                int layers,
                int hidden,
                int width,
                int trainable,
                boolean frozen,
                long seed,
                String device,
                boolean own) {
            return new Model(name, pretrained, checkpoint, layers, hidden, width, trainable, frozen, seed, device, own);
        }
    }

    /**
     * {@code train}: a new run from the model's initial weights, or ({@code resume}) the same run continued
     * with its optimiser state, sampler and step count for {@code config}'s steps more.
     */
    public record Train(String model, TrainConfig config, boolean resume) {
        public static Train of(TrainConfig c) {
            return new Train(null, c, false);
        }
    }

    /** {@code predict NAME}. */
    public record Predict(String dataset, String model, int batch) {
        /** Cells per forward pass unless batch= says otherwise. */
        public static final int DEFAULT_BATCH = 64;

        public static Predict of(String dataset) {
            return new Predict(dataset, null, DEFAULT_BATCH);
        }
    }

    /** {@code baseline METHOD}: a comparison method (scConfluence, scACT, ...); device null = the workbench's setting. */
    public record Baseline(org.scxm.baseline.Method method, String device) {
        public static Baseline of(org.scxm.baseline.Method method) {
            return new Baseline(method, null);
        }

        public Baseline withDevice(String d) {
            return new Baseline(method, d);
        }
    }

    /**
     * {@code evaluate NAME}: references (own binarised, cell-type mean, paired ridge), a label for compare,
     * the Moran's I cut for spatially structured genes, and the held-out split.
     */
    /** {@code feature}: the gene or cell type whose two distributions a calibration ({@code evaluate sc}) plots, or null. */
    public record Evaluate(
            String dataset, boolean references, String label, double spatialI, HeldOut.Split split, String feature) {
        public Evaluate(String dataset, boolean references, String label, double spatialI, HeldOut.Split split) {
            this(dataset, references, label, spatialI, split, null);
        }

        public static Evaluate of(String dataset) {
            return new Evaluate(dataset, true, null, org.scxm.eval.Evaluation.SPATIAL_MORANS_I, HeldOut.Split.NONE);
        }

        public Evaluate withSplit(HeldOut.Split s) {
            return new Evaluate(dataset, references, label, spatialI, s, feature);
        }

        public Evaluate withFeature(String f) {
            return new Evaluate(dataset, references, label, spatialI, split, f);
        }
    }

    /**
     * {@code sweep}: a grid of settings (train keys, or model keys hidden/layers/width/trainable), each
     * trained with {@code seeds} seeds as independent runs, predicted on {@code dataset} and scored on its
     * tuning part (held-out split) or whole.
     */
    public record Sweep(
            Map<String, List<String>> grid,
            int seeds,
            TrainConfig base,
            String dataset,
            HeldOut.Split split,
            String label) {
        /** Grid keys that change training. */
        public static final List<String> TRAIN_KEYS = List.of(
                "lambda_gp",
                "lambda_st",
                "lambda_sc",
                "lambda_adv",
                "lambda_pair",
                "ema",
                "lr",
                "lr_critic",
                "critic",
                "batch",
                "steps",
                "warmup");
        /** Grid keys that change the model's shape (small from-scratch models only). */
        public static final List<String> MODEL_KEYS = List.of("hidden", "layers", "width", "trainable", "own_panel");
    }

    /** {@code niches NAME}. */
    /**
     * {@code niches}: by a gene's bulked expression ({@code gene}), or by a neighbour type's share
     * ({@code composition}); cells at or above {@code threshold} are clustered, or with {@code top} in (0, 1) the
     * top share of the type's cells by rank (NaN: the threshold decides).
     */
    public record Niches(
            String dataset,
            String gene,
            String type,
            double threshold,
            boolean fromTarget,
            String composition,
            double top) {
        public Niches(String dataset, String gene, String type, double threshold, boolean fromTarget) {
            this(dataset, gene, type, threshold, fromTarget, null, Double.NaN);
        }

        public Niches(
                String dataset, String gene, String type, double threshold, boolean fromTarget, String composition) {
            this(dataset, gene, type, threshold, fromTarget, composition, Double.NaN);
        }
    }

    /** {@code de NAME}: groups = niche, celltype or any categorical obs column; the report shows the {@code top} genes (the state keeps all). */
    public record De(
            String dataset,
            String groups,
            String group1,
            String group2,
            DifferentialExpression.Test test,
            boolean tieCorrect,
            int top) {
        public De {
            if (top < 1) throw new org.scxm.ScxmException("top=" + top + " must be at least 1 gene to show.");
        }
    }

    /** {@code annotate NAME}: label transfer from {@code reference}, or import of the obs column {@code from}. */
    public record Annotate(String dataset, String reference, String from, double holdOut, long seed) {
        public Annotate {
            if (!(holdOut >= 0 && holdOut < 1))
                throw new org.scxm.ScxmException("hold_out=" + holdOut
                        + " must be a share of the labelled cells from 0 up to below 1, e.g. 0.2 (the rest train).");
        }
    }

    /** {@code gsea}: gene sets and a ranking (the evaluation's per-gene Pearson of a method, or given scores). */
    public record Gsea(
            String dataset,
            Map<String, List<String>> sets,
            String method,
            String[] genes,
            double[] scores,
            String source,
            org.scxm.analysis.Gsea.Options options,
            String curve) {}

    /**
     * {@code export NAME path=FILE.h5ad}: an existing file is replaced only with {@code overwrite} (the one rule for
     * writes over existing targets, {@link org.scxm.io.Targets}).
     */
    public record Export(String dataset, Path file, boolean overwrite) {
        /** Refuses an existing file. */
        public Export(String dataset, Path file) {
            this(dataset, file, false);
        }
    }

    /** {@code save DIR}. */
    public record Save(Path dir, String model) {}
}
