package org.scxm.zeppelin.lang.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.workbench.HeldOut;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Knobs;

/**
 * `sweep`: a grid of settings x seeds as independent runs of the current model, scored on the validation
 * slide's tuning part: a key with several comma-separated values is a grid axis, one with a single value
 * a fixed setting.
 */
public final class Sweep extends BaseCommand {
    static final List<String> GRID = java.util.stream.Stream.concat(
                    Options.Sweep.TRAIN_KEYS.stream(), Options.Sweep.MODEL_KEYS.stream())
            .toList();

    /** Run lengths and optimiser settings: with one value they are fixed settings of every row (compare's model column). */
    static final List<String> FIXED = List.of("lr", "lr_critic", "critic", "batch", "steps", "warmup");

    /** Keys that are a row's knob even with a single value: every grid key but the fixed settings. */
    static final List<String> KNOBS =
            GRID.stream().filter(k -> !FIXED.contains(k)).toList();

    public Sweep() {
        super(
                "sweep",
                "sweep [lambda_sc=0,1,10 lambda_gp= lambda_st= lambda_adv= lambda_pair= ema= lr= lr_critic= critic= batch= steps= warmup= hidden= layers= width= trainable= own_panel=true,false] "
                        + "[seeds=3 epochs=5 seed=0 dataset=val split=halves|none label=TEXT]",
                "independent runs over a grid of settings, several seeds each, one after another: table of mean and spread of the median per-gene Pearson (tuning part), plot, rows for compare",
                keyList());
    }

    private static List<String> keyList() {
        List<String> k = new ArrayList<>(GRID);
        k.addAll(List.of("seeds", "epochs", "seed", "dataset", "split", "label"));
        return k;
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        Map<String, List<String>> grid = new LinkedHashMap<>();
        for (String k : GRID) {
            List<String> v = call.list(k, null);
            if (v == null) continue;
            if (v.isEmpty())
                throw new ScxmException(k + "= has no values; give them comma-separated, e.g. " + k + "=0,1,10.");
            if (v.size() > 1 || KNOBS.contains(k))
                grid.put(k, v); // a knob names its row even with one value; run lengths stay fixed settings
        }
        ctx.render(ctx.wb()
                .sweep(new Options.Sweep(
                        grid,
                        call.integer("seeds", 3),
                        Knobs.train(call.without(grid.keySet()), ctx.settings()),
                        call.string("dataset", "val"),
                        HeldOut.Split.parse(call.string("split", "halves")),
                        call.string("label", null))));
    }
}
