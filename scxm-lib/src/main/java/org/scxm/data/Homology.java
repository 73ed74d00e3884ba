package org.scxm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.scxm.ScxmException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Mouse-to-human gene mapping (paper 4.1: mouse genes mapped to human homologues for the model's
 * vocabulary). Reads either the MGI report HMD_HumanPhenotype.rpt (tab-separated, no header:
 * human symbol, human Entrez id, mouse symbol, MGI id, phenotypes) or a two-column TSV
 * {@code mouse_symbol<TAB>human_symbol} (a header line starting with "mouse" is skipped).
 * Only one-to-one pairs are kept: a mouse gene with several human homologues, or a human gene with several
 * mouse homologues (Slco1a1, Slco1a4... -> SLCO1A2), is ambiguous and left out, so no two mouse genes share a human id.
 */
public final class Homology {
    private final Map<String, String> mouseToHuman;

    private Homology(Map<String, String> mouseToHuman) {
        this.mouseToHuman = mouseToHuman;
    }

    public static Homology read(Path file) {
        if (!Files.isRegularFile(file))
            throw new ScxmException("homology table " + file
                    + " does not exist; give the MGI HMD_HumanPhenotype.rpt file or a mouse<TAB>human TSV.");
        Map<String, String> map = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>(), seenHuman = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.toLowerCase(Locale.ROOT).startsWith("mouse")) continue;
                String[] f = line.split("\t", -1);
                String mouse, human;
                if (f.length >= 4 && f[3].startsWith("MGI:")) {
                    human = f[0];
                    mouse = f[2];
                } else if (f.length >= 2) {
                    mouse = f[0];
                    human = f[1];
                } else
                    throw new ScxmException("homology table " + file + " has a line with fewer than two columns: '"
                            + line + "'; expected mouse<TAB>human or the MGI report format.");
                String key = mouse.trim().toUpperCase(Locale.ROOT);
                seen.merge(key, 1, Integer::sum);
                seenHuman.merge(human.trim().toUpperCase(Locale.ROOT), 1, Integer::sum);
                map.put(key, human.trim());
            }
        } catch (IOException e) {
            throw new ScxmException("could not read homology table " + file + ": " + e.getMessage(), e);
        }
        seen.forEach((k, n) -> {
            if (n > 1) map.remove(k);
        });
        map.values().removeIf(h -> seenHuman.get(h.toUpperCase(Locale.ROOT)) > 1);
        if (map.isEmpty())
            throw new ScxmException(
                    "homology table " + file + " holds no mouse-human pairs; check its format (mouse<TAB>human).");
        return new Homology(map);
    }

    /** The human symbol for a mouse symbol (case-insensitive), or null. */
    public String human(String mouseSymbol) {
        return mouseToHuman.get(mouseSymbol.toUpperCase(Locale.ROOT));
    }

    public int size() {
        return mouseToHuman.size();
    }

    /** The MGI human-mouse homology report shipped with the project, relative to the repository root. */
    public static final String MGI_TABLE = "data/homology/mgi_HMD_HumanPhenotype_2025.rpt";

    /** Below this fraction of mapped genes, mouse data through a human model is refused rather than run on a remnant. */
    public static final double DEFAULT_MIN_MAPPED = 0.5;

    /**
     * Mouse genes given human Ensembl ids, for a human model's vocabulary (paper 4.1).
     * @param modality     the same cells and genes; gene names kept (the panel still matches the slide), gene ids set to the
     *                     human Ensembl id, or null where a gene does not map
     * @param ids          the human Ensembl id per gene column, null where none: the keys to tokenise by
     *                     ({@code new RankValueEncoder(vocab, maxLength, modality, ids)}), so no unmapped gene reaches the
     *                     model through a chance match of its upper-cased symbol
     * @param panelMapped  panel genes that map, of {@code panelTotal}
     * @param otherMapped  non-panel genes that map, of {@code otherTotal}
     * @param unmapped     the genes that do not map, with the reason
     */
    public record HumanIds(
            Modality modality,
            String[] ids,
            int panelMapped,
            int panelTotal,
            int otherMapped,
            int otherTotal,
            Table unmapped) {
        /** One line for the user. */
        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "mouse -> human (MGI one-to-one homologues): %d of %d panel genes and %,d of %,d other genes of '%s' map to a human Ensembl id the model knows",
                    panelMapped,
                    panelTotal,
                    otherMapped,
                    otherTotal,
                    modality.name());
        }
    }

    /**
     * Gives mouse genes the human Ensembl ids of their one-to-one homologues.
     * @param m            mouse data, genes by symbol
     * @param humanIdOf    human symbol -> Ensembl id known to the model (e.g. {@code GeneformerVocabulary::tokenIdForName}), null when unknown
     * @param panel        the spatial panel's gene names (may be empty): reported apart, as they are what the model predicts
     * @param minFraction  the least fraction of panel genes, and of all genes, that must map
     * @throws ScxmException when fewer map, naming the counts and what to do
     */
    public HumanIds toHumanIds(
            Modality m, Function<String, String> humanIdOf, java.util.Collection<String> panel, double minFraction) {
        java.util.Set<String> inPanel = new java.util.HashSet<>();
        for (String g : panel) inPanel.add(g.toUpperCase(Locale.ROOT));
        String[] ids = new String[m.nGenes()];
        int pm = 0, pt = 0, om = 0, ot = 0;
        StringColumn gene = StringColumn.create("gene"),
                human = StringColumn.create("human_symbol"),
                reason = StringColumn.create("reason");
        for (int j = 0; j < m.nGenes(); j++) {
            String sym = m.geneNames()[j];
            String h = sym == null ? null : human(sym);
            String id = h == null ? null : humanIdOf.apply(h);
            ids[j] = id;
            boolean p = sym != null && inPanel.contains(sym.toUpperCase(Locale.ROOT));
            if (p) {
                pt++;
                if (id != null) pm++;
            } else {
                ot++;
                if (id != null) om++;
            }
            if (id == null) {
                gene.append(sym);
                human.append(h == null ? "" : h);
                reason.append(
                        h == null
                                ? "no one-to-one human homologue in the MGI table"
                                : "the human homologue is not in the model's vocabulary");
            }
        }
        Table unmapped = Table.create("genes without a human homologue the model knows", gene, human, reason);
        HumanIds out = new HumanIds(
                new Modality(m.name(), m.matrix(), m.cellIds(), m.geneNames(), ids.clone(), m.lazyObs(), m.x(), m.y()),
                ids,
                pm,
                pt,
                om,
                ot,
                unmapped);
        int mapped = pm + om;
        if ((pt > 0 && pm < minFraction * pt) || mapped < minFraction * m.nGenes())
            throw new ScxmException(String.format(
                    Locale.ROOT,
                    "only %d of %d panel genes and %,d of %,d other genes of '%s' map to a human gene the model knows "
                            + "(at least %.0f%% must); check that the genes are mouse symbols and the model's gene name dictionary is loaded, or give species=human for human data.",
                    pm,
                    pt,
                    om,
                    ot,
                    m.name(),
                    100 * minFraction));
        return out;
    }

    /** A guess at the species of a modality's genes, with the evidence in words. */
    public record Species(String species, String evidence) {}

    /**
     * Mouse or human from the genes: Ensembl ids (ENSMUSG vs ENSG) when present, else symbol case (mouse symbols
     * are capitalised, Gad1; human ones upper case, GAD1). "unknown" when neither is clear.
     */
    public static Species detect(Modality m) {
        int mus = 0, hs = 0, mixed = 0, upper = 0;
        for (int j = 0; j < m.nGenes(); j++) {
            String id = m.geneIds() == null ? null : m.geneIds()[j];
            if (id != null && id.startsWith("ENSMUSG")) mus++;
            else if (id != null && id.startsWith("ENSG")) hs++;
            String s = m.geneNames()[j];
            if (s == null || !s.matches(".*[A-Za-z].*")) continue;
            if (s.replace("orf", "").chars().anyMatch(Character::isLowerCase)) mixed++;
            else upper++;
        }
        int n = m.nGenes();
        if (mus > n / 2)
            return new Species(
                    "mouse", String.format(Locale.ROOT, "%d of %d gene ids are mouse Ensembl ids (ENSMUSG)", mus, n));
        if (hs > n / 2)
            return new Species(
                    "human", String.format(Locale.ROOT, "%d of %d gene ids are human Ensembl ids (ENSG)", hs, n));
        if (mixed > 0.8 * (mixed + upper))
            return new Species(
                    "mouse",
                    String.format(
                            Locale.ROOT,
                            "%d of %d gene symbols are capitalised like mouse symbols (Gad1)",
                            mixed,
                            mixed + upper));
        if (upper > 0.8 * (mixed + upper))
            return new Species(
                    "human",
                    String.format(
                            Locale.ROOT,
                            "%d of %d gene symbols are upper case like human symbols (GAD1)",
                            upper,
                            mixed + upper));
        return new Species(
                "unknown",
                String.format(
                        Locale.ROOT,
                        "%d of %d gene symbols are capitalised, the rest upper case",
                        mixed,
                        mixed + upper));
    }

    /** The modality with genes renamed to human symbols; unmapped genes are dropped, duplicates keep the first. */
    public Modality toHuman(Modality m) {
        List<Integer> keep = new ArrayList<>();
        List<String> names = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int j = 0; j < m.nGenes(); j++) {
            String h = human(m.geneNames()[j]);
            if (h != null && used.add(h.toUpperCase(Locale.ROOT))) {
                keep.add(j);
                names.add(h);
            }
        }
        if (keep.isEmpty())
            throw new ScxmException("none of the " + m.nGenes() + " genes of '" + m.name()
                    + "' maps to a human homologue; are they mouse symbols?");
        Modality sliced =
                m.selectGenes(keep.stream().mapToInt(Integer::intValue).toArray());
        // Ensembl ids were mouse ids; drop them so human vocabularies match by symbol.
        return new Modality(
                m.name(),
                sliced.matrix(),
                sliced.cellIds(),
                names.toArray(new String[0]),
                null,
                sliced.lazyObs(),
                sliced.x(),
                sliced.y());
    }
}
