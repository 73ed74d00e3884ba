package org.scxm.zeppelin.lang;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scxm.Progress;
import org.scxm.workbench.Report;

/** The composition target and the checks of dissociated cells, as a user types them. */
class CompositionCommandsTest {
    @Test
    void aCompositionTargetTrainsPredictsEvaluatesPlotsAndCallsNichesOnScRnaCells() {
        Engine engine = new Engine(Settings.defaults());
        Engine.Result r = engine.run(
                "load demo cells=400 seed=1\nharmonise\nbulk target=composition label=cell_type\ntokenize max_length=64\n"
                        + "model m layers=1 hidden=16 width=16 trainable=1 own_panel=true\n"
                        + "train steps=2 batch=8 critic=1 warmup=2\npredict val\nevaluate val\n"
                        + "plot spatial val show=dominant\nplot composition val\npredict sc\nevaluate sc type=Macrophage\n"
                        + "niches sc type=Macrophage composition=\"B cell\" threshold=0",
                Progress.NONE);
        assertTrue(r.ok(), r.error());
        String text = String.join(
                "\n",
                r.outputs().stream()
                        .filter(i -> i instanceof Report.Text)
                        .map(i -> ((Report.Text) i).text())
                        .toList());
        assertTrue(text.contains("composition target: each cell's neighbourhood"), text);
        List<String> tables = r.outputs().stream()
                .filter(i -> i instanceof Report.Tabular)
                .map(i -> ((Report.Tabular) i).table().name())
                .toList();
        assertTrue(tables.stream().anyMatch(n -> n.startsWith("composition evaluation summary on 'val'")), "" + tables);
        assertTrue(tables.stream().anyMatch(n -> n.startsWith("calibration summary")), "" + tables);
        assertTrue(
                tables.stream().anyMatch(n -> n.startsWith("niche groups of Macrophage by the share of B cell")),
                "" + tables);
        Engine.Result bad = engine.run("evaluate sc type=Nope", Progress.NONE);
        assertTrue(bad.error().contains("'Nope' is not a predicted gene or cell type"), bad.error());
        String gene = engine.workbench().state().datasets().get("val").panel()[0];
        Engine.Result geneOnComposition = engine.run("niches val type=Macrophage gene=" + gene, Progress.NONE);
        assertTrue(geneOnComposition.error().contains("composition="), geneOnComposition.error());
        Engine.Result noComp = engine.run("niches sc type=Macrophage", Progress.NONE);
        assertTrue(noComp.error().contains("gene=G"), noComp.error());
    }
}
