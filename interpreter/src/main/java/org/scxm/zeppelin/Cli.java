package org.scxm.zeppelin;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.scxm.ScxmException;
import org.scxm.zeppelin.lang.Settings;

/** Entry point of ./scxm: run (headless notes), datasets, bench, zeppelin. */
public final class Cli {
    private Cli() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: run NOTE [--out DIR] | datasets | bench [NAME] | zeppelin");
            return 2;
        }
        try {
            return switch (args[0]) {
                case "run" -> runNote(Arrays.copyOfRange(args, 1, args.length));
                case "datasets" -> datasets(Arrays.copyOfRange(args, 1, args.length));
                case "bench" -> bench(Arrays.copyOfRange(args, 1, args.length));
                case "zeppelin" -> zeppelin(Arrays.copyOfRange(args, 1, args.length));
                default -> {
                    System.err.println("scxm: unknown subcommand '" + args[0] + "'");
                    yield 2;
                }
            };
        } catch (ScxmException e) {
            System.err.println("scxm: " + e.getMessage());
            return 1;
        }
    }

    static Path root() {
        return Path.of(System.getProperty("scxm.root", "."));
    }

    /**
     * The folder the user ran ./scxm from: the launcher changes to the checkout first and passes it as scxm.cwd, so
     * that a relative note or --out path means what it meant in the user's shell.
     */
    static Path callerDir() {
        String cwd = System.getProperty("scxm.cwd");
        return cwd == null || cwd.isBlank() ? Path.of("").toAbsolutePath() : Path.of(cwd);
    }

    /** The value after an option such as --out: present, and not itself an option (a -D or -- word). */
    private static String valueOf(String[] args, int i, String what) {
        if (i + 1 >= args.length || args[i + 1].startsWith("-"))
            throw new ScxmException(args[i] + " needs " + what + " right after it"
                    + (i + 1 < args.length ? ", not the option '" + args[i + 1] + "'" : "")
                    + "; e.g. ./scxm run NOTE.zpln --out results");
        return args[i + 1];
    }

    private static int runNote(String[] args) throws Exception {
        Path note = null, out = null;
        Properties props = new Properties();
        Map<String, String> forms = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) out = callerDir().resolve(valueOf(args, i++, "a folder for the results"));
            else if (args[i].equals("--set")) {
                String kv0 = valueOf(args, i++, "FORM=VALUE");
                if (!kv0.contains("="))
                    throw new ScxmException("--set needs FORM=VALUE, not '" + kv0 + "'; e.g. --set steps=4");
                String[] kv = kv0.split("=", 2);
                forms.put(kv[0], kv[1]);
            } else if (args[i].startsWith("-D") && args[i].contains("=")) {
                String[] kv = args[i].substring(2).split("=", 2);
                props.setProperty(kv[0], kv[1]);
            } else if (args[i].startsWith("-"))
                throw new ScxmException("unknown option '" + args[i]
                        + "'; usage: run NOTE.zpln|FILE.txt [--out DIR] [--set FORM=VALUE] [-Dscxm.data.root=DIR]");
            else if (note == null) note = callerDir().resolve(args[i]);
            else
                throw new ScxmException("unexpected argument '" + args[i]
                        + "'; usage: run NOTE.zpln|FILE.txt [--out DIR] [--set FORM=VALUE] [-Dscxm.data.root=DIR]");
        }
        if (note == null) throw new ScxmException("run needs a note: ./scxm run NOTE.zpln|FILE.txt [--out DIR]");
        if (out != null) NoteRunner.checkOut(out);
        NoteRunner runner = new NoteRunner(Settings.from(props), System.out);
        forms.forEach(runner::withForm);
        List<NoteRunner.Paragraph> paragraphs = NoteRunner.read(note);
        NoteRunner.Outcome o;
        try {
            o = runner.run(paragraphs, out);
        } catch (java.io.IOException e) {
            throw new ScxmException(
                    "could not write the results to " + out + " (" + e
                            + "); check the folder is writable and has space.",
                    e);
        }
        if (!o.ok()) {
            System.err.println("scxm: " + o.error());
            return 1;
        }
        if (out != null) {
            printHeldOutSummary(o.files());
            long pages = o.files().stream()
                    .filter(f -> f.toString().endsWith(".html"))
                    .count();
            System.out.println("wrote " + o.files().size() + " files to " + out + " (" + pages
                    + " figures as .html pages: open them in a browser; tables as .tsv)");
        }
        return 0;
    }

    /** A note's last held-out summary (evaluate split=halves), printed again at the end where a reader looks first. */
    private static void printHeldOutSummary(List<Path> files) throws java.io.IOException {
        String last = null;
        Path from = null;
        for (Path f : files) {
            if (!f.toString().endsWith(".tsv")) continue;
            String t = java.nio.file.Files.readString(f);
            if (t.startsWith("method\ttest_median\ttuning_median\t")) {
                last = t;
                from = f;
            }
        }
        if (last == null) return;
        System.out.println(
                "\nheld-out summary (median per-gene Pearson; report the test half), from " + from.getFileName() + ":");
        for (String line : last.split("\n")) {
            String[] c = line.split("\t");
            StringBuilder b = new StringBuilder(String.format("  %-28s", c[0]));
            for (int k = 1; k < c.length; k++) b.append(String.format("%32s", number(c[k])));
            System.out.println(b.toString().stripTrailing());
        }
    }

    private static String number(String cell) {
        try {
            return String.format(java.util.Locale.ROOT, "%.3f", Double.parseDouble(cell));
        } catch (NumberFormatException e) {
            return cell;
        }
    }

    /** Lists datasets.yaml with, per modality, "ready" or the exact missing paths under the data root. */
    private static int datasets(String[] args) {
        Path dataRoot = args.length > 0
                ? callerDir().resolve(args[0])
                : Path.of(System.getProperty(
                        "scxm.data.root", root().resolve("data").toString()));
        org.scxm.data.DatasetRegistry r = org.scxm.data.DatasetRegistry.load(root().resolve("datasets.yaml"));
        System.out.println("data root: " + dataRoot.toAbsolutePath() + " (give another as ./scxm datasets DIR)");
        System.out.print(Render.tsv(r.listing(dataRoot)));
        return 0;
    }

    /** Delegates to the benchmarks (module scxm-bench, on ./scxm's class path; not in the interpreter jar). */
    private static int bench(String[] args) throws Exception {
        return delegate("org.scxm.bench.Benchmarks", "the benchmarks (scxm-bench/target/classes)", args);
    }

    /** Delegates to the Zeppelin launcher (module zeppelin-launcher, on ./scxm's class path; not in the interpreter jar). */
    private static int zeppelin(String[] args) throws Exception {
        return delegate(
                "org.scxm.launcher.ZeppelinCommand", "the Zeppelin launcher (zeppelin-launcher/target/classes)", args);
    }

    /** Runs the main of a module that ./scxm puts on the class path beside the interpreter. */
    private static int delegate(String className, String what, String[] args) throws Exception {
        Class<?> main;
        try {
            main = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new ScxmException(
                    what + " is not on the class path; run ./scxm build, or use the docker recipe in docker/.");
        }
        try {
            main.getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
        return 0;
    }
}
