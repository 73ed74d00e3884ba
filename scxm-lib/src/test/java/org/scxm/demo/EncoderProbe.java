package org.scxm.demo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.scxm.Progress;
import org.scxm.data.*;
import org.scxm.model.*;
import org.scxm.tokenize.*;

/** Can the encoder + head learn x -> x_panel supervised? A capacity probe. */
public class EncoderProbe {
    public static void main(String[] a) throws Exception {
        double lr = Double.parseDouble(a[0]);
        DemoTissue d = DemoTissue.generate(0);
        Harmoniser.Harmonised h = Harmoniser.run(d.sc(), d.st(), d.val(), Harmoniser.Options.defaults(), Progress.NONE);
        Modality sc = h.sc();
        GeneformerVocabulary vocab = GeneformerVocabulary.fromData(sc);
        RankValueEncoder enc = new RankValueEncoder(vocab, 512, sc);
        DenseMatrix scPanel = Normalise.binarisedDense(sc.counts().selectCols(h.panelColumns(sc)));
        ScxmConfig cfg = ScxmConfig.paper(new BertConfig(vocab.size(), 64, 2, 4, 128, 512, 2, 1e-12, "relu", 0), 60);
        try (ScxmModel model = new ScxmModel(cfg, 0)) {
            var w = model.encoder().weights();
            if (a.length > 1) w.setTrainable("embeddings.word", true);
            Adam e = new Adam(w, lr, 0.5, 0.9), hd = new Adam(model.headWeights(), lr, 0.5, 0.9);
            Random r = new Random(0);
            for (int s = 0; s < 300; s++) {
                int[] idx = new int[32];
                for (int i = 0; i < 32; i++) idx[i] = r.nextInt(sc.nCells());
                TokenBatch tb = enc.batch(idx);
                float[] target = new float[32 * 60];
                for (int i = 0; i < 32; i++) System.arraycopy(scPanel.data(), idx[i] * 60, target, i * 60, 60);
                float loss;
                try (NDScope sc2 = new NDScope();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = model.encode(tb)
                            .sub(model.manager().create(target, new Shape(32, 60)))
                            .square()
                            .mean();
                    gc.backward(l);
                    loss = l.getFloat();
                }
                e.update();
                hd.update();
                if (s % 30 == 0) System.out.println(s + " " + loss);
            }
        }
    }
}
