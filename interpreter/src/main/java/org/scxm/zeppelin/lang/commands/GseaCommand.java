package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.analysis.Gmt;
import org.scxm.analysis.Gsea;
import org.scxm.plot.AnalysisPlots;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** `gsea NAME sets=FILE.gmt`: preranked GSEA with the per-gene Pearson of `evaluate` as the ranking (paper 5.3, Table 1). */
public final class GseaCommand implements Command {
    @Override public String name() { return "gsea"; }
    @Override public String usage() { return "gsea NAME sets=FILE.gmt|demo [ranking=FILE.tsv method=scxm permutations=1000 seed=0 min_size=5 max_size=500 curve=SET]"; }
    @Override public String summary() { return "preranked GSEA over gene sets (ES, NES, nominal p, FDR, BH) ranked by per-gene Pearson; table and enrichment curve"; }
    @Override public List<String> keys() { return List.of("sets", "ranking", "method", "permutations", "seed", "min_size", "max_size", "curve"); }

    @SuppressWarnings("unchecked")
    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        String setsArg = call.required("sets");
        Map<String, List<String>> sets;
        if (setsArg.equals("demo")) {
            sets = ctx.tx().value("demo.programmes", Map.class);
            if (sets == null) throw new ScxmException("sets=demo needs the demo tissue: run `load demo` first, or give a .gmt file.");
        } else sets = Gmt.read(ctx.settings().data(setsArg));
        String[] genes;
        double[] scores;
        String source;
        if (call.has("ranking")) {
            Path f = ctx.settings().data(call.string("ranking", null));
            if (!Files.isRegularFile(f)) throw new ScxmException("ranking file " + f + " does not exist; give a two-column TSV: gene<TAB>score.");
            List<String[]> rows;
            try { rows = Files.readAllLines(f).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList(); }
            catch (java.io.IOException e) { throw new ScxmException("could not read " + f + ": " + e.getMessage(), e); }
            List<String[]> data = rows.stream().filter(r -> r.length >= 2 && r[1].matches("[-+0-9.eE]+|NaN")).toList();
            if (data.isEmpty()) throw new ScxmException(f + " has no gene<TAB>score lines.");
            genes = data.stream().map(r -> r[0]).toArray(String[]::new);
            scores = data.stream().mapToDouble(r -> Double.parseDouble(r[1])).toArray();
            source = f.getFileName().toString();
        } else {
            DatasetState d = ctx.tx().require(call.word(0, "the evaluated dataset (e.g. val)", null));
            Table e = d.evaluation();
            if (e == null) throw new ScxmException("'" + d.name() + "' has no per-gene correlations: run `evaluate " + d.name() + "` first (or give ranking=FILE.tsv).");
            String method = call.string("method", "scxm");
            Table rows = e.where(e.stringColumn("method").isEqualTo(method));
            if (rows.rowCount() == 0) throw new ScxmException("no method '" + method + "' in the evaluation of '" + d.name() + "'; methods: "
                    + String.join(", ", e.stringColumn("method").unique().asList()) + ".");
            genes = rows.stringColumn("gene").asObjectArray();
            scores = rows.doubleColumn("pearson").asDoubleArray();
            source = method + " Pearson on '" + d.name() + "'";
        }
        Gsea.Options o = new Gsea.Options(call.integer("min_size", 5), call.integer("max_size", 500), call.integer("permutations", 1000),
                call.longValue("seed", ctx.settings().seed()));
        if (o.permutations() < 10) throw new ScxmException("permutations=" + o.permutations() + " is too few for p-values; use at least 100 (default 1000).");
        Gsea.Result r = Gsea.prerank(genes, scores, sets, o, ctx.progress());
        Table t = r.table();
        t.setName("GSEA ranked by " + source);
        ctx.table(t);
        String curve = call.string("curve", t.stringColumn("set").get(0));
        ctx.figure(AnalysisPlots.enrichment(r, curve));
    }
}
