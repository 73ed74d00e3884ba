package org.scxm.baseline;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.*;
import org.scxm.testing.Demo;
import tech.tablesaw.api.Table;

class ScActTest {

    @Test
    void lossesDecreaseCyclesCloseAndTranslationsAreFractions() {
        Demo.Tissue t = Demo.Tissue.generate();
        Harmoniser.Harmonised h = t.h();
        DenseMatrix stTarget = t.stTarget(), scExpr = t.scExpr();
        List<String> types = Arrays.asList(DemoTissue.CELL_TYPES);
        int[] scLabel = h.sc().obs().stringColumn("cell_type").asList().stream()
                .mapToInt(types::indexOf)
                .toArray();
        int[] stLabel = h.st().obs().stringColumn("cell_type").asList().stream()
                .mapToInt(types::indexOf)
                .toArray();
        ScAct.Config cfg = new ScAct.Config(80, 300, 64, 1e-3, 20, 4, 5, 1.0, 1.0, 0);
        try (ScAct m = new ScAct(scExpr.cols(), stTarget.cols(), DemoTissue.CELL_TYPES, cfg)) {
            double cycleBefore = cycleError(m.scCycle(scExpr), cfg.latent());
            Table l = m.train(scExpr, scLabel, stTarget, stLabel, Progress.NONE);
            assertEquals(380, l.rowCount());
            Table ae = l.where(l.stringColumn("stage").isEqualTo("autoencoder")),
                    cross = l.where(l.stringColumn("stage").isEqualTo("cross maps"));
            for (String c : new String[] {"sc_recon", "st_bce"}) {
                double first = ae.doubleColumn(c).first(10).mean(),
                        last = ae.doubleColumn(c).last(10).mean();
                assertTrue(last < first, "autoencoder " + c + " decreases: " + first + " -> " + last);
            }
            double first = cross.doubleColumn("cycle").first(10).mean(),
                    last = cross.doubleColumn("cycle").last(10).mean();
            assertTrue(last < first, "cycle loss decreases: " + first + " -> " + last);
            // the latent cycle u -> F -> G returns near u: its error is a small part of u's own spread
            // (against the latents' own spread: the untrained encoder's latents have another scale, so an error before
            // training is no yardstick)
            double cycleAfter = cycleError(m.scCycle(scExpr), cfg.latent()),
                    spread = betweenCells(m.scCycle(scExpr), cfg.latent());
            assertTrue(
                    cycleAfter < 0.5 * spread,
                    "the cycle error " + cycleAfter + " is under half the distance between two cells' latents " + spread
                            + " (before training: " + cycleBefore + ")");
            double own = closerToOwnOrigin(m.scCycle(scExpr), cfg.latent());
            assertTrue(
                    own > 0.8,
                    "a cycled cell lands nearer its own latent than another cell's for " + own + " of cells (error "
                            + cycleAfter + ")");
            DenseMatrix pred =
                    m.translate(Normalise.log1pCp10k(h.val().counts()).toDense());
            assertEquals(h.val().nCells(), pred.rows());
            assertEquals(stTarget.cols(), pred.cols());
            for (float v : pred.data()) assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void labelsMustCoverEveryCell() {
        ScAct.Config cfg = new ScAct.Config(1, 1, 4, 1e-3, 4, 2, 1, 1, 1, 0);
        try (ScAct m = new ScAct(5, 3, new String[0], cfg)) {
            ScxmException e = assertThrows(
                    ScxmException.class,
                    () -> m.train(new DenseMatrix(6, 5), new int[5], new DenseMatrix(4, 3), new int[4], Progress.NONE));
            assertTrue(e.getMessage().contains("one label per cell"), e.getMessage());
        }
    }

    /** Mean |G(F(u)) − u| over cells and latent dimensions; rows are [u | cycled u]. */
    static double cycleError(DenseMatrix rows, int l) {
        double s = 0;
        for (int i = 0; i < rows.rows(); i++)
            for (int k = 0; k < l; k++) s += Math.abs(rows.get(i, l + k) - rows.get(i, k));
        return s / (rows.rows() * (double) l);
    }

    /** Mean L1 distance per latent dimension between a cell's latent and the next cell's. */
    static double betweenCells(DenseMatrix rows, int l) {
        int n = rows.rows();
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < l; k++) s += Math.abs(rows.get(i, k) - rows.get((i + 1) % n, k));
        return s / (n * (double) l);
    }

    /** Share of cells whose cycled latent is nearer (L1) their own latent than the next cell's. */
    static double closerToOwnOrigin(DenseMatrix rows, int l) {
        int n = rows.rows(), hits = 0;
        for (int i = 0; i < n; i++) {
            int other = (i + 1) % n;
            double own = 0, alien = 0;
            for (int k = 0; k < l; k++) {
                own += Math.abs(rows.get(i, l + k) - rows.get(i, k));
                alien += Math.abs(rows.get(i, l + k) - rows.get(other, k));
            }
            if (own < alien) hits++;
        }
        return hits / (double) n;
    }
}
