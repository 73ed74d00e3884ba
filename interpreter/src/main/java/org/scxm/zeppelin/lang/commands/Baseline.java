package org.scxm.zeppelin.lang.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.baseline.Method;
import org.scxm.baseline.ScAct;
import org.scxm.baseline.ScActMethod;
import org.scxm.baseline.ScConfluence;
import org.scxm.baseline.ScConfluenceMethod;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

/** `baseline scconfluence|scact`: a comparison method trained on exactly SCXM's data; `evaluate` reports it beside SCXM. */
public final class Baseline implements Command {
    /** Each method by name, built from the paragraph's keys and the seed: a new baseline is one more entry. */
    static final Map<String, BiFunction<Call, Long, Method>> METHODS = new LinkedHashMap<>();

    static {
        METHODS.put("scconfluence", Baseline::scConfluence);
        METHODS.put("scact", Baseline::scAct);
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String usage() {
        return "baseline scconfluence|scact [steps= batch= lr= seed= device=auto|cpu|gpu|gpu:N] (scconfluence: ot_weight=; scact: ae_steps= lambda_cycle= lambda_adv=)";
    }

    @Override
    public String summary() {
        return "train a comparison method (scConfluence-style OT-aligned autoencoders, or scACT-style cycle-consistent adversarial cross maps) on the same data; evaluate shows it beside SCXM";
    }

    @Override
    public List<String> keys() {
        return List.of("steps", "batch", "lr", "seed", "ot_weight", "ae_steps", "lambda_cycle", "lambda_adv", "device");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        String method = call.word(0, "the method (scconfluence or scact)", null).toLowerCase(Locale.ROOT);
        if (!METHODS.containsKey(method))
            throw new ScxmException("unknown baseline '" + method + "'" + Names.didYouMean(method, METHODS.keySet())
                    + "; use " + String.join(" or ", METHODS.keySet()) + ".");
        long seed = call.longValue("seed", ctx.settings().seed());
        Method m = METHODS.get(method).apply(call, seed);
        ctx.render(ctx.wb().baseline(new Options.Baseline(m, call.string("device", null))));
    }

    private static Method scConfluence(Call call, long seed) {
        ScConfluence.Config d = ScConfluence.Config.defaults();
        return new ScConfluenceMethod(new ScConfluence.Config(
                call.integer("steps", d.steps()),
                call.integer("batch", d.batch()),
                call.number("lr", d.lr()),
                d.latent(),
                d.hidden(),
                call.number("ot_weight", d.otWeight()),
                d.eps(),
                d.rho(),
                seed));
    }

    private static Method scAct(Call call, long seed) {
        ScAct.Config d = ScAct.Config.defaults();
        return new ScActMethod(new ScAct.Config(
                call.integer("ae_steps", d.aeSteps()),
                call.integer("steps", d.steps()),
                call.integer("batch", d.batch()),
                call.number("lr", d.lr()),
                d.latent(),
                d.maps(),
                d.dEvery(),
                call.number("lambda_cycle", d.lambdaCycle()),
                call.number("lambda_adv", d.lambdaAdv()),
                seed));
    }
}
