package org.scxm.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scxm.Progress;
import org.scxm.ScxmException;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Panel harmonisation and harmonised cell filtering (paper 4.1-4.2).
 * With a validation slide (panel G_PR): scRNA and validation are sliced to G_SC ∩ G_PR and the
 * spatial slide to G_ST ∩ G_PR. Without one, scRNA keeps its whole gene set and the spatial slide is
 * sliced to G_ST ∩ G_SC. The spatial panel (the model's targets) is the genes shared by all
 * modalities, in the spatial slide's order; cells are filtered on those genes in every modality alike.
 * Genes match by symbol (case-insensitive), then by Ensembl id where symbols differ.
 */
public final class Harmoniser {
    private Harmoniser() {}

    /** @param minCounts minimum total counts over the spatial panel; @param minGenes minimum detected panel genes */
    public record Options(int minCounts, int minGenes) {
        public static Options defaults() {
            return new Options(5, 3);
        }
    }

    /** The harmonised modalities; {@code val} is null when none was given. */
    public record Harmonised(Modality sc, Modality st, Modality val, String[] spatialPanel, Table summary) {
        /** Column indices of the spatial panel genes in a harmonised modality. */
        public int[] panelColumns(Modality m) {
            int[] cols = new int[spatialPanel.length];
            for (int k = 0; k < cols.length; k++) {
                cols[k] = m.geneIndex(spatialPanel[k]);
                if (cols[k] < 0) throw new IllegalStateException(spatialPanel[k] + " missing from " + m.name());
            }
            return cols;
        }
    }

    public static Harmonised run(Modality sc, Modality st, Modality val, Options opts, Progress progress) {
        if (sc == null || st == null)
            throw new ScxmException("harmonise needs an scRNA modality and a spatial slide; load both first.");
        st.requireCoordinates("harmonisation of the spatial slide");
        if (val != null) val.requireCoordinates("evaluation on the validation slide");
        progress.update(0.1, "matching gene panels");
        Modality scH, stH, valH = null;
        if (val != null) {
            int[][] scVal = match(val, sc);
            requireOverlap(scVal[0].length, sc, val);
            valH = val.selectGenes(scVal[0]);
            scH = sc.selectGenes(scVal[1]);
            int[][] stVal = match(valH, st);
            requireOverlap(stVal[0].length, st, val);
            int[] stCols = stVal[1].clone();
            java.util.Arrays.sort(stCols); // keep the spatial slide's own order
            stH = st.selectGenes(stCols);
        } else {
            scH = sc;
            int[][] stSc = match(sc, st);
            requireOverlap(stSc[0].length, st, sc);
            int[] stCols = stSc[1].clone();
            java.util.Arrays.sort(stCols);
            stH = st.selectGenes(stCols);
        }
        // The spatial panel: spatial genes present in every harmonised modality (by symbol or Ensembl id).
        // Matched genes take the spatial slide's symbol everywhere, so later steps can look them up by name.
        int[][] inSc = match(stH, scH);
        java.util.Set<Integer> shared = new java.util.HashSet<>();
        for (int k : inSc[0]) shared.add(k);
        scH = renamed(scH, inSc[1], inSc[0], stH);
        if (valH != null) {
            int[][] inVal = match(stH, valH);
            java.util.Set<Integer> inV = new java.util.HashSet<>();
            for (int k : inVal[0]) inV.add(k);
            shared.retainAll(inV);
            valH = renamed(valH, inVal[1], inVal[0], stH);
        }
        List<String> panel = new ArrayList<>();
        for (int j = 0; j < stH.nGenes(); j++) if (shared.contains(j)) panel.add(stH.geneNames()[j]);
        String[] spatialPanel = panel.toArray(new String[0]);
        progress.update(0.5, "filtering cells on " + spatialPanel.length + " shared spatial genes");

        Table summary = Table.create(
                "harmonisation",
                StringColumn.create("modality"),
                IntColumn.create("cells_in"),
                IntColumn.create("cells_kept"),
                IntColumn.create("genes_in"),
                IntColumn.create("genes_kept"),
                StringColumn.create("genes_rule"));
        Modality[] in = {sc, st, val};
        Modality[] out = {scH, stH, valH};
        String[] rules = val != null
                ? new String[] {"G_SC ∩ G_PR", "G_ST ∩ G_PR", "G_SC ∩ G_PR"}
                : new String[] {"all (no validation slide)", "G_ST ∩ G_SC", ""};
        for (int k = 0; k < 3; k++) {
            if (out[k] == null) continue;
            Normalise.requireCounts(out[k].matrix(), "'" + out[k].name() + "'");
            int[] panelCols = new int[spatialPanel.length];
            for (int p = 0; p < panelCols.length; p++) panelCols[p] = out[k].geneIndex(spatialPanel[p]);
            int[] keep = filterCells(out[k].matrix(), panelCols, opts);
            if (keep.length == 0)
                throw new ScxmException("no cell of '" + out[k].name() + "' has at least " + opts.minCounts()
                        + " counts in " + opts.minGenes() + " of the " + spatialPanel.length
                        + " shared spatial genes; lower min_counts / min_genes or check the panels.");
            out[k] = keep.length == out[k].nCells() ? out[k] : out[k].selectCells(keep);
            summary.stringColumn("modality").append(in[k].name());
            summary.intColumn("cells_in").append(in[k].nCells());
            summary.intColumn("cells_kept").append(out[k].nCells());
            summary.intColumn("genes_in").append(in[k].nGenes());
            summary.intColumn("genes_kept").append(out[k].nGenes());
            summary.stringColumn("genes_rule").append(rules[k]);
            progress.update(0.5 + 0.15 * (k + 1), "filtered " + in[k].name());
        }
        return new Harmonised(out[0], out[1], out[2], spatialPanel, summary);
    }

    /** m with the genes at cols renamed to the reference's symbols at refCols. */
    private static Modality renamed(Modality m, int[] cols, int[] refCols, Modality ref) {
        String[] names = m.geneNames().clone();
        for (int k = 0; k < cols.length; k++) names[cols[k]] = ref.geneNames()[refCols[k]];
        return new Modality(m.name(), m.matrix(), m.cellIds(), names, m.geneIds(), m.lazyObs(), m.x(), m.y());
    }

    private static void requireOverlap(int n, Modality a, Modality b) {
        if (n == 0)
            throw new ScxmException("'" + a.name() + "' and '" + b.name()
                    + "' share no gene (by symbol or Ensembl id); check that both use the same species"
                    + " (map mouse genes with a homology table) and the same naming.");
    }

    /** Genes of {@code ref} found in {@code other}: [0] = columns in ref (ascending), [1] = matching columns in other. */
    static int[][] match(Modality ref, Modality other) {
        Map<String, Integer> bySymbol = new HashMap<>(), byId = new HashMap<>();
        for (int j = 0; j < other.nGenes(); j++) {
            if (other.geneNames()[j] != null) bySymbol.putIfAbsent(other.geneNames()[j].toUpperCase(Locale.ROOT), j);
            if (other.geneIds()[j] != null) byId.putIfAbsent(other.geneIds()[j].toUpperCase(Locale.ROOT), j);
        }
        List<int[]> pairs = new ArrayList<>();
        boolean[] used = new boolean[other.nGenes()];
        for (int j = 0; j < ref.nGenes(); j++) {
            Integer o = ref.geneNames()[j] == null ? null : bySymbol.get(ref.geneNames()[j].toUpperCase(Locale.ROOT));
            if (o == null && ref.geneIds()[j] != null) o = byId.get(ref.geneIds()[j].toUpperCase(Locale.ROOT));
            if (o != null && !used[o]) {
                used[o] = true;
                pairs.add(new int[] {j, o});
            }
        }
        int[][] r = new int[2][pairs.size()];
        for (int k = 0; k < pairs.size(); k++) {
            r[0][k] = pairs.get(k)[0];
            r[1][k] = pairs.get(k)[1];
        }
        return r;
    }

    /** Cells with enough counts and detected genes on the panel; one pass over the rows, chunk by chunk. */
    private static int[] filterCells(RowChunks m, int[] panelCols, Options o) {
        RowChunks panel = m.selectCols(panelCols);
        int[] keep = new int[m.rows()];
        int[] n = {0};
        panel.forEachChunk((first, c) -> {
            for (int i = 0; i < c.rows(); i++) {
                double total = 0;
                int genes = 0;
                float[] v = c.rowValues(i);
                for (int k = c.rowStart(i), e = c.rowEnd(i); k < e; k++)
                    if (v[k] > 0) {
                        total += v[k];
                        genes++;
                    }
                if (total >= o.minCounts() && genes >= o.minGenes()) keep[n[0]++] = first + i;
            }
        });
        return java.util.Arrays.copyOf(keep, n[0]);
    }
}
