package org.scxm.zeppelin;

import org.apache.zeppelin.interpreter.AbstractInterpreter;
import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.ZeppelinContext;
import org.apache.zeppelin.interpreter.thrift.InterpreterCompletion;
import org.scxm.Progress;
import org.scxm.plot.PlotlyHtml;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.Engine;
import org.scxm.zeppelin.lang.Output;
import org.scxm.zeppelin.lang.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The %scxm Zeppelin interpreter: runs paragraphs of the SCXM paragraph language (see `help`) against
 * one session per interpreter instance (shared by all notes in Zeppelin's shared binding mode, one per
 * note when scoped), and renders tables as %table, figures as %html Plotly charts, summaries as %text.
 * Dynamic forms are Zeppelin's simple forms, substituted by Zeppelin before the text reaches us.
 */
public class ScxmInterpreter extends AbstractInterpreter {
    private final Map<String, ParagraphProgress> running = new ConcurrentHashMap<>();
    /** note id -> the paragraph whose result carries plotly.js for that note. */
    private final Map<String, String> plotlyCarrier = new ConcurrentHashMap<>();
    private volatile Engine engine;

    public ScxmInterpreter(Properties properties) { super(properties); }

    @Override public void open() {
        engine = new Engine(Settings.from(getProperties()));
    }

    @Override public void close() {
        running.values().forEach(ParagraphProgress::cancel);
        engine = null;
    }

    public Engine engine() { return engine; }

    @Override protected InterpreterResult internalInterpret(String text, InterpreterContext ctx) {
        if (engine == null) open();
        ParagraphProgress progress = new ParagraphProgress();
        String key = keyOf(ctx);
        running.put(key, progress);
        try {
            Engine.Result r = engine.run(text, progress);
            InterpreterResult out = new InterpreterResult(r.ok() ? InterpreterResult.Code.SUCCESS
                    : r.cancelled() ? InterpreterResult.Code.INCOMPLETE : InterpreterResult.Code.ERROR);
            for (Output o : r.outputs()) render(o, out, ctx);
            if (!r.ok()) out.add(InterpreterResult.Type.TEXT, r.error());
            return out;
        } finally {
            running.remove(key);
        }
    }

    private void render(Output o, InterpreterResult out, InterpreterContext ctx) {
        switch (o) {
            case Output.Text t -> out.add(InterpreterResult.Type.TEXT, t.text());
            case Output.Prose p -> out.add(InterpreterResult.Type.TEXT, p.text());
            case Output.Tabular t -> out.add(InterpreterResult.Type.TABLE, Render.tsv(t.table()));
            case Output.Plot p -> out.add(InterpreterResult.Type.HTML,
                    PlotlyHtml.fragment(p.figure(), engine.settings().plotlySrc(), carriesPlotly(ctx)));
        }
    }

    /** True when this paragraph should inline plotly.js: the note has none yet, or this paragraph is the carrier. */
    private boolean carriesPlotly(InterpreterContext ctx) {
        String note = ctx.getNoteId() == null ? "" : ctx.getNoteId();
        String para = ctx.getParagraphId() == null ? "" : ctx.getParagraphId();
        return plotlyCarrier.computeIfAbsent(note, n -> para).equals(para);
    }

    private static String keyOf(InterpreterContext ctx) {
        return ctx.getNoteId() + "/" + ctx.getParagraphId();
    }

    @Override public void cancel(InterpreterContext ctx) {
        ParagraphProgress p = running.get(keyOf(ctx));
        if (p != null) p.cancel();
    }

    @Override public FormType getFormType() { return FormType.SIMPLE; }

    @Override public int getProgress(InterpreterContext ctx) {
        ParagraphProgress p = running.get(keyOf(ctx));
        return p == null ? 0 : p.percent();
    }

    @Override public ZeppelinContext getZeppelinContext() { return null; }

    /** Completes the command word at a line start, else the line's command keys (as key=). */
    @Override public List<InterpreterCompletion> completion(String buf, int cursor, InterpreterContext ctx) {
        if (engine == null) open();
        String before = buf.substring(0, Math.max(0, Math.min(cursor, buf.length())));
        String line = before.substring(before.lastIndexOf('\n') + 1);
        String word = line.substring(line.lastIndexOf(' ') + 1);
        List<InterpreterCompletion> out = new ArrayList<>();
        if (!line.strip().contains(" ") && !line.endsWith(" ")) {
            for (Command c : engine.commands().values())
                if (c.name().startsWith(word)) out.add(new InterpreterCompletion(c.name(), c.name(), c.summary()));
        } else {
            Command c = engine.commands().get(line.strip().split("\\s+")[0]);
            if (c != null) for (String k : c.keys())
                if (k.startsWith(word)) out.add(new InterpreterCompletion(k, k + "=", c.usage()));
        }
        return out;
    }

    /** Progress of one running paragraph: a fraction Zeppelin polls, and a cancel flag. */
    static final class ParagraphProgress implements Progress {
        private volatile double fraction;
        private volatile boolean cancelled;

        @Override public void update(double f, String message) {
            if (cancelled) throw new Cancelled();
            fraction = Math.max(0, Math.min(1, f));
        }
        @Override public boolean cancelled() { return cancelled; }
        void cancel() { cancelled = true; }
        int percent() { return fraction > 0 ? Math.max(1, (int) Math.round(100 * fraction)) : 0; }
    }
}
