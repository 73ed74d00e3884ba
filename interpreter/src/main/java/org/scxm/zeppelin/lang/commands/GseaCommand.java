package org.scxm.zeppelin.lang.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.analysis.Gmt;
import org.scxm.analysis.Gsea;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;

/** `gsea NAME sets=FILE.gmt`: preranked GSEA with the per-gene Pearson of `evaluate` as the ranking (paper 5.3, Table 1). */
public final class GseaCommand extends BaseCommand {
    public GseaCommand() {
        super(
                "gsea",
                "gsea NAME sets=FILE.gmt|demo [ranking=FILE.tsv method=scxm|de permutations=1000 seed=0 min_size=5 max_size=500 curve=SET]",
                "preranked GSEA over gene sets (ES, NES, nominal p, FDR, BH) ranked by per-gene Pearson, or by the last `de` score with method=de; table and enrichment curve",
                "sets ranking method permutations seed min_size max_size curve");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        String setsArg = call.required("sets");
        Map<String, List<String>> sets =
                setsArg.equals("demo") ? null : Gmt.read(ctx.settings().data(setsArg));
        String[] genes = null;
        double[] scores = null;
        String source = null;
        String dataset = null;
        if (call.has("ranking")) {
            Path f = ctx.settings().data(call.string("ranking", null));
            if (!Files.isRegularFile(f))
                throw new ScxmException("ranking file " + f.toAbsolutePath()
                        + " does not exist; give a two-column TSV: gene<TAB>score.");
            List<String[]> rows;
            try {
                rows = Files.readAllLines(f).stream()
                        .filter(l -> !l.isBlank())
                        .map(l -> l.split("\t"))
                        .toList();
            } catch (java.io.IOException e) {
                throw new ScxmException("could not read " + f + ": " + e.getMessage(), e);
            }
            List<String[]> data = rows.stream()
                    .filter(r -> r.length >= 2 && r[1].matches("[-+0-9.eE]+|NaN"))
                    .toList();
            if (data.isEmpty()) throw new ScxmException(f + " has no gene<TAB>score lines.");
            genes = data.stream().map(r -> r[0]).toArray(String[]::new);
            scores = data.stream().mapToDouble(r -> Double.parseDouble(r[1])).toArray();
            source = f.getFileName().toString();
        } else dataset = call.word(0, "the evaluated dataset (e.g. val)", null);
        Gsea.Options o = new Gsea.Options(
                call.integer("min_size", 5),
                call.integer("max_size", 500),
                call.integer("permutations", 1000),
                call.longValue("seed", ctx.settings().seed()));
        ctx.render(ctx.wb()
                .gsea(new Options.Gsea(
                        dataset,
                        sets,
                        call.string("method", "scxm"),
                        genes,
                        scores,
                        source,
                        o,
                        call.string("curve", null))));
    }
}
