package org.scxm.workbench;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.baseline.Tangram;
import org.scxm.baseline.TangramMethod;
import org.scxm.data.DenseMatrix;
import org.scxm.data.SparseMatrix;
import org.scxm.eval.Evaluation;
import org.scxm.eval.KnnLookup;
import org.scxm.eval.SpatialSlideRidge;
import org.scxm.testing.Demo;
import tech.tablesaw.api.Table;

/**
 * What an analyst tries without SCXM, as evaluate and baseline show it: the spatial-slide ridge and the kNN lookup
 * fitted on the training slide, and Tangram's mapping; each row equals the library's own prediction scored the same
 * way.
 */
class AnalystReferencesTest {
    Workbench wb;

    @BeforeEach
    void demo() {
        wb = Demo.modelled(600, 64, 32);
        wb.predict(Options.Predict.of("val"));
    }

    @AfterEach
    void close() {
        wb.close();
    }

    private static SparseMatrix panelCounts(DatasetState d) {
        return d.modality().counts().selectCols(d.panelColumns());
    }

    private static double[] pearson(Table perGene, String method) {
        return perGene.where(perGene.stringColumn("method").isEqualTo(method))
                .doubleColumn("pearson")
                .asDoubleArray();
    }

    private static double[] scored(String method, DenseMatrix prediction, DatasetState val) {
        return Evaluation.perGene(method, prediction, val.target(), val.panel())
                .doubleColumn("pearson")
                .asDoubleArray();
    }

    private static double median(Table summary, String method) {
        return summary.doubleColumn("median_pearson")
                .getDouble(summary.stringColumn("method").indexOf(method));
    }

    @Test
    void evaluateShowsTheTrainingSlideReferencesAsTheLibraryPredictsThemAndFitsThemOnce() {
        Report r = wb.evaluate(Options.Evaluate.of("val"));
        DatasetState st = wb.require("st"), val = wb.require("val");
        SparseMatrix stCounts = panelCounts(st);
        DenseMatrix ridge =
                SpatialSlideRidge.fit(stCounts, st.modality().x(), st.target()).predict(panelCounts(val));
        DenseMatrix knn =
                KnnLookup.fit(stCounts, st.modality().x(), st.target()).predict(panelCounts(val));
        Table perGene = val.evaluation();
        assertArrayEquals(scored("r", ridge, val), pearson(perGene, "spatial-slide ridge"), 1e-9);
        assertArrayEquals(scored("k", knn, val), pearson(perGene, "kNN lookup"), 1e-9);
        for (String kept : List.of("own binarised", "cell-type mean", "paired ridge (supervised)"))
            assertEquals(val.panel().length, pearson(perGene, kept).length, kept + " is still there");

        Table summary = r.table("evaluation summary on 'val'");
        double scxm = median(summary, "scxm"),
                ridgeMedian = median(summary, "spatial-slide ridge"),
                own = median(summary, "own binarised");
        assertTrue(
                r.text()
                        .contains(String.format(
                                Locale.ROOT,
                                "margin over the spatial-slide ridge: %+.3f, over own binarised: %+.3f",
                                scxm - ridgeMedian,
                                scxm - own)),
                r.text());

        Table runs = wb.compare().table("comparison of runs");
        assertEquals(ridgeMedian, runs.doubleColumn("ridge_median").getDouble(0), 1e-12);
        assertEquals(
                median(summary, "kNN lookup"), runs.doubleColumn("knn_median").getDouble(0), 1e-12);
        assertEquals(scxm - ridgeMedian, runs.doubleColumn("margin_over_ridge").getDouble(0), 1e-12);

        State.ReferenceFits fits = wb.state().referenceFits();
        assertNotNull(fits);
        wb.evaluate(Options.Evaluate.of("val").withSplit(HeldOut.Split.HALVES));
        assertSame(fits, wb.state().referenceFits(), "the same training target: the fits are reused");
        wb.bulk(new Options.Bulk(List.of(), 40, "gaussian", Double.NaN, "binarised"));
        wb.predict(Options.Predict.of("val"));
        wb.evaluate(Options.Evaluate.of("val"));
        assertNotSame(fits, wb.state().referenceFits(), "a new target: fitted again");
        assertSame(wb.require("st").target(), wb.state().referenceFits().target());
    }

    @Test
    void aSweepRowsMarginIsItsMeanMinusTheRidgeOnTheTuningHalf() {
        org.scxm.model.TrainConfig tiny = new org.scxm.model.TrainConfig(1, 2, 8, 1e-4, 1e-4, 2, 10, 1, 1, 0, 5, 1);
        Report r = wb.sweep(new Options.Sweep(
                java.util.Map.of("lambda_sc", List.of("1")), 1, tiny, "val", HeldOut.Split.HALVES, null));
        DatasetState st = wb.require("st"), val = wb.require("val");
        int[] tuning =
                HeldOut.halves(val.modality().x(), val.modality().y(), 25).tuning();
        DenseMatrix ridge = SpatialSlideRidge.fit(panelCounts(st), st.modality().x(), st.target())
                .predict(panelCounts(val))
                .selectRows(tuning);
        Table perGene = Evaluation.perGene("r", ridge, val.target().selectRows(tuning), val.panel());
        double ridgeMedian = median(Evaluation.summary(perGene), "r");
        Table t = r.tables().get(0);
        assertEquals(
                t.doubleColumn("mean_median_pearson").getDouble(0) - ridgeMedian,
                t.doubleColumn("margin_over_ridge").getDouble(0),
                1e-9);
        assertTrue(r.text().contains(String.format(Locale.ROOT, "spatial-slide ridge %.3f", ridgeMedian)), r.text());
        Table runs = wb.compare().table("comparison of runs");
        assertEquals(ridgeMedian, runs.doubleColumn("ridge_median").getDouble(0), 1e-9);
    }

    @Test
    void tangramMapsTheValidationAndScRnaCellsAsTheLibraryDoes() {
        Tangram.Config cfg = TangramMethod.defaults().withEpochs(20);
        Report r = wb.baseline(Options.Baseline.of(new TangramMethod(cfg)));
        assertTrue(r.text().contains("Tangram mapped the 600 cells of 'val'"), r.text());
        assertTrue(r.text().contains("and the scRNA cells of 'sc'"), r.text());
        DatasetState st = wb.require("st"), val = wb.require("val"), sc = wb.require("sc");
        DenseMatrix stored = wb.state().baselines().get("val").get("tangram");
        DenseMatrix library;
        try (Tangram t = new Tangram(panelCounts(st), st.target(), cfg)) {
            library = t.map(panelCounts(val), val.cellTypes(), Progress.NONE).prediction();
        }
        assertArrayEquals(library.data(), stored.data(), 1e-5f, "the stored prediction is the library's mapping");

        wb.evaluate(Options.Evaluate.of("val"));
        assertArrayEquals(scored("t", library, val), pearson(wb.require("val").evaluation(), "tangram"), 1e-4);
        DenseMatrix scPred = wb.state().baselines().get("sc").get("tangram");
        assertEquals(sc.nCells(), scPred.rows());
        assertEquals(val.panel().length, scPred.cols());
        Table losses = r.tables().stream()
                .filter(t -> t.name().startsWith("Tangram losses"))
                .findFirst()
                .orElseThrow();
        assertTrue(losses.stringColumn("cells").contains("val")
                && losses.stringColumn("cells").contains("sc"));
    }
}
