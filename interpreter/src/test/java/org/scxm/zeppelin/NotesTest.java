package org.scxm.zeppelin;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.zeppelin.lang.Settings;

/** Every shipped note runs headlessly on the demo tissue, so notes never rot. */
class NotesTest {
    static final Path NOTES = Path.of("../notebooks");

    /** A note runner over the default settings with the small demo's forms, printing into {@code text}. */
    private static NoteRunner smallRunner(ByteArrayOutputStream text) {
        NoteRunner runner = new NoteRunner(Settings.defaults(), new PrintStream(text, true));
        DemoForms.SMALL.forEach(runner::withForm);
        return runner;
    }

    /**
     * Every note, one after another in ONE session (Zeppelin's default shared binding), after a differently
     * sized demo with a trained model and a baseline: stale state from an earlier note must never break a later one.
     */
    @Test
    void everyNoteRunsInOneSharedSessionAfterAnotherDemo(@TempDir Path out) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        NoteRunner runner = smallRunner(text);
        Path earlier = out.resolve("earlier.txt");
        Files.writeString(
                earlier,
                "%scxm\nload demo cells=300 seed=3\nharmonise\nbulk\ntokenize max_length=64\nmodel m layers=1 hidden=16 width=16 trainable=1\n"
                        + "train steps=2 batch=8 critic=1 warmup=2\npredict val\nbaseline scconfluence steps=2\n");
        NoteRunner.Outcome first = runner.run(NoteRunner.read(earlier), out.resolve("earlier"));
        assertTrue(first.ok(), () -> first.error() + "\n" + text);
        for (String note : List.of("quickstart", "lung", "breast", "brain", "ablation", "hypothalamus", "osmfish"))
            noteRuns(runner, note, out.resolve(note), text);
    }

    private static void noteRuns(NoteRunner runner, String note, Path out, ByteArrayOutputStream text)
            throws Exception {
        NoteRunner.Outcome o = runner.run(NoteRunner.read(NOTES.resolve(note + ".zpln")), out);
        assertTrue(o.ok(), () -> note + ": " + o.error() + "\n" + text);
        List<Path> html =
                o.files().stream().filter(p -> p.toString().endsWith(".html")).toList();
        assertFalse(html.isEmpty(), "every note draws at least one figure");
        String page = Files.readString(html.get(0));
        assertTrue(
                page.contains("window.Plotly")
                        && page.contains("<script src=\"" + org.scxm.plot.PlotlyHtml.FILE + "\">"),
                "pages load plotly.js from beside them");
        assertFalse(page.contains("plotly.js v4"), "no page carries its own copy");
        try (var files = Files.list(out)) {
            assertEquals(
                    1,
                    files.filter(f -> f.getFileName().toString().startsWith("plotly"))
                            .count(),
                    "one plotly.js per run");
        }
        assertTrue(Files.readString(out.resolve(org.scxm.plot.PlotlyHtml.FILE)).contains("plotly.js v4"));
        if (note.equals("quickstart")) {
            Path summary = o.files().stream()
                    .filter(p -> p.getFileName().toString().matches("\\d+-9-evaluate.*"))
                    .findFirst()
                    .orElseThrow();
            String tsv = Files.readString(summary);
            assertTrue(
                    tsv.startsWith("method\tmedian_pearson")
                            && tsv.split("\n")[0].endsWith("\tmedian_spatial\tspatial_genes"),
                    tsv);
            assertTrue(
                    tsv.contains("scxm\t")
                            && tsv.contains("scconfluence\t")
                            && tsv.contains("scact\t")
                            && tsv.contains("tangram\t")
                            && tsv.contains("spatial-slide ridge\t")
                            && tsv.contains("kNN lookup\t")
                            && tsv.contains("own binarised\t")
                            && tsv.contains("cell-type mean\t")
                            && tsv.contains("paired ridge (supervised)\t"),
                    tsv);
            // the note's one summary: per method, test and tuning medians and the test-half margins
            String heldOut = o.files().stream()
                    .filter(p -> p.getFileName().toString().matches("\\d+-9-evaluate.*\\.tsv"))
                    .map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .filter(t -> t.startsWith("method\ttest_median\ttuning_median\t"
                            + "test_margin_over_own_binarised\ttest_margin_over_ridge\n"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no held-out summary in " + o.files()));
            for (String m : List.of("scxm", "tangram", "own binarised", "spatial-slide ridge", "kNN lookup"))
                assertTrue(heldOut.contains("\n" + m + "\t"), m + " in the held-out summary:\n" + heldOut);
            // downstream: niche counts, a DE table and a GSEA table with the GSEA columns
            Path gsea = o.files().stream()
                    .filter(p -> p.getFileName().toString().matches("\\d+-14-gene-set.*")
                            && p.toString().endsWith(".tsv"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    Files.readString(gsea).startsWith("set\tsize\tes\tnes\tpval\tfdr_q\tpadj_bh"),
                    Files.readString(gsea));
            assertTrue(
                    o.files().stream()
                            .anyMatch(p -> p.getFileName().toString().matches("\\d+-13-differential.*")
                                    && p.toString().endsWith(".html")),
                    "volcano plot");
            // the note ends on the dissociated cells: calibration, niches, DE and GSEA ranked by that DE
            for (String step : List.of(
                    "-predict-the-dissociated-cells-and-che",
                    "-niches-among-the-dissociated-cells",
                    "-differential-expression-between-them",
                    "-gene-set-enrichment-of-that-differenc"))
                assertTrue(
                        o.files().stream()
                                .anyMatch(p -> p.getFileName().toString().contains(step)),
                        step + " in " + o.files());
            Path scGsea = o.files().stream()
                    .filter(p -> p.getFileName().toString().contains("-gene-set-enrichment-of-that-differenc")
                            && p.toString().endsWith(".tsv"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(Files.readString(scGsea).startsWith("set\tsize\tes\tnes"), Files.readString(scGsea));
        }
        if (note.equals("hypothalamus")) {
            String all = text.toString();
            assertTrue(all.contains("split 'section' (5532 cells)"), "the real slide is split into st and val");
            List<String> summaries = new java.util.ArrayList<>();
            for (Path p : o.files())
                if (p.toString().endsWith(".tsv") && Files.readString(p).startsWith("method\tmedian_pearson"))
                    summaries.add(Files.readString(p));
            assertEquals(
                    4,
                    summaries.size(),
                    "a tuning and a test summary for the paper's objective and the extended model");
            for (String tsv : List.of(summaries.get(1), summaries.get(3)))
                for (String m : List.of(
                        "scxm\t",
                        "scconfluence\t",
                        "scact\t",
                        "tangram\t",
                        "spatial-slide ridge\t",
                        "kNN lookup\t",
                        "own binarised\t",
                        "cell-type mean\t",
                        "paired ridge (supervised)\t"))
                    assertTrue(tsv.contains(m), m + " on the held-out test half: " + tsv);
            assertNotEquals(
                    summaries.get(1).lines().filter(l -> l.startsWith("scxm\t")).findFirst(),
                    summaries.get(3).lines().filter(l -> l.startsWith("scxm\t")).findFirst(),
                    "the extended model is another prediction than the paper's");
        }
        if (note.equals("osmfish")) {
            assertTrue(
                    text.toString().contains("split 'section' (4363 cells)"),
                    "the osmFISH section is split into st and val");
            long summaries = o.files().stream()
                    .filter(p -> p.toString().endsWith(".tsv"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).startsWith("method\tmedian_pearson");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .count();
            assertEquals(
                    4, summaries, "a tuning and a test summary for the paper's objective and the recommended SCXM");
        }
        if (note.equals("ablation")) {
            Path cmp = o.files().stream()
                    .filter(p -> p.getFileName().toString().contains("-comparison-1.tsv"))
                    .findFirst()
                    .orElseThrow();
            List<String> rows = Files.readAllLines(cmp);
            assertTrue(rows.get(0).endsWith("\tpart\tseeds\tsd_across_seeds"), rows.get(0));
            assertEquals(
                    14,
                    rows.stream().filter(r -> r.contains("\ttuning\t2\t")).count(),
                    "one 2-seed sweep row on the tuning half per ablation setting: " + rows);
            assertTrue(rows.get(0).startsWith("label\tdataset\tbulk\tmodel\tmedian_pearson"), rows.get(0));
            assertTrue(rows.stream().anyMatch(r -> r.contains("radius=50.0")), "the radius knob shows in its row");
            assertTrue(rows.stream().anyMatch(r -> r.contains("lambda_sc=0")), "the λ_SC knob shows in its row");
            assertTrue(rows.stream().anyMatch(r -> r.startsWith("ema=0.98\t")), "the weight average has its row");
        }
    }

    /**
     * The recipe notes' paper lines (a pretrained folder that brings its tokenizer) run when uncommented: on a
     * small folder that `pretrain` writes from the demo's scRNA cells, in place of Geneformer V2.
     */
    @Test
    void recipeNotesPaperLinesRunOnAPretrainedFolder(@TempDir Path out) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        NoteRunner runner = smallRunner(text);
        Path folder = out.resolve("gf-small");
        Path pre = out.resolve("pretrain.txt");
        Files.writeString(
                pre,
                "%scxm\nload demo cells=600 seed=0\nharmonise\ntokenize vocab=data max_length=64\n" + "pretrain path="
                        + folder + " layers=1 hidden=32 heads=2 steps=10 batch=8\n");
        NoteRunner.Outcome made = runner.run(NoteRunner.read(pre), out.resolve("pre"));
        assertTrue(made.ok(), () -> made.error() + "\n" + text);
        assertTrue(Files.isRegularFile(folder.resolve("config.json"))
                && Files.isRegularFile(folder.resolve("model.safetensors")));
        runner.withForm("model_folder", folder.toString());
        for (String note : List.of("lung", "breast", "brain")) {
            com.google.gson.JsonObject d = com.google.gson.JsonParser.parseString(
                            Files.readString(NOTES.resolve(note + ".zpln")))
                    .getAsJsonObject();
            int switched = 0;
            for (var e : d.getAsJsonArray("paragraphs")) {
                com.google.gson.JsonObject p = e.getAsJsonObject();
                String t = p.get("text").getAsString();
                if (!t.contains("# tokenize vocab=${model_folder")) continue;
                StringBuilder b = new StringBuilder();
                boolean demoLines = false;
                for (String line : t.split("\n")) {
                    if (line.startsWith("# demo switch")) {
                        demoLines = true;
                        continue;
                    }
                    if (demoLines) continue; // the active demo lines go, the paper's come in
                    b.append(line.startsWith("# tokenize ") || line.startsWith("# model ") ? line.substring(2) : line)
                            .append('\n');
                }
                p.addProperty("text", b.toString());
                switched++;
            }
            assertEquals(1, switched, note + " has one paper model paragraph");
            Path file = out.resolve(note + "-paper.zpln");
            Files.writeString(file, d.toString());
            NoteRunner.Outcome o = runner.run(NoteRunner.read(file), out.resolve(note));
            assertTrue(o.ok(), () -> note + " with the paper's lines: " + o.error() + "\n" + text);
        }
        String all = text.toString();
        assertTrue(
                all.contains("max_length") && all.contains("(the model's)"),
                "the tokenizer takes the model's input size");
    }

    @Test
    void firstFailingParagraphIsNamedAndStopsTheRun(@TempDir Path dir) throws Exception {
        Path txt = dir.resolve("broken.txt");
        Files.writeString(txt, "%scxm\n# load\nload demo cells=300\n%scxm\n# typo\nharmonize\n%scxm\nlist\n");
        NoteRunner runner = new NoteRunner(Settings.defaults(), new PrintStream(new ByteArrayOutputStream()));
        NoteRunner.Outcome o = runner.run(NoteRunner.read(txt), dir.resolve("out"));
        assertEquals(2, o.failedParagraph());
        assertTrue(
                o.error().startsWith("paragraph 2 (typo) failed: ") && o.error().contains("'harmonise'"), o.error());
    }

    @Test
    void formsTakeTheirDefaultHeadless() throws Exception {
        String body = org.apache.zeppelin.display.Input.getSimpleQuery(
                new java.util.HashMap<>(), "plot spatial val gene=${gene=CXCR4,CXCR4|MARCO|EPCAM}", false);
        assertEquals("plot spatial val gene=CXCR4", body);
        var chosen = new java.util.HashMap<String, Object>();
        chosen.put("gene", "MARCO");
        assertEquals(
                "plot spatial val gene=MARCO",
                org.apache.zeppelin.display.Input.getSimpleQuery(
                        chosen, "plot spatial val gene=${gene=CXCR4,CXCR4|MARCO|EPCAM}", false));
    }
}
