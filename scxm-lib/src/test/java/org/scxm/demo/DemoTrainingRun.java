package org.scxm.demo;

import org.scxm.Progress;
import org.scxm.data.*;
import org.scxm.eval.Evaluation;
import org.scxm.model.*;
import org.scxm.spatial.*;
import org.scxm.tokenize.*;
import tech.tablesaw.api.Table;

/** Scratch runner: trains on the demo and prints the evaluation. Args: steps batch lr critic */
public class DemoTrainingRun {
    public static void main(String[] a) {
        int steps = a.length > 0 ? Integer.parseInt(a[0]) : 200;
        int batch = a.length > 1 ? Integer.parseInt(a[1]) : 32;
        double lr = a.length > 2 ? Double.parseDouble(a[2]) : 1e-4;
        int critic = a.length > 3 ? Integer.parseInt(a[3]) : 5;
        long t0 = System.currentTimeMillis();
        DemoTissue d = DemoTissue.generate(0);
        Harmoniser.Harmonised h = Harmoniser.run(d.sc(), d.st(), d.val(), Harmoniser.Options.defaults(), Progress.NONE);
        System.out.println(h.summary().print());
        Kernel k = Kernel.gaussian(12.5);
        Modality st = h.st(), val = h.val(), sc = h.sc();
        SparseMatrix stP = st.counts().selectCols(h.panelColumns(st));
        DenseMatrix stTarget = Bulker.binarised(stP, NeighbourGraph.radius(st.x(), st.y(), 25), k);
        DenseMatrix stPanel = Normalise.binarisedDense(stP);
        SparseMatrix valP = val.counts().selectCols(h.panelColumns(val));
        DenseMatrix valTruth = Bulker.binarised(valP, NeighbourGraph.radius(val.x(), val.y(), 25), k);
        GeneformerVocabulary vocab = GeneformerVocabulary.fromData(sc);
        RankValueEncoder scEnc = new RankValueEncoder(vocab, 512, sc);
        DenseMatrix scPanel = Normalise.binarisedDense(sc.counts().selectCols(h.panelColumns(sc)));
        System.out.printf("prep %d ms; panel %d%n", System.currentTimeMillis() - t0, h.spatialPanel().length);
        int layers = a.length > 4 ? Integer.parseInt(a[4]) : 4, hid = a.length > 5 ? Integer.parseInt(a[5]) : 128;
        ScxmConfig cfg = ScxmConfig.paper(
                new BertConfig(vocab.size(), hid, layers, 4, 2 * hid, 512, 2, 1e-12, "relu", 0),
                h.spatialPanel().length);
        try (ScxmModel model = new ScxmModel(cfg, 0)) {
            System.out.println(model.describe());
            Trainer tr = new Trainer(
                    model,
                    new TrainConfig(
                            1,
                            steps,
                            batch,
                            lr,
                            a.length > 6 ? Double.parseDouble(a[6]) : lr,
                            critic,
                            10,
                            1,
                            a.length > 9 ? Double.parseDouble(a[9]) : 1,
                            0,
                            a.length > 7 ? Integer.parseInt(a[7]) : 200,
                            a.length > 8 ? Double.parseDouble(a[8]) : 1));
            long t1 = System.currentTimeMillis();
            tr.train(new TrainingData(scEnc::batch, scPanel, stTarget, stPanel), (f, msg) -> {
                if (f > 0 && Math.round(f * steps) % Math.max(1, steps / 10) == 0) System.out.println(msg);
            });
            System.out.printf("train %.1f s%n", (System.currentTimeMillis() - t1) / 1e3);
            RankValueEncoder valEnc = new RankValueEncoder(vocab, 512, val);
            Predictor.Prediction p = Predictor.predict(model, valEnc.batches(null, 64), val.nCells(), Progress.NONE);
            String[] types = val.obs().stringColumn("cell_type").asObjectArray();
            Table all = Evaluation.combine(
                    Evaluation.perGene("SCXM", p.bulked(), valTruth, h.spatialPanel()),
                    Evaluation.perGene(
                            "own binarised expression", Normalise.binarisedDense(valP), valTruth, h.spatialPanel()),
                    Evaluation.perGene(
                            "cell-type mean",
                            Evaluation.cellTypeMean(
                                    stTarget, st.obs().stringColumn("cell_type").asObjectArray(), types),
                            valTruth,
                            h.spatialPanel()));
            System.out.println(Evaluation.summary(all).print());
        }
    }
}
