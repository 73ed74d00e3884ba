package org.scxm.io;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.scxm.data.LazyTable;

/**
 * Sorts a file's gene labels into symbols (geneNames) and Ensembl ids (geneIds): the var index may
 * hold either, and common var columns (gene_ids, feature_name, gene_symbols...) hold the other.
 */
final class GeneIdentifiers {
    private GeneIdentifiers() {}

    /** Ensembl gene ids of any species: ENSG..., ENSMUSG..., optionally with a .version suffix. */
    private static final Pattern ENSEMBL = Pattern.compile("^ENS[A-Z]*G\\d{6,}(\\.\\d+)?$");

    static final List<String> SYMBOL_COLUMNS = List.of(
            "feature_name",
            "gene_symbols",
            "gene_symbol",
            "gene_name",
            "gene_names",
            "symbol",
            "symbols",
            "name",
            "gene");
    static final List<String> ID_COLUMNS =
            List.of("gene_ids", "gene_id", "ensembl_id", "ensembl_ids", "feature_id", "feature_ids", "ensembl", "id");

    static boolean isEnsembl(String s) {
        return s != null && ENSEMBL.matcher(s.toUpperCase(Locale.ROOT)).matches();
    }

    /** True when most non-empty labels are Ensembl ids. */
    static boolean mostlyEnsembl(String[] labels) {
        int ens = 0, n = 0;
        for (String s : labels) {
            if (s == null || s.isEmpty()) continue;
            n++;
            if (isEnsembl(s)) ens++;
        }
        return n > 0 && ens * 2 > n;
    }

    /** Resolved labels: names[j] a symbol (or the id where no symbol is known), ids[j] an Ensembl id or null. */
    record Resolved(String[] names, String[] ids) {}

    static Resolved resolve(String[] index, LazyTable var) {
        String[] symbols = mostlyEnsembl(index) ? null : index;
        String[] ids = mostlyEnsembl(index) ? index : null;
        if (symbols == null) symbols = firstColumn(var, SYMBOL_COLUMNS, false, index.length);
        if (ids == null) ids = firstColumn(var, ID_COLUMNS, true, index.length);
        String[] names = new String[index.length];
        String[] outIds = new String[index.length];
        for (int j = 0; j < index.length; j++) {
            String id = ids == null ? null : ids[j];
            outIds[j] = isEnsembl(id) ? id : null;
            String sym = symbols == null ? null : symbols[j];
            names[j] = sym != null && !sym.isEmpty() ? sym : index[j];
        }
        return new Resolved(names, outIds);
    }

    private static String[] firstColumn(LazyTable var, List<String> candidates, boolean wantEnsembl, int n) {
        if (var == null) return null;
        for (String want : candidates) {
            for (String name : var.columnNames()) {
                if (!name.equalsIgnoreCase(want)) continue;
                String[] v = var.strings(name);
                if (v.length == n && mostlyEnsembl(v) == wantEnsembl) return v;
            }
        }
        return null;
    }
}
