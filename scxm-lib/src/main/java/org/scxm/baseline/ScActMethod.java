package org.scxm.baseline;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.scxm.Progress;

/** scACT as a {@link Method}: cycle-consistent adversarial cross maps, one discriminator head per cell type. */
public record ScActMethod(ScAct.Config config) implements Method {
    @Override
    public String name() {
        return "scact";
    }

    @Override
    public Fit fit(Data d, Device device, Progress progress) {
        String[] labels;
        int[] scLabel, stLabel;
        List<String> notes = new ArrayList<>();
        if (d.scTypes() == null
                || d.stTypes() == null) { // no annotation on one side: one head, as scACT without labels
            labels = new String[0];
            scLabel = new int[d.scExpression().rows()];
            stLabel = new int[d.stTarget().rows()];
            notes.add(
                    "note: " + (d.scTypes() == null ? d.scName() : d.stName())
                            + " has no cell types, so scACT's discriminators use one head for all cells (run `annotate` for cell-type-specific heads).");
        } else {
            Set<String> union = new TreeSet<>(Arrays.asList(d.scTypes()));
            union.addAll(Arrays.asList(d.stTypes()));
            labels = union.toArray(new String[0]);
            List<String> index = Arrays.asList(labels);
            scLabel = Arrays.stream(d.scTypes()).mapToInt(index::indexOf).toArray();
            stLabel = Arrays.stream(d.stTypes()).mapToInt(index::indexOf).toArray();
        }
        ScAct m = new ScAct(d.scExpression().cols(), d.stTarget().cols(), labels, config, device);
        try {
            var losses = m.train(d.scExpression(), scLabel, d.stTarget(), stLabel, progress);
            return new Fit(m::translate, losses, config.aeSteps() + config.steps(), notes, m);
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
    }
}
