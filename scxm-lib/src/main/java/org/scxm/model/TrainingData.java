package org.scxm.model;

import org.scxm.data.DenseMatrix;
import org.scxm.tokenize.TokenBatch;

import java.util.function.Function;

/**
 * What training needs, decoupled from how it was made:
 *
 * @param scTokens   tokens of the given scRNA cells (rank value encoding)
 * @param scPanel    scRNA cells' binarised expression on the spatial panel, x_{:G_ST} (nSc x P)
 * @param stTarget   the spatial slide's bulked binarised panel z(y) (nSt x P)
 * @param stPanel    the spatial slide's own binarised panel y (nSt x P)
 */
public record TrainingData(Function<int[], TokenBatch> scTokens, DenseMatrix scPanel, DenseMatrix stTarget, DenseMatrix stPanel) {
    public TrainingData {
        if (scPanel.cols() != stTarget.cols() || stTarget.cols() != stPanel.cols())
            throw new IllegalArgumentException("panel sizes differ: " + scPanel.cols() + ", " + stTarget.cols() + ", " + stPanel.cols());
        if (stTarget.rows() != stPanel.rows()) throw new IllegalArgumentException("st target and panel differ in cells");
    }
    public int scCells() { return scPanel.rows(); }
    public int stCells() { return stTarget.rows(); }
    public int panel() { return stTarget.cols(); }
}
