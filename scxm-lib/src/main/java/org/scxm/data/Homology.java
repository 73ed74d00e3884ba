package org.scxm.data;

import org.scxm.ScxmException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mouse-to-human gene mapping (paper 4.1: mouse genes mapped to human homologues for the model's
 * vocabulary). Reads either the MGI report HMD_HumanPhenotype.rpt (tab-separated, no header:
 * human symbol, human Entrez id, mouse symbol, MGI id, phenotypes) or a two-column TSV
 * {@code mouse_symbol<TAB>human_symbol} (a header line starting with "mouse" is skipped).
 * Only one-to-one pairs are kept: a mouse gene with several human homologues is ambiguous.
 */
public final class Homology {
    private final Map<String, String> mouseToHuman;

    private Homology(Map<String, String> mouseToHuman) { this.mouseToHuman = mouseToHuman; }

    public static Homology read(Path file) {
        if (!Files.isRegularFile(file))
            throw new ScxmException("homology table " + file + " does not exist; give the MGI HMD_HumanPhenotype.rpt file or a mouse<TAB>human TSV.");
        Map<String, String> map = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.toLowerCase(Locale.ROOT).startsWith("mouse")) continue;
                String[] f = line.split("\t", -1);
                String mouse, human;
                if (f.length >= 4 && f[3].startsWith("MGI:")) { human = f[0]; mouse = f[2]; }
                else if (f.length >= 2) { mouse = f[0]; human = f[1]; }
                else throw new ScxmException("homology table " + file + " has a line with fewer than two columns: '" + line + "'; expected mouse<TAB>human or the MGI report format.");
                String key = mouse.trim().toUpperCase(Locale.ROOT);
                seen.merge(key, 1, Integer::sum);
                map.put(key, human.trim());
            }
        } catch (IOException e) {
            throw new ScxmException("could not read homology table " + file + ": " + e.getMessage(), e);
        }
        seen.forEach((k, n) -> { if (n > 1) map.remove(k); });
        if (map.isEmpty()) throw new ScxmException("homology table " + file + " holds no mouse-human pairs; check its format (mouse<TAB>human).");
        return new Homology(map);
    }

    /** The human symbol for a mouse symbol (case-insensitive), or null. */
    public String human(String mouseSymbol) { return mouseToHuman.get(mouseSymbol.toUpperCase(Locale.ROOT)); }

    public int size() { return mouseToHuman.size(); }

    /** The modality with genes renamed to human symbols; unmapped genes are dropped, duplicates keep the first. */
    public Modality toHuman(Modality m) {
        List<Integer> keep = new ArrayList<>();
        List<String> names = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int j = 0; j < m.nGenes(); j++) {
            String h = human(m.geneNames()[j]);
            if (h != null && used.add(h.toUpperCase(Locale.ROOT))) { keep.add(j); names.add(h); }
        }
        if (keep.isEmpty())
            throw new ScxmException("none of the " + m.nGenes() + " genes of '" + m.name() + "' maps to a human homologue; are they mouse symbols?");
        Modality sliced = m.selectGenes(keep.stream().mapToInt(Integer::intValue).toArray());
        // Ensembl ids were mouse ids; drop them so human vocabularies match by symbol.
        return new Modality(m.name(), sliced.counts(), sliced.cellIds(), names.toArray(new String[0]), null, sliced.obs(), sliced.x(), sliced.y());
    }
}
