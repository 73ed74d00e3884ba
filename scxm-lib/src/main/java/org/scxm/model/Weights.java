package org.scxm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Named parameters of one network, owned by a long-lived NDManager, with a trainable flag each.
 * Names follow Hugging Face conventions so checkpoints load 1:1. Initialisation uses a seeded
 * java.util.Random, so the same seed gives bit-identical weights on every engine.
 */
public final class Weights {
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, Boolean> trainable = new LinkedHashMap<>();

    public Weights(NDManager manager) {
        this.manager = manager;
    }

    public NDManager manager() {
        return manager;
    }

    public NDArray get(String name) {
        NDArray a = params.get(name);
        if (a == null) throw new IllegalStateException("no parameter " + name);
        return a;
    }

    public Map<String, NDArray> all() {
        return params;
    }

    public NDArray add(String name, Shape shape, float[] values) {
        NDArray a = Tensors.of(manager, values, shape);
        a.setName(name);
        params.put(name, a);
        trainable.put(name, true);
        a.setRequiresGradient(true);
        return a;
    }

    /** Registers an array made elsewhere (e.g. straight from a checkpoint's bytes) as a trainable parameter. */
    public NDArray adopt(String name, NDArray a) {
        a.setName(name);
        params.put(name, a);
        trainable.put(name, true);
        a.setRequiresGradient(true);
        return a;
    }

    /** Normal(0, std) entries. */
    public NDArray normal(String name, Shape shape, double std, Random r) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * std);
        return add(name, shape, v);
    }

    /** Uniform(-bound, bound) entries (PyTorch's nn.Linear default with bound 1/sqrt(fan_in)). */
    public NDArray uniform(String name, Shape shape, double bound, Random r) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        return add(name, shape, v);
    }

    public NDArray constant(String name, Shape shape, float value) {
        float[] v = new float[(int) shape.size()];
        java.util.Arrays.fill(v, value);
        return add(name, shape, v);
    }

    /** Freezes or unfreezes every parameter whose name starts with the prefix. */
    public void setTrainable(String prefix, boolean on) {
        for (var e : params.entrySet())
            if (e.getKey().startsWith(prefix)) {
                trainable.put(e.getKey(), on);
                e.getValue().setRequiresGradient(on);
            }
    }

    public boolean isTrainable(String name) {
        return trainable.getOrDefault(name, false);
    }

    public List<String> trainableNames() {
        List<String> out = new ArrayList<>();
        trainable.forEach((k, v) -> {
            if (v) out.add(k);
        });
        return out;
    }

    public long count(boolean onlyTrainable) {
        long n = 0;
        for (var e : params.entrySet())
            if (!onlyTrainable || isTrainable(e.getKey()))
                n += e.getValue().getShape().size();
        return n;
    }

    /** Copies values into existing parameters (shapes must match); keeps gradient flags. */
    public void set(String name, float[] values) {
        NDArray p = get(name);
        p.set(values);
    }

    /** Current values as plain tensors, for checkpoints. */
    public Map<String, SafeTensors.Tensor> snapshot(String prefix) {
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        params.forEach((k, v) ->
                out.put(prefix + k, new SafeTensors.Tensor(v.getShape().getShape(), v.toFloatArray())));
        return out;
    }
}
