package org.scxm.zeppelin;

import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.InterpreterResultMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** What Zeppelin receives: %table text, %html with plotly.js once per note, progress and cancel. */
class InterpreterResultsTest {
    static ScxmInterpreter intp;

    @BeforeAll static void setUp() throws Exception {
        intp = ZeppelinTestSupport.open();
        assertEquals(InterpreterResult.Code.SUCCESS,
                intp.interpret("load demo cells=300\nharmonise\nbulk\ntokenize max_length=64\nmodel m layers=1 hidden=32 width=32",
                        ZeppelinTestSupport.context("setup", "p0")).code());
    }

    @Test void tablesAreZeppelinTablesWithEscapedCells() {
        Table t = Table.create("t", StringColumn.create("a\tb", new String[]{"x\ny", "B cell"}));
        assertEquals("a b\nx y\nB cell\n", Render.tsv(t));
    }

    @Test void listAnswersWithATable() throws Exception {
        InterpreterResult r = intp.interpret("list", ZeppelinTestSupport.context("n1", "p1"));
        InterpreterResultMessage m = r.message().get(0);
        assertEquals(InterpreterResult.Type.TABLE, m.getType());
        assertTrue(m.getData().startsWith("name\trole\tcells\tgenes\tpanel\tcomputed\n"), m.getData());
        assertTrue(m.getData().contains("\nval\tval\t"), m.getData());
    }

    @Test void plotlyIsInlinedOncePerNote() throws Exception {
        String gene = intp.engine().workbench().state().datasets().get("val").panel()[0];
        String plot = "plot spatial val gene=" + gene + " show=input,target";
        String first = html(intp.interpret(plot, ZeppelinTestSupport.context("noteA", "p1")));
        String second = html(intp.interpret(plot, ZeppelinTestSupport.context("noteA", "p2")));
        String rerunFirst = html(intp.interpret(plot, ZeppelinTestSupport.context("noteA", "p1")));
        String otherNote = html(intp.interpret(plot, ZeppelinTestSupport.context("noteB", "p1")));
        assertTrue(first.contains("plotly.js v4") && first.length() > 1_000_000);
        assertFalse(second.contains("plotly.js v4"), "later plots wait for window.Plotly");
        assertTrue(second.length() < 200_000 && second.contains("window.Plotly"));
        assertTrue(rerunFirst.contains("plotly.js v4"), "the carrier paragraph keeps carrying it when re-run");
        assertTrue(otherNote.contains("plotly.js v4"));
        assertTrue(first.contains("\"title\":{\"text\":"), "Plotly 3+ title objects");
    }

    @Test void progressRisesAndCancelStopsTrainingKeepingTheSession() throws Exception {
        InterpreterContext ctx = ZeppelinTestSupport.context("n2", "train");
        Object before = intp.engine().workbench().state().models().get("m");
        CompletableFuture<InterpreterResult> run = CompletableFuture.supplyAsync(() -> {
            try { return intp.interpret("train steps=500 batch=4 critic=1", ctx); } catch (Exception e) { throw new RuntimeException(e); }
        });
        long deadline = System.currentTimeMillis() + 60_000;
        int seen = 0;
        while (seen == 0 && !run.isDone() && System.currentTimeMillis() < deadline) { Thread.sleep(20); seen = intp.getProgress(ctx); }
        assertTrue(seen > 0, () -> "Zeppelin sees progress while training; " + (run.isDone() ? run.join().message() : "still running"));
        intp.cancel(ZeppelinTestSupport.context("n2", "train")); // a new context with the same ids, as Zeppelin does
        InterpreterResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals(InterpreterResult.Code.INCOMPLETE, r.code());
        assertTrue(r.message().get(r.message().size() - 1).getData().contains("cancelled"));
        assertSame(before, intp.engine().workbench().state().models().get("m"), "a cancelled paragraph commits nothing");
    }

    private static String html(InterpreterResult r) {
        List<InterpreterResultMessage> ms = r.message();
        assertEquals(InterpreterResult.Code.SUCCESS, r.code(), () -> ms.toString());
        assertEquals(InterpreterResult.Type.HTML, ms.get(0).getType());
        return ms.get(0).getData();
    }
}
