package org.scxm.demo;

import org.scxm.Progress;
import org.scxm.baseline.Tangram;
import org.scxm.data.*;
import org.scxm.eval.Evaluation;
import org.scxm.eval.KnnLookup;
import org.scxm.eval.SpatialSlideRidge;
import org.scxm.spatial.*;
import tech.tablesaw.api.Table;

/**
 * Scratch runner: the spatial-slide ridge, the kNN lookup and Tangram on the demo tissue's validation slide, with
 * their times. Args: epochs (default 1000), demo seed (0), max entries (Tangram's default). Threads: -Dscxm.threads (default 2).
 */
public class TangramDemoRun {
    public static void main(String[] a) {
        int epochs = a.length > 0 ? Integer.parseInt(a[0]) : 1000;
        long seed = a.length > 1 ? Long.parseLong(a[1]) : 0;
        long maxEntries =
                a.length > 2 ? Long.parseLong(a[2]) : Tangram.Config.defaults().maxEntries();
        int threads = Integer.getInteger("scxm.threads", 2);
        org.scxm.model.Torch.threadReady("cpu", threads);
        DemoTissue d = DemoTissue.generate(seed);
        Harmoniser.Harmonised h = Harmoniser.run(d.sc(), d.st(), d.val(), Harmoniser.Options.defaults(), Progress.NONE);
        Kernel k = Kernel.gaussian(12.5);
        Modality st = h.st(), val = h.val(), sc = h.sc();
        SparseMatrix stP = st.counts().selectCols(h.panelColumns(st));
        DenseMatrix stTarget = Bulker.binarised(stP, NeighbourGraph.radius(st.x(), st.y(), 25), k);
        SparseMatrix valP = val.counts().selectCols(h.panelColumns(val));
        DenseMatrix valTruth = Bulker.binarised(valP, NeighbourGraph.radius(val.x(), val.y(), 25), k);
        String[] genes = h.spatialPanel();
        System.out.printf(
                "sc %d, st %d, val %d cells, panel %d; threads %d%n",
                sc.nCells(), st.nCells(), val.nCells(), genes.length, threads);
        long t0 = System.nanoTime();
        SpatialSlideRidge.Fitted ridge = SpatialSlideRidge.fit(stP, st.x(), stTarget);
        DenseMatrix ridgeVal = ridge.predict(valP);
        long t1 = System.nanoTime();
        KnnLookup.Fitted knn = KnnLookup.fit(stP, st.x(), stTarget);
        DenseMatrix knnVal = knn.predict(valP);
        long t2 = System.nanoTime();
        System.out.printf(
                "ridge %.2f s (%s); kNN %.2f s (k=%d, cv %.3f)%n",
                (t1 - t0) / 1e9, ridge.describe(), (t2 - t1) / 1e9, knn.k(), knn.cvScore());
        System.out.println(ridge.crossValidation().print());
        System.out.println(knn.crossValidation().print());
        Table all = Evaluation.combine(
                Evaluation.perGene("spatial-slide ridge", ridgeVal, valTruth, genes),
                Evaluation.perGene("kNN lookup", knnVal, valTruth, genes),
                Evaluation.perGene("own binarised expression", Normalise.binarisedDense(valP), valTruth, genes));
        if (epochs > 0) {
            try (Tangram t = new Tangram(
                    stP, stTarget, Tangram.Config.defaults().withEpochs(epochs).withMaxEntries(maxEntries))) {
                long t3 = System.nanoTime();
                Tangram.Result r = t.map(valP, null, (f, m) -> {
                    if (Math.round(f * epochs) % Math.max(1, epochs / 10) == 0) System.out.println(m);
                });
                long t4 = System.nanoTime();
                System.out.printf(
                        "Tangram: %d val cells (%d mapping rows%s) x %d slide cells x %d genes, %d epochs: %.1f s (%.3f s/epoch), mean gene cosine %.3f%n",
                        val.nCells(),
                        r.mapping().rows(),
                        r.clustered() ? ", clusters" : "",
                        st.nCells(),
                        r.genes().length,
                        epochs,
                        (t4 - t3) / 1e9,
                        (t4 - t3) / 1e9 / epochs,
                        r.meanGeneCosine());
                all = Evaluation.combine(all, Evaluation.perGene("Tangram", r.prediction(), valTruth, genes));
            }
        }
        System.out.println(Evaluation.summary(all).print());
    }
}
