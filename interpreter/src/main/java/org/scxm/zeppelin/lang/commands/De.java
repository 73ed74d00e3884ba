package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.data.Normalise;
import org.scxm.plot.AnalysisPlots;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.List;

/** `de NAME`: differential expression between niche groups (or cell types), every gene of the modality. */
public final class De implements Command {
    @Override public String name() { return "de"; }
    @Override public String usage() { return "de NAME [groups=niche|celltype group1=clustered group2=isolated|rest test=wilcoxon|welch tie_correct=true top=20]"; }
    @Override public String summary() { return "Wilcoxon rank-sum (or Welch) on log1p CP10k between two groups: table with log2FC, BH-adjusted p, and a volcano plot"; }
    @Override public List<String> keys() { return List.of("groups", "group1", "group2", "test", "tie_correct", "top"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DatasetState d = ctx.tx().require(call.word(0, "the dataset (e.g. val)", null));
        String by = call.choice("groups", "niche", "niche", "celltype");
        String[] labels = by.equals("niche") ? d.niches() : d.requireCellTypes();
        if (labels == null) throw new ScxmException("'" + d.name() + "' has no niche groups: run `niches " + d.name() + " gene=G type=T` first.");
        String g1 = call.string("group1", by.equals("niche") ? "clustered" : null);
        if (g1 == null) throw new ScxmException("name the first group with group1= (a cell type of '" + d.name() + "').");
        String g2 = call.string("group2", by.equals("niche") ? "isolated" : "rest");
        boolean[] in1 = new boolean[labels.length], in2 = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            in1[i] = g1.equals(labels[i]);
            in2[i] = g2.equals("rest") ? !in1[i] && labels[i] != null : g2.equals(labels[i]);
        }
        DifferentialExpression.Test test = call.choice("test", "wilcoxon", "wilcoxon", "welch").equals("welch")
                ? DifferentialExpression.Test.WELCH : DifferentialExpression.Test.WILCOXON;
        ctx.progress().update(0.1, "normalising (log1p CP10k)");
        Table t = DifferentialExpression.run(test, Normalise.log1pCp10k(d.modality().counts()), d.modality().geneNames(), in1, in2,
                call.bool("tie_correct", true));
        t.setName("DE " + g1 + " vs " + g2 + " on '" + d.name() + "'");
        ctx.tx().putValue("de:" + d.name(), t);
        int top = call.integer("top", 20);
        ctx.text(String.format("%s vs %s: %d genes, %d with BH-adjusted p < 0.05", g1, g2, t.rowCount(),
                t.doubleColumn("pval_adj").isLessThan(0.05).size()));
        ctx.figure(AnalysisPlots.volcano(t, "volcano: " + g1 + " vs " + g2 + " on '" + d.name() + "'"));
        ctx.table(t.first(Math.min(top, t.rowCount())));
    }
}
