package org.scxm.workbench.verbs;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.data.Normalise;
import org.scxm.plot.AnalysisPlots;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Step;
import tech.tablesaw.api.Table;

/** The de verb: differential expression between two groups of any grouping. */
public final class De {
    private De() {}

    /** Differential expression between two groups of any grouping (niche, cell type, or a categorical obs column). */
    public static Report run(Step ctx, Options.De o) {
        DatasetState d = ctx.require(o.dataset());
        String by = o.groups();
        String[] labels;
        if (by.equals("niche")) {
            labels = d.niches();
            if (labels == null)
                throw new ScxmException("'" + d.name() + "' has no niche groups: run `niches " + Names.asValue(d.name())
                        + " gene=G type=T` first.");
        } else if (by.equals("celltype") || by.equals("cell_type")) labels = d.requireCellTypes();
        else {
            if (!d.modality().obs().containsColumn(by))
                throw new ScxmException("groups=" + by + " is not niche, celltype or an obs column of '" + d.name()
                        + "'" + Names.didYouMean(by, d.modality().obs().columnNames()) + "; its columns: "
                        + String.join(", ", d.modality().obs().columnNames()) + ".");
            var col = d.modality().obs().column(by);
            labels = new String[d.nCells()];
            for (int i = 0; i < labels.length; i++) labels[i] = col.isMissing(i) ? null : col.getString(i);
        }
        String g1 = o.group1() != null ? o.group1() : by.equals("niche") ? "clustered" : null;
        Set<String> present = new TreeSet<>();
        for (String l : labels) if (l != null) present.add(l);
        if (g1 == null)
            throw new ScxmException("name the first group with group1= (one of " + String.join(", ", present) + ").");
        String g2 = o.group2() != null ? o.group2() : by.equals("niche") ? "isolated" : "rest";
        if (!present.contains(g1))
            throw new ScxmException("group1=" + g1 + " is not a group of " + by + " on '" + d.name() + "'"
                    + Names.didYouMean(g1, present) + "; groups: " + String.join(", ", present) + ".");
        if (!g2.equals("rest") && !present.contains(g2))
            throw new ScxmException("group2=" + g2 + " is not a group of " + by + " on '" + d.name() + "'"
                    + Names.didYouMean(g2, present) + "; groups: " + String.join(", ", present) + " (or rest).");
        boolean[] in1 = new boolean[labels.length], in2 = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            in1[i] = g1.equals(labels[i]);
            in2[i] = g2.equals("rest") ? !in1[i] && labels[i] != null : g2.equals(labels[i]);
        }
        ctx.progress().update(0.1, "normalising (log1p CP10k)");
        Table t = DifferentialExpression.run(
                o.test(),
                d.modality().matrix(),
                Normalise::log1pCp10k,
                d.modality().geneNames(),
                in1,
                in2,
                o.tieCorrect());
        t.setName("DE " + g1 + " vs " + g2 + " on '" + d.name() + "'");
        ctx.publish(ctx.state().withDe(d.name(), t));
        return new Report()
                .text(String.format(
                        Locale.ROOT,
                        "%s vs %s (%s): %d genes, %d with BH-adjusted p < 0.05",
                        g1,
                        g2,
                        by,
                        t.rowCount(),
                        t.doubleColumn("pval_adj").isLessThan(0.05).size()))
                .figure(AnalysisPlots.volcano(t, "volcano: " + g1 + " vs " + g2 + " on '" + d.name() + "'"))
                .table(top(t, o.top()));
    }

    private static Table top(Table t, int n) {
        Table shown = t.first(Math.min(Math.max(n, 1), t.rowCount()));
        shown.setName(t.name());
        return shown;
    }
}
