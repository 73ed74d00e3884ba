package org.scxm.workbench.verbs;

import org.scxm.ScxmException;
import org.scxm.plot.Distributions;
import org.scxm.workbench.Report;
import org.scxm.workbench.State;

/** Every evaluation side by side, with mean and spread across seeds for sweeps. */
public final class Compare {
    private Compare() {}

    public static Report run(State s) {
        State.Comparison c = s.comparison();
        if (c == null)
            throw new ScxmException("nothing to compare yet: run `evaluate NAME label=...` or `sweep` first.");
        return new Report()
                .table(c.runs())
                .figure(Distributions.perGene(c.genes(), "pearson", "per-gene Pearson of the model, per run"));
    }
}
