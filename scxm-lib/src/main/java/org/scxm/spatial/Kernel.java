package org.scxm.spatial;

import org.scxm.ScxmException;

/**
 * Edge weights of the graph convolution (paper 3.1). Weights are normalised per cell in
 * {@link Bulker}, so bulked binarised expression lies in [0, 1].
 * The Gaussian default sigma is half the radius: a neighbour at the edge of a 25 µm
 * neighbourhood then weighs e^-2 ≈ 0.14 of the cell itself, so the nearest ring dominates
 * without the radius becoming irrelevant (the paper names the radius, not sigma).
 */
public interface Kernel {
    double weight(double distance);

    String describe();

    static Kernel gaussian(double sigma) {
        if (!(sigma > 0))
            throw new ScxmException("the Gaussian kernel's sigma must be positive, got " + sigma + " µm.");
        double inv = 1 / (2 * sigma * sigma);
        return new Kernel() {
            public double weight(double d) {
                return Math.exp(-d * d * inv);
            }

            public String describe() {
                return "gaussian(sigma=" + sigma + " µm)";
            }
        };
    }

    static Kernel uniform() {
        return new Kernel() {
            public double weight(double d) {
                return 1;
            }

            public String describe() {
                return "uniform";
            }
        };
    }

    /** Kernel by name ("gaussian" or "uniform"); sigma defaults to radius / 2 when not given (NaN). */
    static Kernel byName(String name, double sigma, double radius) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "gaussian" -> gaussian(Double.isNaN(sigma) ? radius / 2 : sigma);
            case "uniform" -> uniform();
            default -> throw new ScxmException("unknown kernel '" + name + "'; use gaussian or uniform.");
        };
    }
}
