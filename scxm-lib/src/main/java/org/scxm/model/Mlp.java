package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Random;

/**
 * A fully connected network: Linear layers with ReLU (or LeakyReLU 0.2 for the critic) between them
 * and an optional sigmoid on the output. Parameter names: {@code <name>.<layer>.weight/bias}.
 */
public final class Mlp {
    public enum Hidden {
        RELU,
        LEAKY_RELU
    }

    static final float LEAK = 0.2f;

    private final String name;
    private final int[] sizes;
    private final Hidden hidden;
    private final boolean sigmoidOut;
    private final Weights w;

    /** @param sizes layer widths from input to output, e.g. {P, 256, 256, 1} is a 3-layer MLP */
    public Mlp(Weights w, String name, int[] sizes, Hidden hidden, boolean sigmoidOut, Random r) {
        this.w = w;
        this.name = name;
        this.sizes = sizes.clone();
        this.hidden = hidden;
        this.sigmoidOut = sigmoidOut;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double bound = 1 / Math.sqrt(sizes[l]);
            w.uniform(name + "." + l + ".weight", new Shape(sizes[l + 1], sizes[l]), bound, r);
            w.uniform(name + "." + l + ".bias", new Shape(sizes[l + 1]), bound, r);
        }
    }

    public int layers() {
        return sizes.length - 1;
    }

    public String name() {
        return name;
    }

    private NDArray weight(int l, boolean detached) {
        NDArray a = w.get(name + "." + l + ".weight");
        return detached ? a.stopGradient() : a;
    }

    private NDArray bias(int l, boolean detached) {
        NDArray a = w.get(name + "." + l + ".bias");
        return detached ? a.stopGradient() : a;
    }

    public NDArray forward(NDArray x) {
        return forward(x, false);
    }

    /** @param detached use the weights as constants: gradients flow to x only (freeze(G_D) of paper eq. 4) */
    public NDArray forward(NDArray x, boolean detached) {
        NDArray h = x;
        for (int l = 0; l < layers(); l++) {
            h = h.getNDArrayInternal()
                    .linear(h, weight(l, detached), bias(l, detached))
                    .singletonOrThrow();
            if (l + 1 < layers()) h = activate(h);
        }
        return sigmoidOut ? Activation.sigmoid(h) : h;
    }

    private NDArray activate(NDArray h) {
        return hidden == Hidden.RELU ? Activation.relu(h) : Activation.leakyRelu(h, LEAK);
    }

    /**
     * dD/dx for a scalar-output MLP without output sigmoid, written as ordinary differentiable ops
     * (the backward pass as forward ops), so a penalty on its norm trains the weights with first-order
     * autograd. The engine's double backward leaks memory (notes/djl.md), so we do not use it.
     * Rows of the result are the input gradients of each sample.
     */
    public NDArray inputGradient(NDArray x) {
        if (sizes[sizes.length - 1] != 1 || sigmoidOut)
            throw new IllegalStateException("input gradient is for scalar critics");
        int n = layers();
        NDArray[] pre = new NDArray[n - 1];
        NDArray h = x;
        for (int l = 0; l < n - 1; l++) {
            pre[l] = h.getNDArrayInternal()
                    .linear(h, weight(l, false), bias(l, false))
                    .singletonOrThrow();
            h = activate(pre[l]);
        }
        NDArray g = weight(n - 1, false); // (1, H): d out / d h_{n-1}
        for (int l = n - 2; l >= 0; l--) {
            g = g.mul(derivative(pre[l])).matMul(weight(l, false)); // through activation, then through the linear map
        }
        return g;
    }

    private NDArray derivative(NDArray pre) {
        NDArray positive = pre.gt(0).toType(pre.getDataType(), false);
        if (hidden == Hidden.RELU) return positive;
        return positive.mul(1.0 - LEAK).add(LEAK);
    }
}
