package org.scxm.model;

import ai.djl.ndarray.NDArray;

/**
 * The terms of SCXM's objective (paper eq. 5), each written once:
 * min_{G_E,G_D} max_D  L_WGAN + λ_GP·L_GP + λ_ST·L_ST + λ_SC·L_SC.
 * Squared L2 norms sum over the panel and average over cells (as the paper's ‖·‖² reads: summing over
 * genes keeps the consistency terms on the scale of the adversarial term). {@link Trainer} weighs them.
 */
public final class Objective {
    private Objective() {}

    /**
     * The critic's Wasserstein loss (eq. 1, critic side): E[D(G_E(x))] − E[D(z(y))], minimised by D,
     * so that D scores real bulked targets z(y) above generated ones.
     */
    public static NDArray criticLoss(NDArray dReal, NDArray dFake) {
        return dFake.sub(dReal);
    }

    /**
     * The generator's adversarial term (eq. 1, generator side): −E[D(G_E(x))], minimised by G_E.
     * {@code critic} is applied with gradients flowing to its input only (its weights stay fixed here).
     */
    public static NDArray generatorLoss(Mlp critic, NDArray fake) {
        return critic.forward(fake, true).mean().neg();
    }

    /**
     * The gradient penalty (eq. 2): E[(‖∇_ẑ D(ẑ)‖₂ − 1)²] at ẑ = ε·z(y) + (1 − ε)·G_E(x), ε ~ U(0, 1) per
     * cell. The input gradient is built from ordinary ops ({@link Mlp#inputGradient}) so first-order
     * autograd trains D through it.
     */
    public static NDArray gradientPenalty(Mlp critic, NDArray real, NDArray fake, NDArray eps) {
        NDArray mixed = real.mul(eps).add(fake.mul(eps.neg().add(1f)));
        NDArray grad = critic.inputGradient(mixed);
        return grad.square()
                .sum(new int[] {1})
                .add(1e-12f)
                .sqrt()
                .sub(1f)
                .square()
                .mean();
    }

    /** L_ST (eq. 3): ‖G_D(z(y)) − y‖², the decoder reads the bulked spatial panel back to the cell's own binarised panel. */
    public static NDArray reconstruction(Mlp decoder, NDArray bulked, NDArray binarised) {
        return decoder.forward(bulked)
                .sub(binarised)
                .square()
                .sum(new int[] {1})
                .mean();
    }

    /**
     * L_SC (eq. 4): ‖freeze(G_D)(G_E(x)) − x_{:G_ST}‖², the frozen decoder must read the prediction back to
     * the scRNA cell's own binarised panel genes; gradients reach G_E only.
     */
    public static NDArray consistency(Mlp decoder, NDArray prediction, NDArray ownPanel) {
        return decoder.forward(prediction, true)
                .sub(ownPanel)
                .square()
                .sum(new int[] {1})
                .mean();
    }

    /**
     * L_SC over the cells of weight 1 only (a cell of weight 0 has nothing to read back to, e.g. a cell type that is
     * not among the composition's columns): the weighted mean, 0 when the batch has no such cell.
     */
    public static NDArray consistency(Mlp decoder, NDArray prediction, NDArray ownTarget, NDArray weight) {
        NDArray perCell =
                decoder.forward(prediction, true).sub(ownTarget).square().sum(new int[] {1});
        return perCell.mul(weight).sum().div(weight.sum().maximum(1f));
    }

    /**
     * L_pair (not in the paper): ‖G_E(y) − z(y)‖², the generator's prediction for a spatial cell against that cell's
     * own bulked target. Pairs within the spatial slide only; the scRNA cells stay unpaired.
     */
    public static NDArray pair(NDArray prediction, NDArray target) {
        return prediction.sub(target).square().sum(new int[] {1}).mean();
    }
}
