package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch's semantics (torch.optim.Adam: epsilon added after bias correction), written with
 * NDArray ops because DJL's built-in Adam places epsilon differently and keeps its state private, so
 * it could not be checkpointed. State arrays are created once, eagerly, outside any step scope.
 */
public final class Adam {
    private final double lr, beta1, beta2, eps;
    private final Weights weights;
    private final Map<String, NDArray[]> state = new LinkedHashMap<>();
    private long step;

    public Adam(Weights weights, double lr, double beta1, double beta2) {
        this.weights = weights;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = 1e-8;
        for (String n : weights.trainableNames()) {
            NDArray p = weights.get(n);
            NDArray m = p.zerosLike(), v = p.zerosLike();
            m.setRequiresGradient(false);
            v.setRequiresGradient(false);
            state.put(n, new NDArray[] {m, v});
        }
    }

    public long step() {
        return step;
    }

    /** Sets every gradient of this optimiser's parameters to zero (DJL accumulates them). */
    public void zeroGrad() {
        for (String n : state.keySet()) JniUtils.zeroGrad((PtNDArray) weights.get(n));
    }

    /**
     * Squared L2 norm of all current gradients of this optimiser's parameters, in double. Each tensor is
     * scaled by its largest entry before squaring: squares in float overflow beyond |g| = 1.8e19, which
     * would read a large but finite gradient, one that clipping handles, as a divergence. NaN or infinite
     * only when a gradient is.
     */
    public double gradNormSquared() {
        double s = 0;
        try (NDScope scope = new NDScope()) {
            for (String n : state.keySet()) {
                NDArray g = weights.get(n).getGradient();
                double max = g.abs().max().getFloat();
                if (max == 0) continue;
                if (!Double.isFinite(max)) return max;
                s += g.div((float) max).square().sum().getFloat() * max * max;
            }
        }
        return s;
    }

    /** The names of this optimiser's parameters whose gradient holds a NaN or an infinity, in parameter order. */
    public List<String> nonFiniteGradients() {
        List<String> bad = new java.util.ArrayList<>();
        try (NDScope scope = new NDScope()) {
            for (String n : state.keySet()) {
                NDArray g = weights.get(n).getGradient();
                if (g.isNaN().logicalOr(g.isInfinite()).any().getBoolean()) bad.add(n);
            }
        }
        return bad;
    }

    /** Number of parameter tensors this optimiser updates. */
    public int size() {
        return state.size();
    }

    /** One update from the current gradients, then zeroes them. Call outside a GradientCollector. */
    public void update() {
        update(1.0);
    }

    /** One update from the current gradients multiplied by {@code gradScale} (for norm clipping), then zeroes them. */
    public void update(double gradScale) {
        update(gradScale, 1.0);
    }

    /**
     * One update with gradients multiplied by {@code gradScale} and the learning rate by {@code lrScale} (a schedule's
     * factor, e.g. warm-up then linear decay for pretraining), then zeroes the gradients.
     */
    public void update(double gradScale, double lrScale) {
        double lr = this.lr * lrScale;
        step++;
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        // In-place updates of leaf parameters need autograd off; PyTorch's grad mode is per thread and
        // new threads (Zeppelin's paragraph runners) start with it on.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            for (var e : state.entrySet()) {
                NDArray p = weights.get(e.getKey());
                NDArray g = gradScale == 1.0 ? p.getGradient() : p.getGradient().mul(gradScale);
                NDArray m = e.getValue()[0], v = e.getValue()[1];
                m.muli(beta1).addi(g.mul(1 - beta1));
                v.muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray denom = v.div(c2).sqrt().addi(eps);
                p.subi(m.div(c1).divi(denom).muli(lr));
                g.close();
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        zeroGrad();
    }

    /** State as tensors for a checkpoint: m and v per parameter, and the step count. */
    public Map<String, SafeTensors.Tensor> snapshot(String prefix) {
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        state.forEach((k, mv) -> {
            out.put(prefix + k + ".m", new SafeTensors.Tensor(mv[0].getShape().getShape(), mv[0].toFloatArray()));
            out.put(prefix + k + ".v", new SafeTensors.Tensor(mv[1].getShape().getShape(), mv[1].toFloatArray()));
        });
        out.put(
                prefix + "__step__",
                new SafeTensors.Tensor(new long[] {1}, new float[] {Float.intBitsToFloat((int) step)}));
        return out;
    }

    public void restore(Map<String, SafeTensors.Tensor> t, String prefix) {
        state.forEach((k, mv) -> {
            SafeTensors.Tensor m = t.get(prefix + k + ".m"), v = t.get(prefix + k + ".v");
            if (m == null || v == null)
                throw new org.scxm.ScxmException(
                        "the checkpoint lacks optimiser state for " + k + "; it was saved with another freeze policy.");
            mv[0].set(m.data());
            mv[1].set(v.data());
        });
        step = Float.floatToRawIntBits(t.get(prefix + "__step__").data()[0]);
    }

    List<String> names() {
        return List.copyOf(state.keySet());
    }
}
