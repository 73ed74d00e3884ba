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
                .text(
                        "reference_median: own binarised; ridge_median and knn_median: the spatial-slide ridge and the kNN"
                                + " lookup, fitted on the training slide's cells; margin_over_ridge = median_pearson - ridge_median;"
                                + " all on the same cells as the row's median.")
                .figure(Distributions.perGene(c.genes(), "pearson", "per-gene Pearson of the model, per run"));
    }
}
