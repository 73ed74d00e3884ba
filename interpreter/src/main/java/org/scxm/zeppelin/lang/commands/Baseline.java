package org.scxm.zeppelin.lang.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.baseline.Method;
import org.scxm.baseline.ScAct;
import org.scxm.baseline.ScActMethod;
import org.scxm.baseline.ScConfluence;
import org.scxm.baseline.ScConfluenceMethod;
import org.scxm.baseline.Tangram;
import org.scxm.baseline.TangramMethod;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Settings;
import org.scxm.zeppelin.lang.Usage;

/**
 * `baseline scconfluence|scact|tangram`: a comparison method trained on exactly SCXM's data; `evaluate` reports it
 * beside SCXM.
 */
public final class Baseline extends BaseCommand {
    /** A method's own keys (with their defaults, for the usage line) and how to build it from a paragraph and a seed. */
    record Entry(String keysWithDefaults, BiFunction<Call, Long, Method> build) {
        List<String> keys() {
            List<String> out = new ArrayList<>();
            for (String kv : keysWithDefaults.split(" ")) out.add(kv.substring(0, kv.indexOf('=')));
            return out;
        }
    }

    /** Keys every method takes. */
    static final List<String> SHARED = List.of("seed", "device");

    /** Each method by name: a new baseline is one more entry. */
    static final Map<String, Entry> METHODS = new LinkedHashMap<>();

    static {
        ScConfluence.Config c = ScConfluence.Config.defaults();
        METHODS.put(
                "scconfluence",
                new Entry(
                        "steps=" + c.steps() + " batch=" + c.batch() + " lr=" + Usage.num(c.lr()) + " ot_weight="
                                + Usage.num(c.otWeight()),
                        Baseline::scConfluence));
        ScAct.Config a = ScAct.Config.defaults();
        METHODS.put(
                "scact",
                new Entry(
                        "ae_steps=" + a.aeSteps() + " steps=" + a.steps() + " batch=" + a.batch() + " lr="
                                + Usage.num(a.lr()) + " lambda_cycle=" + Usage.num(a.lambdaCycle()) + " lambda_adv="
                                + Usage.num(a.lambdaAdv()),
                        Baseline::scAct));
        Tangram.Config t = TangramMethod.defaults();
        METHODS.put(
                "tangram",
                new Entry(
                        "epochs=" + t.epochs() + " lr=" + Usage.num(t.lr()) + " lambda_d=" + Usage.num(t.lambdaD())
                                + " lambda_r=" + Usage.num(t.lambdaR()) + " density="
                                + t.density().name().toLowerCase(Locale.ROOT) + "|uniform|none max_entries="
                                + t.maxEntries(),
                        Baseline::tangram));
    }

    public Baseline() {
        super(
                "baseline",
                usageLine(),
                "train a comparison method (scConfluence-style OT-aligned autoencoders, scACT-style cycle-consistent"
                        + " adversarial cross maps, or Tangram's mapping of cells onto the training slide) on the same data;"
                        + " evaluate shows it beside SCXM",
                keyList());
    }

    private static String usageLine() {
        StringBuilder b = new StringBuilder("baseline " + String.join("|", METHODS.keySet()) + " [seed="
                + Settings.defaults().seed() + " device=auto|cpu|gpu|gpu:N]");
        METHODS.forEach((n, e) -> b.append("; ")
                .append(n)
                .append(": [")
                .append(e.keysWithDefaults())
                .append("]"));
        return b.toString();
    }

    private static List<String> keyList() {
        Set<String> all = new LinkedHashSet<>();
        METHODS.values().forEach(e -> all.addAll(e.keys()));
        all.addAll(SHARED);
        return List.copyOf(all);
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        String method = call.word(0, "the method (" + String.join(", ", METHODS.keySet()) + ")", null)
                .toLowerCase(Locale.ROOT);
        if (!METHODS.containsKey(method))
            throw new ScxmException("unknown baseline '" + method + "'" + Names.didYouMean(method, METHODS.keySet())
                    + "; use " + String.join(", ", METHODS.keySet()) + ".");
        Entry e = METHODS.get(method);
        for (String key : call.options().keySet())
            if (!e.keys().contains(key) && !SHARED.contains(key))
                throw new ScxmException("`baseline " + method + "` does not take " + key + "=; it takes "
                        + String.join(", ", e.keys()) + ", " + String.join(", ", SHARED) + ".");
        long seed = call.longValue("seed", ctx.settings().seed());
        Method m = e.build().apply(call, seed);
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

    private static Method tangram(Call call, long seed) {
        Tangram.Config d = TangramMethod.defaults();
        String density = call.choice(
                "density", d.density().name().toLowerCase(Locale.ROOT), "rna_count_based", "uniform", "none");
        return new TangramMethod(new Tangram.Config(
                call.integer("epochs", d.epochs()),
                call.number("lr", d.lr()),
                d.lambdaG1(),
                d.lambdaG2(),
                call.number("lambda_d", d.lambdaD()),
                call.number("lambda_r", d.lambdaR()),
                Tangram.Density.valueOf(density.toUpperCase(Locale.ROOT)),
                call.longValue("max_entries", d.maxEntries()),
                d.maxClusters(),
                seed));
    }
}
