package org.scxm.model;

import java.util.function.Function;
import org.scxm.ScxmException;
import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;

/**
 * What training needs, decoupled from how it was made:
 *
 * @param scTokens   tokens of the given scRNA cells (rank value encoding)
 * @param scPanel    scRNA cells' binarised expression on the spatial panel, x_{:G_ST} (nSc x P)
 * @param stTarget   the spatial slide's bulked binarised panel z(y) (nSt x P)
 * @param stPanel    the spatial slide's own binarised panel y (nSt x P)
 * @param stTokens   tokens of the spatial slide's cells, for L_pair ({@link TrainConfig#lambdaPair}); null without it
 */
public record TrainingData(
        Function<int[], TokenBatch> scTokens,
        DenseMatrix scPanel,
        DenseMatrix stTarget,
        DenseMatrix stPanel,
        Function<int[], TokenBatch> stTokens) {
    /** Without the spatial slide's tokens: the paper's objective. */
    public TrainingData(
            Function<int[], TokenBatch> scTokens, DenseMatrix scPanel, DenseMatrix stTarget, DenseMatrix stPanel) {
        this(scTokens, scPanel, stTarget, stPanel, null);
    }

    public TrainingData {
        if (scPanel.cols() != stTarget.cols() || stTarget.cols() != stPanel.cols())
            throw new ScxmException("the training panels differ in genes (scRNA " + scPanel.cols() + ", bulked target "
                    + stTarget.cols() + ", spatial " + stPanel.cols()
                    + "); harmonise and bulk on the same spatial panel.");
        if (stTarget.rows() != stPanel.rows())
            throw new ScxmException("the bulked target has " + stTarget.rows() + " cells but the spatial panel "
                    + stPanel.rows() + "; bulk the same slide you train on.");
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

    public int panel() {
        return stTarget.cols();
    }
}
