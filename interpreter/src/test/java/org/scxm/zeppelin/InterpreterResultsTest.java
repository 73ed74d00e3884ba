package org.scxm.zeppelin;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.InterpreterResultMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** What Zeppelin receives: %table text, %html with plotly.js once per note, progress and cancel. */
class InterpreterResultsTest {
    static ScxmInterpreter intp;

    @BeforeAll
    static void setUp() throws Exception {
        intp = ZeppelinTestSupport.open();
        assertEquals(
                InterpreterResult.Code.SUCCESS,
                intp.interpret(
                                "load demo cells=300\nharmonise\nbulk\ntokenize max_length=64\nmodel m layers=1 hidden=32 width=32",
                                ZeppelinTestSupport.context("setup", "p0"))
                        .code());
    }

    @Test
    void tablesAreZeppelinTablesWithEscapedCells() {
        Table t = Table.create("t", StringColumn.create("a\tb", new String[] {"x\ny", "B cell"}));
        assertEquals("a b\nx y\nB cell\n", Render.tsv(t));
    }

    @Test
    void listAnswersWithATable() throws Exception {
        InterpreterResult r = intp.interpret("list", ZeppelinTestSupport.context("n1", "p1"));
        InterpreterResultMessage m = r.message().get(0);
        assertEquals(InterpreterResult.Type.TABLE, m.getType());
        assertTrue(m.getData().startsWith("name\trole\tcells\tgenes\tpanel\tcomputed\n"), m.getData());
        assertTrue(m.getData().contains("\nval\tval\t"), m.getData());
    }

    @Test
    void everyFigureLoadsPlotlyOnItsOwnAndStaysSmall() throws Exception {
        String gene = intp.engine().workbench().state().datasets().get("val").panel()[0];
        String plot = "plot spatial val gene=" + gene + " show=input,target";
        String first = html(intp.interpret(plot, ZeppelinTestSupport.context("noteA", "p1")));
        String second = html(intp.interpret(plot, ZeppelinTestSupport.context("noteA", "p2")));
        String otherNote = html(intp.interpret(plot, ZeppelinTestSupport.context("noteB", "p1")));
        for (String f : List.of(first, second, otherNote)) {
            assertFalse(f.contains("plotly.js v4"), "no result carries the library");
            assertTrue(f.contains("\"scxm/plotly-4.1.2.min.js\""), "each figure names where it loads plotly.js from");
            assertTrue(f.length() < 100_000, "a 300-cell figure is small: " + f.length());
        }
        assertEquals(
                first.replaceAll("scxm-plot-[a-z0-9-]+", ""),
                second.replaceAll("scxm-plot-[a-z0-9-]+", ""),
                "the first figure of a note is no different from later ones");
        assertTrue(first.contains("\"title\":{\"text\":"), "Plotly 3+ title objects");
    }

    @Test
    void theInterpreterServesPlotlyOnLoopback() throws Exception {
        List<String> sources = ScxmInterpreter.plotlySources("auto", 18089);
        assertEquals("scxm/plotly-4.1.2.min.js", sources.get(0));
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(sources.get(1)))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("plotly.js v4.1.2"));
        assertEquals(
                List.of("https://intranet.example/p.js"),
                ScxmInterpreter.plotlySources(" https://intranet.example/p.js ", 18089));
    }

    @Test
    void tablesGoToTheResourcePoolForOtherInterpreters() throws Exception {
        InterpreterContext ctx = ZeppelinTestSupport.context("n3", "20261130-000000_1");
        InterpreterResult r = intp.interpret("list", ctx);
        assertEquals(InterpreterResult.Code.SUCCESS, r.code());
        Object byParagraph =
                ctx.getResourcePool().get("scxm.20261130-000000_1.1").get();
        assertEquals(r.message().get(0).getData(), byParagraph);
        assertTrue(
                ctx.getResourcePool().getAll().stream()
                        .anyMatch(res -> res.getResourceId().getName().startsWith("scxm.")
                                && !res.getResourceId().getName().contains("20261130")),
                "and by kind");
        assertEquals(
                List.of("scxm.per-gene-correlation", "scxm.per-gene-correlation.val"),
                ScxmInterpreter.poolNames("per-gene correlation on 'val'"));
        assertEquals(List.of("scxm.evaluation-summary"), ScxmInterpreter.poolNames("evaluation summary"));
        InterpreterContext failed = ZeppelinTestSupport.context("n3", "failing");
        assertEquals(
                InterpreterResult.Code.ERROR,
                intp.interpret("list\nplot spatial val gene=NOTAGENE", failed)
                        .code()); // list shows a table, then line 2 fails
        assertNull(failed.getResourcePool().get("scxm.failing.1"), "a failed paragraph shares nothing");
    }

    @Test
    void paragraphPropertiesAreRefusedInASentence() throws Exception {
        InterpreterContext ctx = ZeppelinTestSupport.context("n4", "p1");
        ctx.getLocalProperties().put("device", "cpu");
        InterpreterResult r = intp.interpret("list", ctx);
        assertEquals(InterpreterResult.Code.ERROR, r.code());
        assertTrue(
                r.message().get(0).getData().startsWith("%scxm(device) is not supported")
                        && r.message().get(0).getData().contains("scxm.device"),
                r.message().get(0).getData());
    }

    @Test
    void completionKnowsSubcommandsDatasetsGenesAndValues() throws Exception {
        InterpreterContext ctx = ZeppelinTestSupport.context("n5", "p1");
        String gene = intp.engine().workbench().state().datasets().get("val").panel()[0];
        assertTrue(
                names("plot sp", ctx).contains("spatial"), names("plot sp", ctx).toString());
        assertTrue(names("plot spatial v", ctx).contains("val"));
        assertTrue(names("plot spatial val gene=" + gene.substring(0, 2), ctx).contains(gene));
        assertEquals(List.of("gaussian"), names("bulk kernel=g", ctx));
        assertTrue(names("plot spatial val show=input,ta", ctx).contains("target"));
        assertTrue(
                names("load ", ctx).containsAll(List.of("demo", "sc", "st", "prime")),
                names("load ", ctx).toString());
    }

    private static List<String> names(String line, InterpreterContext ctx) {
        return intp.completion(line, line.length(), ctx).stream()
                .map(c -> c.getValue())
                .toList();
    }

    @Test
    void aParagraphReadsAValueOtherInterpretersPutInThePool() throws Exception {
        InterpreterContext ctx = ZeppelinTestSupport.context("n6", "p1");
        String gene = intp.engine().workbench().state().datasets().get("val").panel()[1];
        ctx.getResourcePool().put("chosen_gene", gene); // as %python's z.put("chosen_gene", ...) would
        ctx.getLocalProperties().put("interpolate", "true"); // %scxm(interpolate=true): Zeppelin's own
        InterpreterResult r = intp.interpret("plot spatial val gene={chosen_gene} show=input", ctx);
        assertEquals(InterpreterResult.Code.SUCCESS, r.code(), r.message().toString());
        assertTrue(r.message().get(0).getData().contains(gene), "the figure is of the gene from the pool");
    }

    @Test
    void aSettingThatIsNoNumberIsOneSentence() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("scxm.table.rows", "lots");
        ScxmInterpreter bad = new ScxmInterpreter(p);
        bad.open();
        InterpreterResult r = bad.interpret("list", ZeppelinTestSupport.context("n7", "p1"));
        assertEquals(InterpreterResult.Code.ERROR, r.code());
        assertEquals(
                "the interpreter property scxm.table.rows must be a whole number, not 'lots'; fix it in the interpreter setting (or the -Dscxm.table.rows flag).",
                r.message().get(0).getData());
        assertTrue(
                bad.completion("li", 2, ZeppelinTestSupport.context("n7", "p1")).isEmpty());
    }

    @Test
    void bigTablesAreCappedWithASentence() {
        Table t = Table.create("t", tech.tablesaw.api.IntColumn.indexColumn("i", 2500, 0));
        assertEquals(1 + 1000, Render.tsv(t, 1000).split("\n").length);
    }

    @Test
    void longCommandsStreamLinesEveryFivePercent() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ParagraphProgress p = new ParagraphProgress(out);
        p.update(0.01, "too early"); // the first seconds stay quiet, so quick paragraphs show no lines
        Thread.sleep(ParagraphProgress.QUIET_NANOS / 1_000_000 + 50);
        for (int i = 0; i <= 100; i++) p.update(i / 100.0, "step " + i + "/100  ETA 1s");
        String[] lines = out.toString().split("\n");
        assertEquals(21, lines.length, out.toString());
        assertEquals("[  0%] step 0/100  ETA 1s", lines[0]);
        assertEquals("[ 50%] step 50/100  ETA 1s", lines[10]);
    }

    @Test
    void progressRisesAndCancelStopsTrainingKeepingTheSession() throws Exception {
        InterpreterContext ctx = ZeppelinTestSupport.context("n2", "train");
        Object before = intp.engine().workbench().state().models().get("m");
        CompletableFuture<InterpreterResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return intp.interpret("train steps=500 batch=4 critic=1", ctx);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.currentTimeMillis() + 60_000;
        int seen = 0;
        while (seen == 0 && !run.isDone() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            seen = intp.getProgress(ctx);
        }
        assertTrue(
                seen > 0,
                () -> "Zeppelin sees progress while training; "
                        + (run.isDone() ? run.join().message() : "still running"));
        intp.cancel(ZeppelinTestSupport.context("n2", "train")); // a new context with the same ids, as Zeppelin does
        InterpreterResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals(InterpreterResult.Code.INCOMPLETE, r.code());
        assertTrue(r.message().get(r.message().size() - 1).getData().contains("cancelled"));
        assertSame(
                before, intp.engine().workbench().state().models().get("m"), "a cancelled paragraph commits nothing");
    }

    private static String html(InterpreterResult r) {
        List<InterpreterResultMessage> ms = r.message();
        assertEquals(InterpreterResult.Code.SUCCESS, r.code(), () -> ms.toString());
        assertEquals(InterpreterResult.Type.HTML, ms.get(0).getType());
        return ms.get(0).getData();
    }
}
