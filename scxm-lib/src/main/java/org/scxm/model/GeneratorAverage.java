package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the generator's trainable weights (encoder and head), the standard way to read
 * a GAN generator's expected output rather than the last step's draw (not in the paper; {@link TrainConfig#ema}).
 * The decoder and critic are training aids and keep their last weights. The average is bias-corrected (as Adam's
 * moments), so early steps are not pulled towards zero. During training the model holds the raw weights; after a
 * {@link Trainer#train} call it holds the average (what predict and save see) and the raw weights wait here, so
 * continuing trains on from where the raw run stopped, in a session or from a checkpoint.
 */
final class GeneratorAverage {
    private static final String RAW = "raw.", SUM = "sum.", COUNT = "__count__";
    private final double decay;
    private final Map<String, Weights> sets = new LinkedHashMap<>();
    /** Decayed sum of the weights per parameter, on the model's device. */
    private final Map<String, NDArray> sum = new LinkedHashMap<>();
    /** The raw weights while the model shows the average; null while it trains. */
    private Map<String, float[]> raw;

    private long count;

    GeneratorAverage(ScxmModel model, double decay) {
        this.decay = decay;
        sets.put("encoder.", model.encoder().weights());
        sets.put("", model.headWeights());
        forEach((key, p) -> {
            NDArray s = p.zerosLike();
            s.setRequiresGradient(false);
            sum.put(key, s);
        });
    }

    private void forEach(java.util.function.BiConsumer<String, NDArray> f) {
        sets.forEach((prefix, w) -> {
            for (String n : w.trainableNames()) f.accept(prefix + n, w.get(n));
        });
    }

    /** Folds the current (raw) weights into the average; after each applied generator step. */
    void update() {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // in-place on arrays beside parameters, as in Adam
        try (NDScope scope = new NDScope()) {
            forEach((key, p) -> sum.get(key).muli((float) decay).addi(p.mul((float) (1 - decay))));
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        count++;
    }

    /** Puts the average into the model, keeping the raw weights here; nothing before the first step. */
    void showAverage() {
        if (raw != null || count == 0) return;
        raw = new LinkedHashMap<>();
        float correction = (float) (1 - Math.pow(decay, count));
        forEach((key, p) -> {
            raw.put(key, p.toFloatArray());
            try (NDScope scope = new NDScope()) {
                p.set(sum.get(key).div(correction).toFloatArray());
            }
        });
    }

    /** Puts the raw weights back to train on. */
    void showRaw() {
        if (raw == null) return;
        forEach((key, p) -> p.set(raw.get(key)));
        raw = null;
    }

    /** State for a checkpoint: the decayed sums, the raw weights when the model shows the average, and the count. */
    Map<String, SafeTensors.Tensor> snapshot(String prefix) {
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        sum.forEach((k, s) ->
                out.put(prefix + SUM + k, new SafeTensors.Tensor(s.getShape().getShape(), s.toFloatArray())));
        if (raw != null)
            forEach((k, p) -> out.put(
                    prefix + RAW + k, new SafeTensors.Tensor(p.getShape().getShape(), raw.get(k))));
        out.put(prefix + COUNT, new SafeTensors.Tensor(new long[] {1}, new float[] {Float.intBitsToFloat((int) count)
        }));
        return out;
    }

    void restore(Map<String, SafeTensors.Tensor> t, String prefix) {
        if (!t.containsKey(prefix + COUNT))
            throw new org.scxm.ScxmException(
                    "the checkpoint was trained without ema but its config asks for it; it is incomplete.");
        sum.forEach((k, s) -> {
            SafeTensors.Tensor v = t.get(prefix + SUM + k);
            if (v == null)
                throw new org.scxm.ScxmException("the checkpoint lacks the weight average of " + k
                        + "; it was saved with another freeze policy.");
            s.set(v.data());
        });
        count = Float.floatToRawIntBits(t.get(prefix + COUNT).data()[0]);
        raw = null;
        if (t.containsKey(prefix + RAW + sum.keySet().iterator().next())) {
            raw = new LinkedHashMap<>();
            for (String k : sum.keySet()) raw.put(k, t.get(prefix + RAW + k).data());
        }
    }
}
