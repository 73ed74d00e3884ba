package org.scxm.zeppelin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.zeppelin.interpreter.AbstractInterpreter;
import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.ZeppelinContext;
import org.apache.zeppelin.interpreter.thrift.InterpreterCompletion;
import org.scxm.plot.PlotlyHtml;
import org.scxm.workbench.Report;
import org.scxm.zeppelin.lang.Engine;
import org.scxm.zeppelin.lang.Settings;

/**
 * The %scxm Zeppelin interpreter: runs paragraphs of the SCXM paragraph language (see `help`) against
 * one session per interpreter instance (shared by all notes in Zeppelin's shared binding mode, one per
 * note when scoped), and renders tables as %table (also put in Zeppelin's resource pool for other
 * interpreters), figures as %html Plotly charts, summaries as %text, and long commands' progress as lines.
 * Dynamic forms are Zeppelin's simple forms, substituted by Zeppelin before the text reaches us.
 */
public class ScxmInterpreter extends AbstractInterpreter {
    /** Where a page finds plotly.js by default: the Zeppelin web root's copy (see ./scxm zeppelin and docker/). */
    public static final String WEB_ROOT_PLOTLY = "scxm/" + PlotlyHtml.FILE;
    /** Resource pool names: every table as scxm.PARAGRAPH_ID.N, and the newest table of each kind as scxm.KIND. */
    public static final String POOL_PREFIX = "scxm.";

    private final Map<String, ParagraphProgress> running = new ConcurrentHashMap<>();
    private volatile Engine engine;
    private volatile List<String> plotlySources;
    private volatile int tableRows;

    public ScxmInterpreter(Properties properties) {
        super(properties);
    }

    /** A setting that cannot be read: every paragraph answers with it (an exception from open() would reach users as a stack trace). */
    private volatile String settingError;

    @Override
    public void open() {
        try {
            Settings settings = Settings.from(getProperties());
            tableRows = (int) Settings.number(getProperties(), "scxm.table.rows", 1000);
            plotlySources = plotlySources(getProperty("scxm.plotly.src", "auto"), (int)
                    Settings.number(getProperties(), "scxm.plotly.port", 18089));
            engine = new Engine(settings);
            settingError = null;
        } catch (org.scxm.ScxmException e) {
            settingError = e.getMessage();
        }
    }

    /** "auto": the Zeppelin web root's copy, then this process's loopback endpoint (port 0: none); else the given addresses. */
    static List<String> plotlySources(String setting, int port) {
        String s = setting == null ? "" : setting.strip();
        if (!s.isEmpty() && !s.equals("auto"))
            return java.util.Arrays.stream(s.split(","))
                    .map(String::strip)
                    .filter(x -> !x.isEmpty())
                    .toList();
        return port > 0 ? List.of(WEB_ROOT_PLOTLY, PlotlyEndpoint.url(port)) : List.of(WEB_ROOT_PLOTLY);
    }

    @Override
    public void close() {
        running.values().forEach(ParagraphProgress::cancel);
        engine = null;
    }

    public Engine engine() {
        return engine;
    }

    @Override
    protected InterpreterResult internalInterpret(String text, InterpreterContext ctx) {
        if (engine == null || settingError != null) open();
        if (settingError != null)
            return new InterpreterResult(InterpreterResult.Code.ERROR, InterpreterResult.Type.TEXT, settingError);
        String refused = refuseLocalProperties(ctx.getLocalProperties());
        if (refused != null)
            return new InterpreterResult(InterpreterResult.Code.ERROR, InterpreterResult.Type.TEXT, refused);
        ParagraphProgress progress = new ParagraphProgress(ctx.out);
        String key = keyOf(ctx);
        running.put(key, progress);
        try {
            Engine.Result r = engine.run(text, progress);
            InterpreterResult out = new InterpreterResult(
                    r.ok()
                            ? InterpreterResult.Code.SUCCESS
                            : r.cancelled() ? InterpreterResult.Code.INCOMPLETE : InterpreterResult.Code.ERROR);
            int tables = 0;
            for (Report.Item o : r.outputs()) {
                if (r.ok() && o instanceof Report.Tabular t)
                    share(t.table(), ctx, ++tables); // a failed paragraph shares nothing
                render(o, out);
            }
            if (!r.ok()) out.add(InterpreterResult.Type.TEXT, r.error());
            return out;
        } finally {
            running.remove(key);
        }
    }

    /** Paragraph properties Zeppelin itself acts on before the text reaches us: {@code interpolate=true} fills {name} from the resource pool. */
    static final java.util.Set<String> ZEPPELIN_LOCAL_PROPERTIES = java.util.Set.of("interpolate");

    /**
     * Other paragraph properties ({@code %scxm(device=cpu)}) are not read: settings are per interpreter, so one
     * is refused in a sentence rather than silently ignored. Keys Zeppelin itself adds start with "__".
     */
    static String refuseLocalProperties(Map<String, String> local) {
        if (local == null) return null;
        List<String> keys = local.keySet().stream()
                .filter(k -> !k.startsWith("__") && !ZEPPELIN_LOCAL_PROPERTIES.contains(k))
                .sorted()
                .toList();
        if (keys.isEmpty()) return null;
        return "%scxm(" + String.join(", ", keys) + ") is not supported: paragraph properties are not read; set "
                + (keys.contains("device") ? "scxm.device" : "the matching scxm.* property")
                + " in the interpreter setting (Interpreter menu, scxm) or use the command's own key, and write the paragraph as plain %scxm.";
    }

    private void render(Report.Item o, InterpreterResult out) {
        switch (o) {
            case Report.Text t -> out.add(InterpreterResult.Type.TEXT, t.text());
            case Report.Prose p -> out.add(InterpreterResult.Type.TEXT, p.text());
            case Report.Tabular t -> {
                out.add(InterpreterResult.Type.TABLE, Render.tsv(t.table(), tableRows));
                if (t.table().rowCount() > tableRows)
                    out.add(
                            InterpreterResult.Type.TEXT,
                            String.format(
                                    java.util.Locale.ROOT,
                                    "showing the first %,d of %,d rows (scxm.table.rows); the whole table is in the resource pool.",
                                    tableRows,
                                    t.table().rowCount()));
            }
            case Report.Plot p -> out.add(InterpreterResult.Type.HTML, PlotlyHtml.fragment(p.figure(), plotlySources));
        }
    }

    /**
     * Puts a table (as tab-separated text: serialisable, readable by any interpreter) into Zeppelin's resource pool
     * as scxm.PARAGRAPH_ID.N, as scxm.KIND and, when its name quotes a dataset, as scxm.KIND.DATASET (see {@link #poolNames}).
     */
    private static void share(tech.tablesaw.api.Table t, InterpreterContext ctx, int n) {
        if (ctx.getResourcePool() == null) return;
        String tsv = Render.tsv(t);
        ctx.getResourcePool().put(POOL_PREFIX + ctx.getParagraphId() + "." + n, tsv);
        for (String name : poolNames(t.name())) ctx.getResourcePool().put(name, tsv);
    }

    /**
     * Names by kind: the table's name up to a quote or parenthesis, lower case with dashes, a trailing "on", "of",
     * "to" or "for" dropped; plus the quoted dataset. "per-gene correlation on 'val'" gives
     * scxm.per-gene-correlation and scxm.per-gene-correlation.val; "datasets" gives scxm.datasets.
     */
    static List<String> poolNames(String tableName) {
        if (tableName == null) return List.of();
        String[] parts = tableName.split("['\"(]", 3);
        String kind = parts[0].toLowerCase(java.util.Locale.ROOT)
                .strip()
                .replaceAll("\\s+(on|of|to|for)$", "")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        if (kind.isEmpty()) return List.of();
        List<String> names = new ArrayList<>(List.of(POOL_PREFIX + kind));
        if (parts.length > 1 && tableName.charAt(parts[0].length()) == '\'' && parts[1].matches("[A-Za-z0-9_.-]+"))
            names.add(POOL_PREFIX + kind + "." + parts[1]);
        return names;
    }

    private static String keyOf(InterpreterContext ctx) {
        return ctx.getNoteId() + "/" + ctx.getParagraphId();
    }

    @Override
    public void cancel(InterpreterContext ctx) {
        ParagraphProgress p = running.get(keyOf(ctx));
        if (p != null) p.cancel();
    }

    @Override
    public FormType getFormType() {
        return FormType.SIMPLE;
    }

    @Override
    public int getProgress(InterpreterContext ctx) {
        ParagraphProgress p = running.get(keyOf(ctx));
        return p == null ? 0 : p.percent();
    }

    @Override
    public ZeppelinContext getZeppelinContext() {
        return null;
    }

    /** Completes command words, subcommands, dataset names, keys (as key=) and values (see {@link Completion}). */
    @Override
    public List<InterpreterCompletion> completion(String buf, int cursor, InterpreterContext ctx) {
        if (engine == null) open();
        if (engine == null) return List.of(); // a setting cannot be read; the paragraph will say which
        String before = buf.substring(0, Math.max(0, Math.min(cursor, buf.length())));
        String line = before.substring(before.lastIndexOf('\n') + 1);
        List<InterpreterCompletion> out = new ArrayList<>();
        for (Completion.Item i :
                Completion.complete(line, engine.commands(), engine.workbench().state()))
            out.add(new InterpreterCompletion(i.name(), i.value(), i.meta()));
        return out;
    }
}
