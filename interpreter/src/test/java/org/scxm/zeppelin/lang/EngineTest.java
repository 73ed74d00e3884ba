package org.scxm.zeppelin.lang;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Report;

/** The language end to end on a small demo tissue: what a workshop user types and sees. */
class EngineTest {
    static Engine engine;

    @BeforeAll
    static void pipeline() {
        engine = new Engine(Settings.defaults());
        ok("load demo cells=400 seed=1\nharmonise\nbulk radius=25");
    }

    static Engine.Result ok(String paragraph) {
        Engine.Result r = engine.run(paragraph, Progress.NONE);
        assertTrue(r.ok(), () -> paragraph + " -> " + r.error());
        return r;
    }

    static String error(String paragraph) {
        Engine.Result r = engine.run(paragraph, Progress.NONE);
        assertFalse(r.ok(), paragraph + " should fail");
        return r.error();
    }

    @Test
    void bulkedTargetsAreInUnitRangeAndTheInputIsBinary() {
        DatasetState val = engine.workbench().state().datasets().get("val");
        assertNotNull(val.target());
        assertEquals(val.panel().length, val.target().cols());
        for (float v : val.target().data()) assertTrue(v >= 0 && v <= 1.0001, "target " + v);
        for (float v : val.binarised().data()) assertTrue(v == 0 || v == 1);
    }

    @Test
    void unknownKeySuggestsTheClosest() {
        String e = error("bulk radus=30");
        assertTrue(e.contains("no option 'radus'") && e.contains("'radius'"), e);
    }

    @Test
    void stepBeforeItsPrerequisiteSaysWhatToRun() {
        Engine fresh = new Engine(Settings.defaults());
        Engine.Result r = fresh.run("load demo cells=300\nbulk", Progress.NONE);
        assertTrue(r.error().contains("run `harmonise` first"), r.error());
        assertNull(
                fresh.workbench().state().datasets().get("sc"),
                "a failing paragraph keeps nothing, not even its first line");
        assertTrue(error("predict val").contains("run `tokenize` first"));
    }

    @Test
    void geneNotInPanelNamesNearGenes() {
        String gene = engine.workbench().state().datasets().get("val").panel()[0];
        String typo = gene.substring(0, gene.length() - 1) + (gene.endsWith("X") ? "Y" : "X");
        String e = error("plot spatial val gene=" + typo + " show=input,target");
        assertTrue(e.contains("not in the spatial panel") && e.contains(gene), e);
    }

    @Test
    void failingParagraphLeavesEarlierStateIntact() {
        DatasetState before = engine.workbench().state().datasets().get("st");
        error("bulk radius=50\nplot spatial st gene=NOT_A_GENE");
        assertSame(
                before, engine.workbench().state().datasets().get("st"), "the re-bulk of line 1 must not be committed");
    }

    @Test
    void exportWritesAnH5adWithTheComputedLayers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("val.h5ad");
        ok("export val path=\"" + file + "\"");
        DatasetState val = engine.workbench().state().datasets().get("val");
        var back = org.scxm.io.Readers.load(file, "back", org.scxm.io.LoadOptions.defaults());
        assertEquals(val.nCells(), back.nCells());
        assertArrayEquals(val.panel(), back.geneNames(), "exported genes are the spatial panel");
        assertEquals(val.cellTypes()[7], back.obs().column("cell_type").getString(7));
        var target = org.scxm.io.Readers.load(
                file, "t", org.scxm.io.LoadOptions.defaults().withLayer("target"));
        assertEquals(val.target().get(5, 3), target.counts().get(5, 3), 1e-6);
    }

    @Test
    void aDivergingRunStopsWithASentenceAndKeepsAUsableModel() {
        Engine fresh = new Engine(Settings.defaults());
        Engine.Result setup = fresh.run(
                "load demo cells=300 seed=2\nharmonise\nbulk\ntokenize max_length=64\nmodel m layers=1 hidden=32 width=32 trainable=1",
                Progress.NONE);
        assertTrue(setup.ok(), setup.error());
        // lambda_sc = 1e39 overflows float: the first generator step has an infinite gradient
        Engine.Result r = fresh.run("train steps=3 batch=8 critic=1 warmup=1 lambda_sc=1e39", Progress.NONE);
        assertTrue(r.ok(), r.error());
        String text = r.outputs().stream()
                .filter(o -> o instanceof Report.Text)
                .map(o -> ((Report.Text) o).text())
                .reduce("", String::concat);
        assertTrue(text.contains("training stopped at step 1 of 3") && text.contains("Lower lr"), text);
        Engine.Result p = fresh.run("predict val", Progress.NONE);
        assertTrue(p.ok(), p.error());
        for (float v :
                fresh.workbench().state().datasets().get("val").prediction().data()) assertTrue(Float.isFinite(v));
    }

    @Test
    void modelAndBaselineRunOnTheDeviceTheyAreGivenAndRefuseAnUnknownOne() {
        Engine fresh = new Engine(Settings.defaults());
        Engine.Result r = fresh.run(
                "load demo cells=300 seed=2\nharmonise\nbulk\ntokenize max_length=32\nmodel m layers=1 hidden=16 width=16 trainable=1 device=cpu"
                        + "\nbaseline scconfluence steps=2 device=cpu",
                Progress.NONE);
        assertTrue(r.ok(), r::error);
        assertEquals(
                ai.djl.Device.cpu(), fresh.workbench().modelEntry("m").model().device());
        Engine.Result bad = fresh.run("model t layers=1 hidden=16 width=16 trainable=1 device=tpu", Progress.NONE);
        assertEquals(
                "device 'tpu' is not auto, cpu, gpu or gpu:N (N a GPU index); fix scxm.device or device=.",
                bad.error());
        assertFalse(fresh.workbench().state().models().containsKey("t"));
    }

    @Test
    void quotedValuesAndComments() {
        var st = Parser.parse("%scxm\nniches val gene=CXCR4 type=\"B cell\" # the paper's Fig 5\n\n  # only a comment");
        assertEquals(1, st.size());
        assertEquals("B cell", st.get(0).options().get("type"));
        assertEquals(java.util.List.of("val"), st.get(0).words());
    }

    @Test
    void spatialPlotHasOnePanelPerShownLayerAndASharedScale() {
        String gene = engine.workbench().state().datasets().get("val").panel()[1];
        Engine.Result r = ok("plot spatial val gene=" + gene + " show=input,target");
        var fig = ((Report.Plot) r.outputs().get(0)).figure();
        assertEquals(2, fig.data().size());
        for (var t : fig.data()) {
            var m = t.getAsJsonObject().getAsJsonObject("marker");
            assertEquals(0.0, m.get("cmin").getAsDouble());
            assertEquals(1.0, m.get("cmax").getAsDouble());
        }
        assertEquals(
                "x", fig.layout().getAsJsonObject("yaxis").get("scaleanchor").getAsString(), "equal aspect");
    }
}
