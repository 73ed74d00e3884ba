package org.scxm.tokenize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.RowChunks;

/**
 * A model's gene vocabulary: Ensembl id -> token id (with the special tokens), and Ensembl id ->
 * non-zero median of normalised expression (Geneformer's gene median dictionary).
 * Optional gene name -> Ensembl id map for data that has symbols only.
 */
public final class GeneformerVocabulary {
    public static final String PAD = "<pad>", MASK = "<mask>", CLS = "<cls>", EOS = "<eos>";

    private final Map<String, Integer> tokens;
    private final Map<String, Double> medians;
    private final Map<String, String> nameToId;

    public GeneformerVocabulary(
            Map<String, Integer> tokens, Map<String, Double> medians, Map<String, String> nameToId) {
        if (!tokens.containsKey(PAD))
            throw new ScxmException("the token dictionary has no <pad> token; is it a Geneformer token dictionary?");
        this.tokens = tokens;
        this.medians = medians;
        this.nameToId = nameToId == null ? Map.of() : nameToId;
    }

    /** SHA-256 over the sorted token ids and medians: equal fingerprints, same tokenisation. */
    public String fingerprint() {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            new java.util.TreeMap<>(tokens)
                    .forEach((k, v) -> md.update((k + "\t" + v + "\t" + medians.get(k) + "\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows an embedding matrix needs for this vocabulary: the largest token id + 1. */
    public int size() {
        return tokens.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }
    /** Entries of the token dictionary (equals {@link #size} when ids run 0..n-1 without gaps or repeats). */
    public int entries() {
        return tokens.size();
    }
    /** Number of distinct token ids. */
    public int distinctIds() {
        return (int) tokens.values().stream().distinct().count();
    }
    /** True when the vocabulary has Geneformer's {@code <mask>} token (needed for masked-gene pretraining). */
    public boolean hasMask() {
        return tokens.containsKey(MASK);
    }

    public int maskId() {
        return tokens.get(MASK);
    }
    /** The genes with a token (special tokens excluded). */
    public java.util.Set<String> tokenGenes() {
        java.util.Set<String> g = new java.util.LinkedHashSet<>();
        for (String k : tokens.keySet()) if (!isSpecial(k)) g.add(k);
        return g;
    }
    /** The genes with a median. */
    public java.util.Set<String> medianGenes() {
        return java.util.Collections.unmodifiableSet(medians.keySet());
    }
    /** The token dictionary, read-only, in its file order. */
    public Map<String, Integer> tokenMap() {
        return java.util.Collections.unmodifiableMap(tokens);
    }
    /** The median dictionary, read-only. */
    public Map<String, Double> medianMap() {
        return java.util.Collections.unmodifiableMap(medians);
    }
    /** The gene name dictionary (upper-cased symbol -> Ensembl id), read-only; with the two maps above it rebuilds this vocabulary. */
    public Map<String, String> nameMap() {
        return java.util.Collections.unmodifiableMap(nameToId);
    }

    static boolean isSpecial(String key) {
        return key.startsWith("<") && key.endsWith(">");
    }

    public int padId() {
        return tokens.get(PAD);
    }
    /** True for V2-style vocabularies that have <cls> and <eos>. */
    public boolean hasSpecialTokens() {
        return tokens.containsKey(CLS) && tokens.containsKey(EOS);
    }

    public int clsId() {
        return tokens.get(CLS);
    }

    public int eosId() {
        return tokens.get(EOS);
    }
    /** Token id of an Ensembl id, or -1. */
    public int token(String ensemblId) {
        Integer t = ensemblId == null ? null : tokens.get(ensemblId);
        return t == null ? -1 : t;
    }
    /** Non-zero median of a gene, or NaN. */
    public double median(String ensemblId) {
        Double m = ensemblId == null ? null : medians.get(ensemblId);
        return m == null ? Double.NaN : m;
    }
    /** Ensembl id for a symbol via the name dictionary when that id has a token, else null (for mapping other species' genes). */
    public String tokenIdForName(String symbol) {
        String id = idForName(symbol);
        return id != null && token(id) >= 0 ? id : null;
    }
    /** Ensembl id for a symbol via the name dictionary, or null. */
    public String idForName(String symbol) {
        return symbol == null ? null : nameToId.get(symbol.toUpperCase(Locale.ROOT));
    }

    /** A token dictionary file (.pkl or .tsv): key -> token id, in file order. */
    public static Map<String, Integer> readTokens(Path file) {
        Map<String, Integer> tok = new LinkedHashMap<>();
        read(file).forEach((k, v) -> tok.put(k, number(v, file).intValue()));
        return tok;
    }

    /** A median dictionary file (.pkl or .tsv): Ensembl id -> non-zero median. */
    public static Map<String, Double> readMedians(Path file) {
        Map<String, Double> med = new HashMap<>();
        read(file).forEach((k, v) -> med.put(k, number(v, file).doubleValue()));
        return med;
    }

    /** A gene name dictionary file (.pkl or .tsv): upper-case symbol -> Ensembl id. */
    public static Map<String, String> readNames(Path file) {
        Map<String, String> names = new HashMap<>();
        read(file).forEach((k, v) -> names.put(k.toUpperCase(Locale.ROOT), String.valueOf(v)));
        return names;
    }

    /** From Geneformer's files; each may be a .pkl (as shipped) or a two-column .tsv (header line skipped). nameDict may be null. */
    public static GeneformerVocabulary fromFiles(Path tokenDict, Path medianDict, Path nameDict) {
        return new GeneformerVocabulary(
                readTokens(tokenDict), readMedians(medianDict), nameDict == null ? Map.of() : readNames(nameDict));
    }

    /**
     * Writes the token and median dictionaries as Python pickles of plain dicts (str -> int, str -> float),
     * the form Geneformer ships, so Python's {@code pickle.load} and {@link #fromFiles} both read them.
     */
    public void writePickles(Path tokenDict, Path medianDict) {
        try {
            net.razorvine.pickle.Pickler p = new net.razorvine.pickle.Pickler(false);
            Files.write(tokenDict, p.dumps(new LinkedHashMap<>(tokens)));
            Map<String, Double> sorted = new java.util.TreeMap<>(medians);
            Files.write(medianDict, p.dumps(sorted));
        } catch (IOException e) {
            throw new ScxmException(
                    "could not write the dictionaries " + tokenDict + " and " + medianDict + ": " + e.getMessage()
                            + "; check the folder is writable.",
                    e);
        }
    }

    private static Number number(Object v, Path file) {
        if (v instanceof Number n) return n;
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new ScxmException(
                    file + " maps a gene to '" + v + "', which is not a number; is this the right dictionary?");
        }
    }

    private static Map<String, Object> read(Path file) {
        if (file.toString().endsWith(".pkl") || file.toString().endsWith(".pickle")) return PickleDicts.read(file);
        if (!Files.isRegularFile(file))
            throw new ScxmException(
                    "dictionary " + file + " does not exist; give the path of Geneformer's .pkl (or .tsv) file.");
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                String[] f = line.split("\t");
                if (f.length < 2)
                    throw new ScxmException(
                            file + " line " + (i + 1) + " has no tab-separated value; expected key<TAB>value.");
                out.put(f[0], f[1]);
            }
        } catch (IOException e) {
            throw new ScxmException("could not read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * A vocabulary built from the scRNA data itself (demo or a small model trained from scratch): every
     * gene gets a token after Geneformer's special tokens, and its median is the median of its non-zero
     * values of counts / total x 10,000. Genes are keyed by Ensembl id, or by symbol where ids are missing.
     */
    public static GeneformerVocabulary fromData(Modality sc) {
        Map<String, Integer> tok = new LinkedHashMap<>();
        tok.put(PAD, 0);
        tok.put(MASK, 1);
        tok.put(CLS, 2);
        tok.put(EOS, 3);
        RowChunks m = sc.matrix();
        float[][] values = new float[m.cols()][];
        int[] count = new int[m.cols()];
        for (int j = 0; j < values.length; j++) values[j] = new float[8];
        m.forEachChunk((first, c) -> { // one pass, chunk by chunk for a backed dataset
            double[] totals = c.rowSums();
            for (int i = 0; i < c.rows(); i++) {
                if (totals[i] <= 0) continue;
                float[] v = c.rowValues(i);
                int[] idx = c.rowIndices(i);
                for (int k = c.rowStart(i), e = c.rowEnd(i); k < e; k++)
                    if (v[k] > 0) {
                        int j = idx[k];
                        if (count[j] == values[j].length) values[j] = Arrays.copyOf(values[j], values[j].length * 2);
                        values[j][count[j]++] = (float) (v[k] / totals[i] * 1e4);
                    }
            }
        });
        Map<String, Double> med = new HashMap<>();
        for (int j = 0; j < m.cols(); j++) {
            String key = keyOf(sc, j);
            if (tok.containsKey(key)) continue;
            tok.put(key, tok.size());
            float[] a = Arrays.copyOf(values[j], count[j]);
            values[j] = null;
            Arrays.sort(a);
            med.put(
                    key,
                    a.length == 0
                            ? 1.0
                            : (a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0));
        }
        return new GeneformerVocabulary(tok, med, Map.of());
    }

    /** The key a gene has in vocabularies built from data: its Ensembl id, else its symbol. */
    static String keyOf(Modality m, int j) {
        String id = m.geneIds()[j];
        return id != null ? id : m.geneNames()[j];
    }
}
