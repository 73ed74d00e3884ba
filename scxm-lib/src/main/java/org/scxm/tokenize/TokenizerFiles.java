package org.scxm.tokenize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.scxm.ScxmException;

/**
 * The token, median and gene-name dictionaries that belong together, chosen from a folder or named by the
 * user. Geneformer ships one set per release, told apart by a file-name tag ({@code token_dictionary_gc104M.pkl},
 * {@code gene_median_dictionary_gc30M.pkl}): V2 tokens ranked with V1 medians put genes in the wrong order
 * without any error. Which files belong together is decided by their gene sets (a renamed file cannot fool
 * it); the tag only picks among several files in one folder and names the release in messages.
 */
public final class TokenizerFiles {
    public static final String TOKEN_PREFIX = "token_dictionary",
            MEDIAN_PREFIX = "gene_median_dictionary",
            NAME_PREFIX = "gene_name_id_dict";
    /**
     * Token and median dictionaries of one release have the same genes (Jaccard 1.0 for Geneformer's V1 set;
     * a few genes may lack a median). Geneformer V2 tokens against V1 medians share 0.75 of their genes.
     */
    public static final double SAME_RELEASE_JACCARD = 0.95;

    /**
     * The chosen dictionaries.
     * @param vocabulary  the vocabulary built from them
     * @param tokenFile   the token dictionary read
     * @param medianFile  the median dictionary read
     * @param nameFile    the gene-name dictionary read, or null
     * @param sharedGenes fraction (Jaccard) of genes shared by the token and median dictionaries
     * @param warnings    sentences the user must see (a mix of releases named explicitly), empty when none
     */
    public record Chosen(
            GeneformerVocabulary vocabulary,
            Path tokenFile,
            Path medianFile,
            Path nameFile,
            double sharedGenes,
            List<String> warnings) {
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "%s (%,d tokens, %s) with %s%s",
                    tokenFile.getFileName(),
                    vocabulary.size(),
                    vocabulary.hasSpecialTokens() ? "with <cls> and <eos>, V2-style" : "no <cls>, V1-style",
                    medianFile.getFileName(),
                    nameFile == null ? "" : " and " + nameFile.getFileName());
        }
    }

    /**
     * Files named by the user; null means "choose from the folder".
     * @param tokenDictionary  a token dictionary (.pkl or .tsv), or null
     * @param medianDictionary a median dictionary, or null
     * @param nameDictionary   a gene symbol -> Ensembl id dictionary, or null
     */
    public record Named(Path tokenDictionary, Path medianDictionary, Path nameDictionary) {
        public static Named none() {
            return new Named(null, null, null);
        }

        boolean both() {
            return tokenDictionary != null && medianDictionary != null;
        }
    }

    private TokenizerFiles() {}

    /**
     * Chooses the dictionaries of a model or dictionary folder.
     * @param folder    where to look for files the user did not name (may be null when both are named)
     * @param named     files the user named
     * @param vocabSize the embedding matrix's rows (config.json vocab_size) when a model is known, else 0; picks
     *                  the token dictionary among several and is checked by {@link #requireFits}
     * @throws ScxmException when a dictionary is missing or ambiguous, or the token and median dictionaries come
     *                       from different releases and were not both named
     */
    public static Chosen choose(Path folder, Named named, int vocabSize) {
        Path tok = named.tokenDictionary() != null ? named.tokenDictionary() : pickTokens(folder, vocabSize);
        String tag = tag(tok, TOKEN_PREFIX);
        Map<String, Integer> tokens = GeneformerVocabulary.readTokens(tok);
        // the model's fit first: a dictionary of another model is the more basic mistake than a median mix
        if (vocabSize > 0) requireFits(new GeneformerVocabulary(tokens, Map.of(), null), vocabSize, -1, tok.toString());
        Set<String> tokenGenes = genes(tokens.keySet());
        Path med = named.medianDictionary();
        Map<String, Double> medians;
        if (med == null) {
            List<Path> cands = candidates(folder, MEDIAN_PREFIX);
            if (cands.isEmpty())
                throw new ScxmException(folder + " has the token dictionary " + tok.getFileName() + " but no "
                        + MEDIAN_PREFIX + "*.pkl; put the median dictionary of the same release beside it (e.g. "
                        + MEDIAN_PREFIX + suffix(tag) + ".pkl) or name one.");
            // same tag first, then the best gene overlap
            Path best = null;
            double bestJ = -1;
            Map<String, Double> bestMed = null;
            for (Path c : cands) {
                Map<String, Double> m = GeneformerVocabulary.readMedians(c);
                double j =
                        jaccard(tokenGenes, m.keySet()) + (tag(c, MEDIAN_PREFIX).equalsIgnoreCase(tag) ? 1 : 0);
                if (j > bestJ) {
                    bestJ = j;
                    best = c;
                    bestMed = m;
                }
            }
            med = best;
            medians = bestMed;
        } else {
            medians = GeneformerVocabulary.readMedians(med);
        }
        double shared = jaccard(tokenGenes, medians.keySet());
        List<String> warnings = new ArrayList<>();
        if (shared < SAME_RELEASE_JACCARD) {
            String what = String.format(
                    Locale.ROOT,
                    "the token dictionary %s (%,d genes) and the median dictionary %s (%,d genes) share only %.0f%% of their genes, "
                            + "so they come from different releases",
                    tok.getFileName(),
                    tokenGenes.size(),
                    med.getFileName(),
                    medians.size(),
                    100 * shared);
            if (!named.both())
                throw new ScxmException(
                        what + "; give the median dictionary of the token dictionary's release (e.g. " + MEDIAN_PREFIX
                                + suffix(tag) + ".pkl), or name both files explicitly to rank with this mix anyway.");
            warnings.add("Warning: " + what + ": genes are ranked with medians the model was not trained with.");
        }
        Path names = named.nameDictionary();
        if (names == null && folder != null) {
            List<Path> cands = candidates(folder, NAME_PREFIX);
            for (Path c : cands) if (tag(c, NAME_PREFIX).equalsIgnoreCase(tag)) names = c;
            if (names == null && cands.size() == 1) names = cands.get(0);
        }
        GeneformerVocabulary v = new GeneformerVocabulary(
                tokens, medians, names == null ? Map.of() : GeneformerVocabulary.readNames(names));
        return new Chosen(v, tok, med, names, shared, List.copyOf(warnings));
    }

    /**
     * Refuses a vocabulary that cannot index the model's embedding matrix row for row: a different number of
     * tokens, ids with gaps or repeats, {@code <pad>} elsewhere than config.json's pad_token_id, or {@code <cls>}
     * without {@code <eos>}.
     * @param padTokenId config.json's pad_token_id, or -1 not to check it
     * @param source     how to name the dictionary in the message
     */
    public static void requireFits(GeneformerVocabulary v, int vocabSize, int padTokenId, String source) {
        String give = "; give the token dictionary the model was trained with (the one in its folder).";
        if (v.size() != vocabSize)
            throw new ScxmException(String.format(
                    Locale.ROOT,
                    "%s has %,d tokens (%s) but the model's embedding matrix has %,d rows (vocab_size in config.json)%s",
                    source,
                    v.size(),
                    v.hasSpecialTokens() ? "with <cls>, V2-style" : "no <cls>, V1-style",
                    vocabSize,
                    give));
        if (v.entries() != v.size() || v.distinctIds() != v.size())
            throw new ScxmException(String.format(
                    Locale.ROOT,
                    "%s maps %,d entries onto %,d distinct ids up to %,d, so its ids have gaps or repeats%s",
                    source,
                    v.entries(),
                    v.distinctIds(),
                    v.size() - 1,
                    give));
        if (padTokenId >= 0 && v.padId() != padTokenId)
            throw new ScxmException(source + " puts <pad> at id " + v.padId() + " but config.json's pad_token_id is "
                    + padTokenId + give);
        if (v.tokenMap().containsKey(GeneformerVocabulary.CLS) != v.tokenMap().containsKey(GeneformerVocabulary.EOS))
            throw new ScxmException(
                    source + " has only one of <cls> and <eos>, which Geneformer's vocabularies have both or neither of"
                            + give);
    }

    private static Path pickTokens(Path folder, int vocabSize) {
        List<Path> cands = candidates(folder, TOKEN_PREFIX);
        if (cands.isEmpty())
            throw new ScxmException(
                    folder + " has no " + TOKEN_PREFIX
                            + "*.pkl: a pretrained model needs the dictionaries it was trained with; copy them into "
                            + "the folder (Geneformer V2: token_dictionary_gc104M.pkl and gene_median_dictionary_gc104M.pkl) or name them.");
        if (cands.size() == 1) return cands.get(0);
        List<Path> fit = new ArrayList<>();
        if (vocabSize > 0)
            for (Path c : cands) if (GeneformerVocabulary.readTokens(c).size() == vocabSize) fit.add(c);
        if (fit.size() == 1) return fit.get(0);
        throw new ScxmException(folder + " has " + (fit.isEmpty() ? cands.size() : fit.size()) + " token dictionaries "
                + names(fit.isEmpty() ? cands : fit)
                + (vocabSize > 0 && fit.isEmpty() ? ", none with the model's " + vocabSize + " tokens" : "")
                + "; name the one the model was trained with.");
    }

    /** Dictionary files of a kind in a folder (.pkl preferred over the .tsv of the same name), sorted. */
    static List<Path> candidates(Path folder, String prefix) {
        if (folder == null) return List.of();
        if (!Files.isDirectory(folder))
            throw new ScxmException(folder + " is not a folder; give the model's folder or name its dictionary files.");
        List<Path> pkl = new ArrayList<>(), tsv = new ArrayList<>();
        try (var s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(prefix)) continue;
                if (n.endsWith(".pkl") || n.endsWith(".pickle")) pkl.add(p);
                else if (n.endsWith(".tsv")) tsv.add(p);
            }
        } catch (IOException e) {
            throw new ScxmException("cannot list " + folder + " (" + e.getMessage() + "); check the path.", e);
        }
        Set<String> stems = new HashSet<>();
        for (Path p : pkl) stems.add(stem(p));
        List<Path> out = new ArrayList<>(pkl);
        for (Path p : tsv) if (!stems.contains(stem(p))) out.add(p);
        return out;
    }

    /** The release tag of a dictionary file: "gc104M" for token_dictionary_gc104M.pkl, "" when none. */
    public static String tag(Path file, String prefix) {
        String s = stem(file);
        if (s.startsWith(prefix)) s = s.substring(prefix.length());
        return s.startsWith("_") ? s.substring(1) : s;
    }

    private static String suffix(String tag) {
        return tag.isEmpty() ? "" : "_" + tag;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    private static String names(List<Path> ps) {
        List<String> n = new ArrayList<>();
        for (Path p : ps) n.add(p.getFileName().toString());
        return String.join(", ", n);
    }

    static Set<String> genes(Set<String> keys) {
        Set<String> g = new HashSet<>();
        for (String k : keys) if (!GeneformerVocabulary.isSpecial(k)) g.add(k);
        return g;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) return 1;
        int inter = 0;
        for (String x : a) if (b.contains(x)) inter++;
        return inter / (double) (a.size() + b.size() - inter);
    }
}
