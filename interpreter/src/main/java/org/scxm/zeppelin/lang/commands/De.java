package org.scxm.zeppelin.lang.commands;

import org.scxm.analysis.DifferentialExpression;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `de NAME`: differential expression between two groups of niches, cell types or any categorical obs column, every gene. */
public final class De extends BaseCommand {
    public De() {
        super(
                "de",
                "de NAME [groups=niche|celltype|OBS_COLUMN group1=clustered group2=isolated|rest test=wilcoxon|welch tie_correct=true top=20]",
                "Wilcoxon rank-sum (or Welch) on log1p CP10k between two groups (niches, cell types or any obs column, as scanpy's rank_genes_groups): table with log2FC, BH-adjusted p, and a volcano plot",
                "groups group1 group2 test tie_correct top");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        DifferentialExpression.Test test =
                call.choice("test", "wilcoxon", "wilcoxon", "welch").equals("welch")
                        ? DifferentialExpression.Test.WELCH
                        : DifferentialExpression.Test.WILCOXON;
        ctx.render(ctx.wb()
                .de(new Options.De(
                        call.word(0, "the dataset (e.g. val)", null),
                        call.string("groups", "niche"),
                        call.string("group1", null),
                        call.string("group2", null),
                        test,
                        call.bool("tie_correct", true),
                        call.integer("top", 20))));
    }
}
