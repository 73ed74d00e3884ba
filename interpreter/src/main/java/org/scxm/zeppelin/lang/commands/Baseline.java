package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.baseline.ScAct;
import org.scxm.baseline.ScConfluence;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * `baseline scconfluence|scact`: trains a comparison method on exactly the data SCXM uses (harmonised
 * scRNA, the spatial slide's bulked target) and predicts every validation slide; `evaluate` then reports
 * it beside SCXM.
 */
public final class Baseline implements Command {
    static final String KEY = "baselines:";
    static final List<String> METHODS = List.of("scconfluence", "scact");

    @Override public String name() { return "baseline"; }
    @Override public String usage() { return "baseline scconfluence|scact [steps= batch= lr= seed=] (scconfluence: ot_weight=; scact: ae_steps= lambda_cycle= lambda_adv=)"; }
    @Override public String summary() { return "train a comparison method (scConfluence-style OT-aligned autoencoders, or scACT-style cycle-consistent adversarial cross maps) on the same data; evaluate shows it beside SCXM"; }
    @Override public List<String> keys() { return List.of("steps", "batch", "lr", "seed", "ot_weight", "ae_steps", "lambda_cycle", "lambda_adv"); }

    @Override public void run(Call call, CommandContext ctx) {
        Torch.threadReady(ctx.settings());
        call.maxWords(1);
        String method = call.word(0, "the method (scconfluence or scact)", null).toLowerCase(java.util.Locale.ROOT);
        if (!METHODS.contains(method))
            throw new ScxmException("unknown baseline '" + method + "'" + org.scxm.session.Names.didYouMean(method, METHODS) + "; use scconfluence or scact.");
        DatasetState sc = ctx.tx().byRole("sc"), st = ctx.tx().byRole("st");
        if (sc == null || st == null) throw new ScxmException("a baseline needs scRNA cells and a spatial slide: run `load demo` (or load both) first.");
        DenseMatrix stTarget = st.requireTarget();
        for (DatasetState v : ctx.tx().datasets())
            if (v.role().equals("val") && v.panel() != null && v.modality().nGenes() != sc.modality().nGenes())
                throw new ScxmException("'" + v.name() + "' has " + v.modality().nGenes() + " genes but the scRNA encoder expects " + sc.modality().nGenes() + "; run `harmonise` on all modalities together.");
        DenseMatrix scExpr = Normalise.log1pCp10k(sc.modality().counts()).toDense();
        long seed = call.longValue("seed", ctx.settings().seed());
        if (method.equals("scconfluence")) {
            ScConfluence.Config d = ScConfluence.Config.defaults();
            ScConfluence.Config cfg = new ScConfluence.Config(call.integer("steps", d.steps()), call.integer("batch", d.batch()), call.number("lr", d.lr()),
                    d.latent(), d.hidden(), call.number("ot_weight", d.otWeight()), d.eps(), d.rho(), seed);
            DenseMatrix scPanel = Normalise.log1pCp10k(sc.modality().counts().selectCols(Bulk.panelColumns(sc))).toDense();
            DenseMatrix stPanel = Normalise.log1pCp10k(st.modality().counts().selectCols(Bulk.panelColumns(st))).toDense();
            try (ScConfluence m = new ScConfluence(scExpr.cols(), stTarget.cols(), cfg)) {
                report(ctx, method, m.train(scExpr, scPanel, stTarget, stPanel, ctx.progress()), cfg.steps(), m::translate);
            }
        } else {
            ScAct.Config d = ScAct.Config.defaults();
            ScAct.Config cfg = new ScAct.Config(call.integer("ae_steps", d.aeSteps()), call.integer("steps", d.steps()), call.integer("batch", d.batch()),
                    call.number("lr", d.lr()), d.latent(), d.maps(), d.dEvery(), call.number("lambda_cycle", d.lambdaCycle()), call.number("lambda_adv", d.lambdaAdv()), seed);
            String[] scTypes = sc.cellTypes(), stTypes = st.cellTypes();
            String[] labels;
            int[] scLabel, stLabel;
            if (scTypes == null || stTypes == null) { // no annotation on one side: one discriminator head, as scACT without labels
                labels = new String[0];
                scLabel = new int[sc.nCells()];
                stLabel = new int[st.nCells()];
                ctx.text("note: " + (scTypes == null ? sc.name() : st.name()) + " has no cell types, so scACT's discriminators use one head for all cells (run `annotate` for cell-type-specific heads).");
            } else {
                Set<String> union = new TreeSet<>(Arrays.asList(scTypes));
                union.addAll(Arrays.asList(stTypes));
                labels = union.toArray(new String[0]);
                List<String> index = Arrays.asList(labels);
                scLabel = Arrays.stream(scTypes).mapToInt(index::indexOf).toArray();
                stLabel = Arrays.stream(stTypes).mapToInt(index::indexOf).toArray();
            }
            try (ScAct m = new ScAct(scExpr.cols(), stTarget.cols(), labels, cfg)) {
                report(ctx, method, m.train(scExpr, scLabel, stTarget, stLabel, ctx.progress()), cfg.aeSteps() + cfg.steps(), m::translate);
            }
        }
    }

    /** Predicts every harmonised validation slide with the trained method and shows its loss curve as a table. */
    private static void report(CommandContext ctx, String method, Table losses, int steps, Function<DenseMatrix, DenseMatrix> translate) {
        int done = 0;
        for (DatasetState v : ctx.tx().datasets()) {
            if (!v.role().equals("val") || v.panel() == null) continue;
            DenseMatrix pred = translate.apply(Normalise.log1pCp10k(v.modality().counts()).toDense());
            @SuppressWarnings("unchecked")
            Map<String, DenseMatrix> prior = ctx.tx().value(KEY + v.name(), Map.class);
            Map<String, DenseMatrix> all = prior == null ? new LinkedHashMap<>() : new LinkedHashMap<>(prior);
            all.put(method, pred);
            ctx.tx().putValue(KEY + v.name(), all);
            done++;
        }
        Table every = losses.where(losses.intColumn("step").remainder(Math.max(1, steps / 20)).isEqualTo(0));
        every.setName(losses.name() + " (every " + Math.max(1, steps / 20) + " steps)");
        ctx.table(every);
        ctx.text("trained " + method + " for " + steps + " steps and predicted " + done + " validation slide(s); run `evaluate` to compare with SCXM.");
    }

    /** Baseline predictions stored for a dataset (method -> cells x panel). */
    @SuppressWarnings("unchecked")
    static Map<String, DenseMatrix> of(CommandContext ctx, String dataset) {
        Map<String, DenseMatrix> m = ctx.tx().value(KEY + dataset, Map.class);
        return m == null ? Map.of() : m;
    }
}
