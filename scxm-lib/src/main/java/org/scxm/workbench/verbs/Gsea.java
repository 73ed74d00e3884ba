package org.scxm.workbench.verbs;

import java.util.List;
import java.util.Map;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.plot.AnalysisPlots;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Step;
import tech.tablesaw.api.Table;

/** The gsea verb: preranked GSEA over gene sets (paper 5.3). */
public final class Gsea {
    private Gsea() {}

    /** Preranked GSEA over gene sets with a per-gene ranking (paper 5.3). */
    public static Report run(Step ctx, Options.Gsea o) {
        if (o.options().permutations() < 10)
            throw new ScxmException("permutations=" + o.options().permutations()
                    + " is too few for p-values; use at least 100 (default 1000).");
        String[] genes = o.genes();
        double[] scores = o.scores();
        String source = o.source();
        if (genes == null && "de".equals(o.method())) {
            // ranked by the dataset's last differential expression (e.g. between niche groups of scRNA cells, which
            // have no truth to correlate with)
            DatasetState d = ctx.require(o.dataset());
            Table de = ctx.state().de().get(d.name());
            if (de == null)
                throw new ScxmException("method=de ranks genes by the last DE of '" + d.name() + "': run `de "
                        + d.name() + " groups=niche` first.");
            genes = de.stringColumn("gene").asObjectArray();
            scores = de.doubleColumn("score").asDoubleArray();
            source = "the DE score of " + de.name();
        } else if (genes == null) {
            DatasetState d = ctx.require(o.dataset());
            Table e = d.evaluation();
            if (e == null)
                throw new ScxmException("'" + d.name() + "' has no per-gene correlations: run `evaluate "
                        + Names.asValue(d.name()) + "` first (or give ranking=FILE.tsv).");
            Table rows = e.where(e.stringColumn("method").isEqualTo(o.method()));
            if (rows.rowCount() == 0)
                throw new ScxmException("no method '" + o.method() + "' in the evaluation of '" + d.name()
                        + "'; methods: "
                        + String.join(", ", e.stringColumn("method").unique().asList()) + ".");
            genes = rows.stringColumn("gene").asObjectArray();
            scores = rows.doubleColumn("pearson").asDoubleArray();
            source = o.method() + " Pearson on '" + d.name() + "'";
        }
        Map<String, List<String>> sets = o.sets();
        if (sets == null) {
            sets = ctx.state().demoProgrammes();
            if (sets == null)
                throw new ScxmException("sets=demo needs the demo tissue: run `load demo` first, or give a .gmt file.");
        }
        org.scxm.analysis.Gsea.Result res =
                org.scxm.analysis.Gsea.prerank(genes, scores, sets, o.options(), ctx.progress());
        Table t = res.table();
        t.setName("GSEA ranked by " + source);
        String curve = o.curve() != null ? o.curve() : t.stringColumn("set").get(0);
        return new Report().table(t).figure(AnalysisPlots.enrichment(res, curve));
    }
}
