package org.scxm.model;

import java.util.function.Function;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;

/**
 * What training needs, decoupled from how it was made. The encoder reads tokens and, with an own-panel head, the
 * binarised panels (P columns); the target and what the decoder reconstructs have K columns (K = P for a bulked
 * expression target, the training slide's cell types for a composition target).
 *
 * @param scTokens   tokens of the given scRNA cells (rank value encoding)
 * @param scPanel    scRNA cells' binarised expression on the spatial panel, x_{:G_ST} (nSc x P)
 * @param stTarget   the spatial slide's target z(y): bulked binarised panel or neighbourhood composition (nSt x K)
 * @param stPanel    the spatial slide's own binarised panel y (nSt x P)
 * @param stTokens   tokens of the spatial slide's cells, for L_pair ({@link TrainConfig#lambdaPair}); null without it
 * @param stDecoded  what the decoder reads a spatial target back to, L_ST (nSt x K): the own panel for expression,
 *                   the cell's own type one-hot for a composition
 * @param scDecoded  what the decoder must read a scRNA prediction back to, L_SC (nSc x K), as stDecoded
 * @param scListed   per scRNA cell, whether it takes part in L_SC (false for a cell whose type is not among the
 *                   target's columns, which has no one-hot to read back to); null for all
 */
public record TrainingData(
        Function<int[], TokenBatch> scTokens,
        DenseMatrix scPanel,
        DenseMatrix stTarget,
        DenseMatrix stPanel,
        Function<int[], TokenBatch> stTokens,
        DenseMatrix stDecoded,
        DenseMatrix scDecoded,
        boolean[] scListed) {
    /** Without the spatial slide's tokens: the paper's objective. */
    public TrainingData(
            Function<int[], TokenBatch> scTokens, DenseMatrix scPanel, DenseMatrix stTarget, DenseMatrix stPanel) {
        this(scTokens, scPanel, stTarget, stPanel, null);
    }

    /** A bulked expression target: the decoder reads back the cells' own panels. */
    public TrainingData(
            Function<int[], TokenBatch> scTokens,
            DenseMatrix scPanel,
            DenseMatrix stTarget,
            DenseMatrix stPanel,
            Function<int[], TokenBatch> stTokens) {
        this(scTokens, scPanel, stTarget, stPanel, stTokens, stPanel, scPanel, null);
    }

    public TrainingData {
        if (scPanel.cols() != stPanel.cols())
            throw new ScxmException("the training panels differ in genes (scRNA " + scPanel.cols() + ", spatial "
                    + stPanel.cols() + "); harmonise both on the same spatial panel.");
        if (stTarget.cols() != stDecoded.cols() || stTarget.cols() != scDecoded.cols())
            throw new ScxmException("the target has " + stTarget.cols() + " columns but the decoder reads back "
                    + stDecoded.cols() + " (spatial) and " + scDecoded.cols()
                    + " (scRNA); harmonise and bulk on the same spatial panel or cell types.");
        if (stTarget.rows() != stPanel.rows() || stDecoded.rows() != stPanel.rows())
            throw new ScxmException("the bulked target has " + stTarget.rows() + " cells but the spatial panel "
                    + stPanel.rows() + "; bulk the same slide you train on.");
        if (scDecoded.rows() != scPanel.rows() || (scListed != null && scListed.length != scPanel.rows()))
            throw new ScxmException("the scRNA cells' panel (" + scPanel.rows() + " cells) and what the decoder "
                    + "reads back (" + scDecoded.rows() + ") differ; load and annotate the same cells.");
        if (scPanel.rows() == 0 || stTarget.rows() == 0)
            throw new ScxmException(
                    "training needs scRNA and spatial cells, but one of them has none; check the cell filters.");
    }

    public int scCells() {
        return scPanel.rows();
    }

    public int stCells() {
        return stTarget.rows();
    }

    /** The encoder's own-panel input width P. */
    public int panel() {
        return stPanel.cols();
    }

    /** The target's width K (= {@link #panel()} for a bulked expression target). */
    public int outputs() {
        return stTarget.cols();
    }
}
