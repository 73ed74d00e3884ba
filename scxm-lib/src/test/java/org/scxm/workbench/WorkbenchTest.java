package org.scxm.workbench;

import static org.junit.jupiter.api.Assertions.*;
import static org.scxm.testing.Demo.tiny;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.Names;
import org.scxm.ScxmException;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.data.DenseMatrix;
import org.scxm.eval.Evaluation;
import org.scxm.io.H5adWriter;
import org.scxm.model.TrainConfig;
import org.scxm.testing.Demo;
import tech.tablesaw.api.Table;

/** Experiments a user can trust: independent runs, reloadable checkpoints, consistent state, collapse flags. */
class WorkbenchTest {
    Workbench wb;

    @BeforeEach
    void demo() {
        wb = Demo.modelled(400, 64, 32);
    }

    @AfterEach
    void close() {
        wb.close();
    }

    private Table losses() {
        return wb.state().models().get("m").run().trainer().losses();
    }

    @Test
    void twoTrainsWithTheSameSettingsAreIndependentRunsWithTheSameLosses() {
        wb.train(Options.Train.of(tiny(3, 1)));
        double[] first = losses().doubleColumn("critic").asDoubleArray();
        Report second = wb.train(Options.Train.of(tiny(3, 1)));
        assertArrayEquals(
                first,
                losses().doubleColumn("critic").asDoubleArray(),
                "the second run starts from the same initial weights, not the trained ones");
        assertEquals(3, losses().rowCount(), "a new run has its own loss history");
        assertTrue(second.text().contains("new run"), second.text());
    }

    @Test
    void savedRunContinuedEqualsAnUninterruptedRun(@TempDir Path dir) {
        wb.train(Options.Train.of(tiny(4, 2)));
        double[] uninterrupted = losses().doubleColumn("generator").asDoubleArray();

        wb.train(Options.Train.of(tiny(2, 2)));
        wb.save(new Options.Save(dir.resolve("ck"), null));
        wb.model(Options.Model.checkpoint("m", dir.resolve("ck")));
        Report cont = wb.train(new Options.Train(null, tiny(2, 2), true));
        assertTrue(cont.text().contains("continued the run of 'm' from step 2 to 4"), cont.text());
        assertArrayEquals(
                uninterrupted,
                losses().doubleColumn("generator").asDoubleArray(),
                "save at k, reload, continue to 2k == 2k in one go");

        ScxmException changed =
                assertThrows(ScxmException.class, () -> wb.train(new Options.Train(null, tiny(2, 9), true)));
        assertTrue(changed.getMessage().contains("give only steps="), changed.getMessage());
    }

    @Test
    void aCheckpointOfAnotherPanelOrVocabularyIsRefused(@TempDir Path dir) {
        wb.train(Options.Train.of(tiny(1, 0)));
        wb.save(new Options.Save(dir.resolve("ck"), null));
        wb.tokenize(Options.Tokenize.fromData(32)); // same vocabulary, so still accepted
        wb.model(Options.Model.checkpoint("again", dir.resolve("ck")));
        wb.loadDemo(Options.Demo.of(7).withCells(300)); // other cells: another data-built vocabulary
        wb.harmonise(Options.Harmonise.defaults());
        wb.tokenize(Options.Tokenize.fromData(64));
        ScxmException e =
                assertThrows(ScxmException.class, () -> wb.model(Options.Model.checkpoint("x", dir.resolve("ck"))));
        assertTrue(
                e.getMessage().contains("another vocabulary") || e.getMessage().contains("panel of"), e.getMessage());
        assertFalse(wb.state().models().containsKey("x"), "a refused checkpoint leaves no model behind");
    }

    @Test
    void theExtendedModelReadsPanelGenesTrainsOnTheSpatialSlidesPairsAndReloads(@TempDir Path dir) {
        wb.tokenize(Options.Tokenize.fromData(64).withPanelGenesOnly(true));
        int panel = wb.state().harmonisation().panel().length;
        for (String d : List.of("sc", "st", "val"))
            assertEquals(panel, wb.encoder(wb.require(d)).genesKept(), d + " is ranked on the panel genes only");
        wb.model(Options.Model.small("plus", 0).withShape(1, 32, 32, 1).withOwnPanel(true));
        Report r = wb.train(Options.Train.of(tiny(3, 1).withLambdaPair(30).withEma(0.9)));
        assertTrue(r.text().contains("new run") && r.text().contains("moving average"), r.text());
        wb.predict(Options.Predict.of("val"));
        float[] before = wb.require("val").prediction().data().clone();
        wb.save(new Options.Save(dir.resolve("ck"), null));
        wb.model(Options.Model.checkpoint("again", dir.resolve("ck")));
        assertTrue(wb.modelEntry("again").spec().config().ownPanel(), "the checkpoint keeps the own-panel head");
        wb.predict(Options.Predict.of("val"));
        assertArrayEquals(before, wb.require("val").prediction().data(), "the restored model predicts the same");
        wb.tokenize(Options.Tokenize.fromData(64)); // every gene: not the tokens the run was trained on
        ScxmException e =
                assertThrows(ScxmException.class, () -> wb.model(Options.Model.checkpoint("x", dir.resolve("ck"))));
        assertTrue(e.getMessage().contains("tokenize with genes=panel"), e.getMessage());
    }

    @Test
    void predictingWithSeveralModelsAveragesTheirPredictions() {
        wb.train(Options.Train.of(tiny(2, 0)));
        wb.model(Options.Model.small("other", 1).withShape(1, 32, 32, 1));
        wb.train(new Options.Train("other", tiny(2, 1), false));
        wb.predict(new Options.Predict("val", "m", 64));
        float[] a = wb.require("val").prediction().data().clone();
        wb.predict(new Options.Predict("val", "other", 64));
        float[] b = wb.require("val").prediction().data().clone();
        Report r = wb.predict(new Options.Predict("val", "m, other", 64));
        assertTrue(r.text().contains("'m' (2 steps), 'other' (2 steps), averaged"), r.text());
        float[] mean = wb.require("val").prediction().data();
        assertFalse(java.util.Arrays.equals(a, b), "two seeds, two predictions");
        for (int i = 0; i < mean.length; i++) assertEquals((a[i] + b[i]) / 2, mean[i], 1e-6f);
        ScxmException e =
                assertThrows(ScxmException.class, () -> wb.predict(new Options.Predict("val", "m,nothing", 64)));
        assertArrayEquals(mean, wb.require("val").prediction().data(), "a refused predict keeps the last prediction");
        assertTrue(e.getMessage().contains("nothing"), e.getMessage());
    }

    /** The simplest comparison method: a cell's own panel, binarised (the "own binarised" reference of evaluate). */
    record OwnPanel() implements org.scxm.baseline.Method {
        @Override
        public String name() {
            return "own panel";
        }

        @Override
        public boolean predictsCells() {
            return true;
        }

        @Override
        public Fit fit(Data d, ai.djl.Device device, org.scxm.Progress progress) {
            Table losses = Table.create("own panel losses", tech.tablesaw.api.IntColumn.create("step", new int[] {1}));
            return new Fit(
                    expr -> {
                        DenseMatrix p = expr.selectCols(d.panelColumns());
                        float[] v = p.data();
                        for (int i = 0; i < v.length; i++) v[i] = v[i] > 0 ? 1f : 0f;
                        return p;
                    },
                    losses,
                    1,
                    List.of(),
                    null);
        }
    }

    @Test
    void aNewBaselineIsOneStrategyClassAndEvaluateShowsItBesideScxm() {
        Report r = wb.baseline(Options.Baseline.of(new OwnPanel()));
        assertTrue(r.text().contains("predicted 1 validation slide(s) and the scRNA cells of 'sc'"), r.text());
        DatasetState val = wb.require("val"), sc = wb.require("sc");
        assertArrayEquals(
                val.binarised().data(),
                wb.state().baselines().get("val").get("own panel").data());
        assertArrayEquals(
                sc.binarised().data(),
                wb.state().baselines().get("sc").get("own panel").data());
        wb.predict(Options.Predict.of("val"));
        wb.evaluate(Options.Evaluate.of("val"));
        Table perGene = wb.require("val").evaluation();
        double[] mine = perGene.where(perGene.stringColumn("method").isEqualTo("own panel"))
                .doubleColumn("pearson")
                .asDoubleArray();
        double[] reference = perGene.where(perGene.stringColumn("method").isEqualTo("own binarised"))
                .doubleColumn("pearson")
                .asDoubleArray();
        assertEquals(val.panel().length, mine.length, "one row per panel gene");
        assertArrayEquals(reference, mine, 1e-9, "the method is the own-binarised reference, gene for gene");
    }

    @Test
    void loadingDemoAgainDropsEverythingDerivedAndSaysSo() {
        wb.train(Options.Train.of(tiny(1, 0)));
        wb.predict(Options.Predict.of("val"));
        wb.baseline(Options.Baseline.of(new org.scxm.baseline.ScConfluenceMethod(
                new org.scxm.baseline.ScConfluence.Config(2, 16, 3e-3, 4, 8, 0.1, 0.05, 0.5, 0))));
        assertFalse(wb.state().baselines().isEmpty());
        Report r = wb.loadDemo(Options.Demo.of(0).withCells(300));
        assertTrue(r.text().contains("replaced 'val'") && r.text().contains("baseline predictions"), r.text());
        assertTrue(wb.state().baselines().isEmpty()
                && wb.state().tokens() == null
                && wb.state().harmonisation() == null);
        assertNull(wb.state().datasets().get("val").prediction());
        // and the whole path runs again on the new size
        wb.harmonise(Options.Harmonise.defaults());
        wb.bulk(Options.Bulk.defaults());
        wb.tokenize(Options.Tokenize.fromData(64));
        wb.model(Options.Model.small("m", 0).withShape(1, 32, 32, 1));
        wb.train(Options.Train.of(tiny(1, 0)));
        wb.predict(Options.Predict.of("val"));
        wb.evaluate(Options.Evaluate.of("val"));
    }

    @Test
    void aSecondDatasetOfARoleIsNeverSilentlyIgnored(@TempDir Path dir) {
        Path f = dir.resolve("sc2.h5ad");
        H5adWriter.write(f, wb.state().datasets().get("sc").loaded(), Map.of(), Map.of());
        Report r = wb.load(Options.Load.of(Role.SC, "sc2", f));
        assertTrue(r.text().contains("name the ones to use"), r.text());
        ScxmException e = assertThrows(ScxmException.class, () -> wb.harmonise(Options.Harmonise.defaults()));
        assertTrue(e.getMessage().contains("2 sc datasets (sc, sc2)"), e.getMessage());
        wb.harmonise(new Options.Harmonise("sc2", null, null, 5, 3));
        assertEquals("sc2", wb.state().harmonisation().sc());
        Report dropped = wb.drop("sc2");
        assertTrue(dropped.text().contains("dropped 'sc2'") && wb.state().harmonisation() == null, dropped.text());
    }

    @Test
    void aFailingStepLeavesTheStateAsItWas() {
        State before = wb.state();
        assertThrows(
                ScxmException.class,
                () -> wb.step(org.scxm.Progress.NONE, () -> {
                    wb.train(Options.Train.of(tiny(1, 0)));
                    return wb.require("nope");
                }));
        assertSame(before, wb.state());
        ScxmException e = assertThrows(ScxmException.class, () -> wb.require("vall"));
        assertTrue(e.getMessage().contains("'val'"), e.getMessage());
    }

    @Test
    void theCollapseFlagFiresOnAConstantPrediction() {
        DatasetState val = wb.state().datasets().get("val");
        DenseMatrix flat = new DenseMatrix(val.nCells(), val.panel().length);
        java.util.Random r = new java.util.Random(0);
        for (int i = 0; i < flat.data().length; i++)
            flat.data()[i] = 0.3f + 1e-5f * r.nextFloat(); // near-constant, so Pearson is still defined
        Table perGene = Evaluation.perGene("flat", flat, val.target(), val.panel());
        Table summary = Evaluation.summary(perGene);
        assertEquals("yes", summary.stringColumn("collapsed").get(0));
        assertEquals(1, Evaluation.collapseWarnings(summary).size());
        Table own = Evaluation.summary(Evaluation.perGene("own", val.binarised(), val.target(), val.panel()));
        assertEquals("no", own.stringColumn("collapsed").get(0), "the cell's own panel is not a collapsed predictor");
        // niches refuses to split a near-constant prediction
        wb.step(org.scxm.Progress.NONE, () -> {
            wb.publish(wb.state().withDataset(val.withPrediction(flat, flat)));
            return null;
        });
        String type = val.cellTypes()[0];
        ScxmException e = assertThrows(
                ScxmException.class, () -> wb.niches(new Options.Niches("val", val.panel()[0], type, 0.3, false)));
        assertTrue(e.getMessage().contains("nearly constant"), e.getMessage());
    }

    @Test
    void theCollapseFlagStaysQuietOnATrainedDemoModel() {
        Report trained = wb.train(Options.Train.of(new TrainConfig(1, 150, 16, 1.5e-3, 1e-4, 2, 10, 1, 10, 0, 50, 1)));
        assertFalse(trained.text().contains("collapsed"), trained.text());
        wb.predict(Options.Predict.of("val"));
        Report r =
                wb.evaluate(new Options.Evaluate("val", false, null, Evaluation.SPATIAL_MORANS_I, HeldOut.Split.NONE));
        Table summary = r.tables().get(0);
        assertEquals(
                "no",
                summary.stringColumn("collapsed").get(0),
                () -> "spread " + summary.doubleColumn("spread").get(0));
        assertFalse(r.text().contains("collapsed"), r.text());
    }

    @Test
    void deTakesAnyCategoricalObsColumn() {
        String col = wb.state().datasets().get("val").modality().obs().columnNames().stream()
                .filter(c -> !c.equals("x") && !c.equals("y"))
                .findFirst()
                .orElseThrow();
        String first =
                wb.state().datasets().get("val").modality().obs().column(col).getString(0);
        Report r = wb.de(new Options.De("val", col, first, null, DifferentialExpression.Test.WILCOXON, true, 10));
        assertTrue(r.text().contains(first + " vs rest (" + col + ")"), r.text());
        ScxmException e = assertThrows(
                ScxmException.class,
                () -> wb.de(
                        new Options.De("val", "leiden", "0", null, DifferentialExpression.Test.WILCOXON, true, 10)));
        assertTrue(e.getMessage().contains("not niche, celltype or an obs column"), e.getMessage());
    }

    @Test
    void aSweepRunsEverySettingWithEverySeed() {
        Report r = wb.sweep(new Options.Sweep(
                Map.of("lambda_sc", List.of("0", "1")), 2, tiny(2, 0), "val", HeldOut.Split.HALVES, null));
        Table t = r.tables().get(0);
        assertEquals(
                List.of("lambda_sc=0", "lambda_sc=1"), t.stringColumn("setting").asList());
        assertEquals(2, t.intColumn("seeds").get(0));
        assertTrue(Double.isFinite(t.doubleColumn("sd").getDouble(0)));
        assertEquals(2, wb.state().comparison().runs().rowCount(), "one compare row per setting");
        assertNull(wb.state().models().get("m").run(), "a sweep leaves the model's own run alone");
    }

    /** A folder pretrained on mouse data keeps the data's own genes: tokenising with it must not map them to human. */
    @Test
    void aFolderPretrainedOnMouseDataTokenisesItsOwnGenes(@TempDir Path dir) {
        Path data = Path.of("../data/real/moffitt_hypothalamus");
        try (Workbench w = new Workbench(Workbench.Settings.defaults())) {
            w.load(new Options.Load(
                    Role.SC, "ref", data.resolve("sc.h5ad"), "cell_type", org.scxm.io.LoadOptions.defaults()));
            w.load(new Options.Load(
                    Role.ST,
                    "section",
                    data.resolve("slide_0.21.h5ad"),
                    "cell_type",
                    org.scxm.io.LoadOptions.defaults()));
            w.split(new Options.Split("section", "st", "val", 50));
            w.harmonise(Options.Harmonise.defaults());
            w.tokenize(Options.Tokenize.fromData(32));
            w.pretrain(new Options.Pretrain(
                    dir.resolve("gf"), new org.scxm.model.Pretrainer.Options(1, 16, 2, 32, 3, 8, 1e-3, 0, 0, 0.1)));
            Report r = w.tokenize(Options.Tokenize.fromFolder(dir.resolve("gf")));
            assertTrue(r.text().contains("species: mouse") && r.text().contains("matched as they are"), r.text());
            assertEquals(
                    0,
                    r.tables().get(0).intColumn("genes_missing").getInt(0),
                    "every gene of the data is in its own pretrained vocabulary");
        }
    }

    @Test
    void nearNamesByEditDistance() {
        assertEquals("harmonise", Names.closest("harmonize", List.of("help", "harmonise", "bulk")));
        assertNull(Names.closest("zzzzzz", List.of("help", "bulk")));
        assertEquals(3, Names.distance("kitten", "sitting"));
    }
}
