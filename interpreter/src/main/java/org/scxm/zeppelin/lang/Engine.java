package org.scxm.zeppelin.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.Names;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.workbench.Report;
import org.scxm.workbench.Workbench;

/**
 * Runs paragraphs of the paragraph language against a session: parse every line first (so a typo on
 * line 3 fails before line 1 does any work), check words and keys, then run the statements in order
 * inside one transaction, committed only when all of them succeed.
 * Shared by the Zeppelin interpreter and the headless runner.
 */
public final class Engine {
    /** The outcome of one paragraph: outputs so far, and an error sentence or null. */
    public record Result(List<Report.Item> outputs, String error, boolean cancelled) {
        public boolean ok() {
            return error == null;
        }
    }

    private final Workbench wb;
    private final Settings settings;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Engine(Settings settings) {
        this(new Workbench(settings.workbench()), settings);
    }

    public Engine(Workbench wb, Settings settings) {
        this.wb = wb;
        this.settings = settings;
        for (Command c : Commands.all(this)) commands.put(c.name(), c);
    }

    public Workbench workbench() {
        return wb;
    }

    public Settings settings() {
        return settings;
    }

    public Map<String, Command> commands() {
        return commands;
    }

    public Result run(String paragraph, Progress progress) {
        List<Report.Item> outputs = new ArrayList<>();
        try {
            List<Call> calls = new ArrayList<>();
            for (Statement st : Parser.parse(paragraph)) calls.add(bind(st));
            wb.step(
                    progress,
                    () -> { // one step: every line's changes are kept, or none
                        for (int i = 0; i < calls.size(); i++) {
                            Call call = calls.get(i);
                            Progress p = progress.sub((double) i / calls.size(), (double) (i + 1) / calls.size());
                            p.update(0, call.statement().command());
                            try {
                                wb.step(p, () -> {
                                    commands.get(call.statement().command())
                                            .run(call, new CommandContext(wb, settings, p, outputs));
                                    return null;
                                });
                            } catch (ScxmException e) {
                                throw calls.size() == 1
                                        ? e
                                        : new ScxmException(
                                                "line " + call.statement().line() + " (`"
                                                        + call.statement().text() + "`): " + e.getMessage(),
                                                e);
                            }
                        }
                        return null;
                    });
            return new Result(outputs, null, false);
        } catch (Progress.Cancelled e) {
            return new Result(outputs, "cancelled; nothing from this paragraph was kept.", true);
        } catch (ScxmException e) {
            return new Result(outputs, e.getMessage(), false);
        } catch (OutOfMemoryError e) {
            return new Result(
                    outputs,
                    "out of memory; give the interpreter more heap (SCXM_HEAP or the JVM -Xmx option) or use fewer cells.",
                    false);
        } catch (Exception e) {
            return new Result(
                    outputs, "internal error (" + e + "); this is a bug, please report it with the paragraph.", false);
        }
    }

    /** Commands that `engine=spark` sends to the `spark` command as its stage. */
    static final java.util.Set<String> SPARK_STAGES = java.util.Set.of("tokenize", "predict", "bulk", "de");

    /**
     * {@code tokenize|predict|bulk|de engine=spark ...} is {@code spark STAGE ...}; {@code engine=local} is the command
     * itself.
     */
    static Statement routed(Statement st) {
        String engine = st.options().get("engine");
        if (engine == null) return st;
        LinkedHashMap<String, String> o = new LinkedHashMap<>(st.options());
        o.remove("engine");
        if (engine.equalsIgnoreCase("local")) return new Statement(st.line(), st.command(), st.words(), o, st.text());
        if (!engine.equalsIgnoreCase("spark"))
            throw new ScxmException("line " + st.line() + ": engine=" + engine + " is not local or spark.");
        if (!SPARK_STAGES.contains(st.command()))
            throw new ScxmException("line " + st.line() + ": `" + st.command()
                    + "` runs on this machine only; engine=spark is for tokenize, predict, bulk and de.");
        List<String> words = new ArrayList<>();
        words.add(st.command());
        words.addAll(st.words());
        return new Statement(st.line(), "spark", words, o, st.text());
    }

    /** Checks the command word and option keys, suggesting the closest on a typo. */
    private Call bind(Statement parsed) {
        Statement st = routed(parsed);
        Command c = commands.get(st.command());
        if (c == null)
            throw new ScxmException("line " + st.line() + ": unknown command '" + st.command() + "'"
                    + Names.didYouMean(st.command(), commands.keySet()) + "; `help` lists them all.");
        for (String key : st.options().keySet())
            if (!c.keys().contains(key))
                throw new ScxmException("line " + st.line() + ": `" + c.name() + "` has no option '" + key + "'"
                        + Names.didYouMean(key, c.keys()) + "; usage: " + c.usage());
        return new Call(st, c);
    }
}
