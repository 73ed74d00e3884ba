package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class AdamTest {

    /** An optimiser over one parameter whose gradient is exactly {@code grad} (loss = Σ p·grad). */
    private static double normSquaredOfGradient(float[] grad) {
        try (NDManager m = NDManager.newBaseManager()) {
            Weights w = new Weights(m);
            NDArray p = w.add("p", new Shape(grad.length), new float[grad.length]);
            Adam adam = new Adam(w, 1e-3, 0.5, 0.9);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.mul(Tensors.of(m, grad, new Shape(grad.length))).sum());
            }
            return adam.gradNormSquared();
        }
    }

    @Test
    void aLargeButFiniteGradientHasAFiniteNorm() {
        // squaring 3e19 in float overflows; the norm itself is 5e19, which clipping scales down
        assertEquals(25e38, normSquaredOfGradient(new float[] {3e19f, -4e19f, 0}), 1e33);
        assertEquals(25.0, normSquaredOfGradient(new float[] {3, 0, -4}), 1e-9);
        assertEquals(0.0, normSquaredOfGradient(new float[3]));
    }

    @Test
    void aNonFiniteGradientHasANonFiniteNorm() {
        assertTrue(Double.isNaN(normSquaredOfGradient(new float[] {1, Float.NaN, 2})));
        assertTrue(Double.isInfinite(normSquaredOfGradient(new float[] {1, Float.POSITIVE_INFINITY, 2})));
    }
}
