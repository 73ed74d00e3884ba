package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.baseline.ScConfluence;
import org.scxm.data.DenseMatrix;
import org.scxm.data.Normalise;
import org.scxm.session.DatasetState;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `baseline scconfluence`: trains a comparison method on exactly the data SCXM uses (harmonised scRNA, the
 * spatial slide's bulked target) and predicts every validation slide; `evaluate` then reports it beside SCXM.
 */
public final class Baseline implements Command {
    static final String KEY = "baselines:";

    @Override public String name() { return "baseline"; }
    @Override public String usage() { return "baseline scconfluence [steps=600 batch=128 lr=3e-3 ot_weight=1 seed=0]"; }
    @Override public String summary() { return "train a comparison method (scConfluence-style OT-aligned autoencoders) on the same data; evaluate shows it beside SCXM"; }
    @Override public List<String> keys() { return List.of("steps", "batch", "lr", "ot_weight", "seed"); }

    @Override public void run(Call call, CommandContext ctx) {
        Torch.threadReady(ctx.settings());
        call.maxWords(1);
        String method = call.word(0, "the method (scconfluence)", null).toLowerCase(java.util.Locale.ROOT);
        if (method.equals("scact"))
            throw new ScxmException("the scACT baseline is not implemented yet in this build; use `baseline scconfluence`.");
        if (!method.equals("scconfluence"))
            throw new ScxmException("unknown baseline '" + method + "'" + org.scxm.session.Names.didYouMean(method, List.of("scconfluence", "scact")) + "; use scconfluence.");
        DatasetState sc = ctx.tx().byRole("sc"), st = ctx.tx().byRole("st");
        if (sc == null || st == null) throw new ScxmException("a baseline needs scRNA cells and a spatial slide: run `load demo` (or load both) first.");
        DenseMatrix stTarget = st.requireTarget();
        ScConfluence.Config d = ScConfluence.Config.defaults();
        ScConfluence.Config cfg = new ScConfluence.Config(call.integer("steps", d.steps()), call.integer("batch", d.batch()), call.number("lr", d.lr()),
                d.latent(), d.hidden(), call.number("ot_weight", d.otWeight()), d.eps(), d.rho(), call.longValue("seed", ctx.settings().seed()));
        var scLog = Normalise.log1pCp10k(sc.modality().counts());
        DenseMatrix scExpr = scLog.toDense();
        DenseMatrix scPanel = Normalise.log1pCp10k(sc.modality().counts().selectCols(Bulk.panelColumns(sc))).toDense();
        DenseMatrix stPanel = Normalise.log1pCp10k(st.modality().counts().selectCols(Bulk.panelColumns(st))).toDense();
        try (ScConfluence model = new ScConfluence(scExpr.cols(), stTarget.cols(), cfg)) {
            Table losses = model.train(scExpr, scPanel, stTarget, stPanel, ctx.progress());
            int done = 0;
            for (DatasetState v : ctx.tx().datasets()) {
                if (!v.role().equals("val") || v.panel() == null) continue;
                if (v.modality().nGenes() != sc.modality().nGenes())
                    throw new ScxmException("'" + v.name() + "' has " + v.modality().nGenes() + " genes but the scRNA encoder expects " + sc.modality().nGenes() + "; run `harmonise` on all modalities together.");
                DenseMatrix pred = model.translate(Normalise.log1pCp10k(v.modality().counts()).toDense());
                @SuppressWarnings("unchecked")
                Map<String, DenseMatrix> prior = ctx.tx().value(KEY + v.name(), Map.class);
                Map<String, DenseMatrix> all = prior == null ? new LinkedHashMap<>() : new LinkedHashMap<>(prior);
                all.put(method, pred);
                ctx.tx().putValue(KEY + v.name(), all);
                done++;
            }
            Table every = losses.where(losses.intColumn("step").remainder(Math.max(1, cfg.steps() / 10)).isEqualTo(0));
            every.setName("scConfluence training losses");
            ctx.table(every);
            ctx.text("trained scconfluence for " + cfg.steps() + " steps and predicted " + done + " validation slide(s); run `evaluate` to compare with SCXM.");
        }
    }

    /** Baseline predictions stored for a dataset (method -> cells x panel). */
    @SuppressWarnings("unchecked")
    static Map<String, DenseMatrix> of(CommandContext ctx, String dataset) {
        Map<String, DenseMatrix> m = ctx.tx().value(KEY + dataset, Map.class);
        return m == null ? Map.of() : m;
    }
}
