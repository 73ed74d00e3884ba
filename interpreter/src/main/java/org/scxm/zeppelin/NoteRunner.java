package org.scxm.zeppelin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.zeppelin.display.Input;
import org.scxm.ScxmException;
import org.scxm.plot.PlotlyHtml;
import org.scxm.workbench.Report;
import org.scxm.zeppelin.lang.Engine;
import org.scxm.zeppelin.lang.Settings;
import tech.tablesaw.api.Table;

/**
 * The headless runner: runs a note (.zpln) or a text file of %scxm paragraphs with the same engine as
 * the interpreter, printing text and tables, writing each table as TSV and each figure as an HTML page
 * into an output folder (named by paragraph number and title), with one plotly.js beside the pages so they
 * open offline. Relative paths resolve against scxm.workdir, as in Zeppelin. Stops at the first failing
 * paragraph. Dynamic forms take their saved value (.zpln) or their default.
 */
public final class NoteRunner {
    /** One paragraph: its title (may be empty), its text, and saved form values. */
    public record Paragraph(String title, String text, Map<String, Object> params) {}

    /** Where a run stopped: the failing paragraph's 1-based number and message, or 0 and null. */
    public record Outcome(int failedParagraph, String error, List<Path> files) {
        public boolean ok() {
            return error == null;
        }
    }

    private final Engine engine;
    private final PrintStream out;
    private final Map<String, Object> formValues = new java.util.HashMap<>();

    public NoteRunner(Settings settings, PrintStream out) {
        this.engine = new Engine(settings);
        this.out = out;
    }

    public Engine engine() {
        return engine;
    }

    /** Sets a dynamic form's value for every paragraph (as a Zeppelin user would pick it), e.g. steps=4. */
    public NoteRunner withForm(String name, String value) {
        formValues.put(name, value);
        return this;
    }

    public static List<Paragraph> read(Path note) {
        if (!Files.isRegularFile(note))
            throw new ScxmException("no note at " + note + "; give a .zpln note or a .txt file of %scxm paragraphs.");
        String s;
        try {
            s = Files.readString(note);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ScxmException(
                    note + " is not a UTF-8 text file; give a .zpln note or a .txt file of %scxm paragraphs.", e);
        } catch (IOException e) {
            throw new ScxmException("cannot read " + note + " (" + e.getMessage() + ").", e);
        }
        if (s.isBlank())
            throw new ScxmException(
                    note + " is empty; give a .zpln note or a .txt file of %scxm paragraphs (nothing was run).");
        List<Paragraph> ps = note.toString().endsWith(".zpln") ? fromZpln(s, note) : fromText(s);
        // a run of nothing would exit 0 and look like success
        if (ps.stream().noneMatch(p -> isScxm(p) && !p.text().strip().equals(directive(p))))
            throw new ScxmException(note + " has no %scxm paragraph with a command (a paragraph starts with a line"
                    + " %scxm, then commands such as `load demo`); nothing was run.");
        return ps;
    }

    private static String directive(Paragraph p) {
        String text = p.text().strip();
        return text.startsWith("%") ? text.split("\\s", 2)[0] : "%scxm";
    }

    private static boolean isScxm(Paragraph p) {
        return !p.text().isBlank() && directive(p).startsWith("%scxm");
    }

    /** An output folder must be a folder (or not exist yet), under folders, not files. */
    static void checkOut(Path outDir) {
        if (Files.exists(outDir) && !Files.isDirectory(outDir))
            throw new ScxmException("--out " + outDir + " is an existing file, not a folder; give a folder for the"
                    + " results (nothing was written).");
        org.scxm.io.Targets.checkParent(outDir);
    }

    static List<Paragraph> fromZpln(String json, Path file) {
        List<Paragraph> ps = new ArrayList<>();
        JsonArray arr;
        try {
            arr = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("paragraphs");
        } catch (RuntimeException e) {
            throw new ScxmException(
                    file + " is not a Zeppelin note (JSON with a 'paragraphs' array): " + e.getMessage(), e);
        }
        if (arr == null) throw new ScxmException(file + " has no 'paragraphs' array; is it a Zeppelin note?");
        for (JsonElement e : arr) {
            JsonObject p = e.getAsJsonObject();
            String text =
                    p.has("text") && !p.get("text").isJsonNull() ? p.get("text").getAsString() : "";
            String title = p.has("title") && !p.get("title").isJsonNull()
                    ? p.get("title").getAsString()
                    : "";
            Map<String, Object> params = new HashMap<>();
            if (p.has("settings") && p.getAsJsonObject("settings").has("params"))
                p.getAsJsonObject("settings")
                        .getAsJsonObject("params")
                        .entrySet()
                        .forEach(kv -> params.put(
                                kv.getKey(),
                                kv.getValue().isJsonPrimitive()
                                        ? kv.getValue().getAsString()
                                        : kv.getValue().toString()));
            ps.add(new Paragraph(title, text, params));
        }
        return ps;
    }

    /** Paragraphs start with a line "%scxm" (or another %interpreter line); a first "# " line names it. */
    static List<Paragraph> fromText(String s) {
        List<Paragraph> ps = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : s.split("\r?\n", -1)) {
            if (line.strip().startsWith("%") && line.strip().matches("%[A-Za-z0-9_.]+.*")) {
                if (cur != null) ps.add(textParagraph(cur.toString()));
                cur = new StringBuilder();
            }
            if (cur != null) cur.append(line).append('\n');
        }
        if (cur != null) ps.add(textParagraph(cur.toString()));
        return ps;
    }

    private static Paragraph textParagraph(String text) {
        String[] lines = text.split("\n");
        String title = lines.length > 1 && lines[1].strip().startsWith("#")
                ? lines[1].strip().replaceFirst("^#+\\s*", "")
                : "";
        return new Paragraph(title, text, Map.of());
    }

    /** Runs every paragraph in order; writes results under outDir (created) when it is not null. */
    public Outcome run(List<Paragraph> paragraphs, Path outDir) throws IOException {
        if (outDir != null) {
            checkOut(outDir);
            Files.createDirectories(outDir);
        }
        List<Path> files = new ArrayList<>();
        for (int n = 1; n <= paragraphs.size(); n++) {
            Paragraph p = paragraphs.get(n - 1);
            String text = p.text().strip();
            String directive = text.startsWith("%") ? text.split("\\s", 2)[0] : "%scxm";
            String name = String.format(Locale.ROOT, "%02d%s", n, p.title().isBlank() ? "" : "-" + slug(p.title()));
            if (directive.equals("%md")) {
                out.println(text.substring(3).strip());
                out.println();
                continue;
            }
            if (!directive.startsWith("%scxm")) {
                out.println("[paragraph " + n + ": skipped, " + directive + " is not %scxm]");
                continue;
            }
            if (text.isEmpty()) continue;
            out.println("── paragraph " + n + (p.title().isBlank() ? "" : ": " + p.title()) + " ──");
            Map<String, Object> params = new java.util.HashMap<>(p.params());
            params.putAll(formValues);
            String body = Input.getSimpleQuery(params, text, false);
            long t0 = System.nanoTime();
            Engine.Result r = engine.run(body, new ParagraphProgress(out)); // long commands print a line every 5 %
            int k = 0;
            for (Report.Item o : r.outputs()) {
                k++;
                switch (o) {
                    case Report.Text t -> out.println(t.text());
                    case Report.Prose t -> out.println(t.text());
                    case Report.Tabular t -> {
                        printTable(t.table());
                        if (outDir != null)
                            files.add(write(outDir.resolve(name + "-" + k + ".tsv"), Render.tsv(t.table())));
                    }
                    case Report.Plot f -> {
                        out.println("[figure: " + f.figure().title() + "]");
                        if (outDir != null) {
                            Path lib = PlotlyHtml.writeLibrary(outDir); // one copy beside all pages of the run
                            if (!files.contains(lib)) files.add(lib);
                            files.add(write(outDir.resolve(name + "-" + k + ".html"), PlotlyHtml.page(f.figure())));
                        }
                    }
                }
            }
            if (!r.ok())
                return new Outcome(
                        n,
                        "paragraph " + n + (p.title().isBlank() ? "" : " (" + p.title() + ")") + " failed: "
                                + r.error(),
                        files);
            out.printf(Locale.ROOT, "(%.1f s)%n%n", (System.nanoTime() - t0) / 1e9);
        }
        return new Outcome(0, null, files);
    }

    private void printTable(Table t) {
        int show = Math.min(t.rowCount(), 15);
        out.println(t.name() + " (" + t.rowCount() + " rows)");
        String tsv = Render.tsv(t.first(show));
        for (String line : tsv.split("\n")) out.println("  " + line);
        if (t.rowCount() > show) out.println("  ... " + (t.rowCount() - show) + " more rows");
    }

    private static Path write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
