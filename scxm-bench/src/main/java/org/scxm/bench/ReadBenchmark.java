package org.scxm.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scxm.data.Modality;
import org.scxm.io.LoadOptions;
import org.scxm.io.Readers;

/**
 * {@code ./scxm bench read [FILE.h5ad] [--cells N] [--genes G] [--compression gzip|none] [--heap 8g] [--rounds 3]}: time (wall and
 * CPU) and peak memory (VmHWM, the process's resident high-water mark) to read a sparse .h5ad with our reader in a fresh
 * JVM started with this one's options (the launcher's: its heap, transparent huge pages), next to {@code anndata.read_h5ad} in a fresh
 * Python on the same file, in rounds that alternate which side goes first; medians are reported. Without FILE, a 200k x 5k file is generated once by
 * bench/make_sparse_h5ad.py under bench/data/ in both layouts anndata writes (plain chunks and gzip), and both are
 * read. The Python is {@link Reference#python}'s: $SCXM_PYTHON, else /usr/bin/python3.
 */
public final class ReadBenchmark extends Benchmark {
    public ReadBenchmark() {
        super("read", "read a 200k x 5k sparse .h5ad: our reader vs anndata.read_h5ad (time, peak RSS)");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        String cells = String.valueOf(args.option("cells", 200_000)),
                genes = String.valueOf(args.option("genes", 5000)),
                heap = args.option("heap", null),
                given = args.word(0, null);
        String python = Reference.python("anndata");
        List<Path> files = new ArrayList<>();
        if (given != null) files.add(Path.of(given));
        else // both storage layouts anndata writes: plain chunks and gzip-compressed chunks
        for (String compression :
                    args.has("compression") ? List.of(args.option("compression", "none")) : List.of("none", "gzip")) {
                String tag = cells + "x" + genes + (compression.equals("none") ? "" : "-" + compression);
                Path file = root.resolve("bench/data/sparse_" + tag + ".h5ad");
                if (!Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    List<String> cmd = new ArrayList<>(List.of(
                            python,
                            root.resolve("bench/make_sparse_h5ad.py").toString(),
                            file.toString(),
                            "--cells",
                            cells,
                            "--genes",
                            genes));
                    if (!compression.equals("none")) cmd.addAll(List.of("--compression", compression));
                    out.println("generating " + file + " with anndata ...");
                    out.print(exec(cmd));
                }
                files.add(file);
            }
        int rounds = args.option("rounds", 3);
        out.println("python: " + python + "; JVM: " + java() + " " + String.join(" ", childOptions(heap)));
        for (Path file : files) {
            out.printf("%nfile: %s (%.1f MB), %d rounds%n", file, Files.size(file) / 1e6, rounds);
            List<String> cmd = new ArrayList<>(List.of(java()));
            cmd.addAll(childOptions(heap));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), file.toString()));
            List<String> py = List.of(
                    python,
                    "-c",
                    String.join(
                            "\n",
                            "import sys, time, anndata",
                            "t = time.perf_counter(); c = time.process_time()",
                            "a = anndata.read_h5ad(sys.argv[1])",
                            "dt = time.perf_counter() - t; dc = time.process_time() - c",
                            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]",
                            "print(f'seconds={dt:.3f} cpu_seconds={dc:.3f} hwm_kb={hwm} shape={a.shape[0]}x{a.shape[1]} nnz={a.X.nnz}')"),
                    file.toString());
            // Rounds alternate which side goes first. In this VM a read started right after another JVM's read takes
            // 0.7 s and the same read a few seconds later, or after the Python side, 1.2-1.6 s (more CPU, the same
            // pages touched), so a fixed order would hand that cost to one side.
            double[][] o = new double[rounds][], t = new double[rounds][];
            String ours = "";
            for (int r = 0; r < rounds; r++) {
                String theirs;
                if (r % 2 == 0) {
                    ours = exec(cmd);
                    theirs = exec(py);
                } else {
                    theirs = exec(py);
                    ours = exec(cmd);
                }
                o[r] = parse(ours);
                t[r] = parse(theirs);
                out.printf(
                        "round %d (%s first): ours %s | anndata %s%n",
                        r + 1, r % 2 == 0 ? "ours" : "anndata", ours.strip(), theirs.strip());
            }
            Matcher nnz = Pattern.compile("nnz=([0-9]+)").matcher(ours),
                    shape = Pattern.compile("shape=([0-9]+)x").matcher(ours);
            double csrKb = nnz.find() && shape.find()
                    ? (8.0 * Long.parseLong(nnz.group(1)) + 8.0 * (Long.parseLong(shape.group(1)) + 1)) / 1024
                    : Double.NaN;
            double cold = median(o, 0), warm = median(o, 2), hwm = median(o, 1);
            double ref = median(t, 0), refHwm = median(t, 1);
            out.printf(
                    "median of %d: ours %.3f s cold JVM, %.3f s warm (a second read in the same process); anndata %.3f s%n",
                    rounds, cold, warm, ref);
            out.printf(
                    "time ours/anndata: %.2f (cold JVM), %.2f (warm JVM); per round, cold: %s; "
                            + "peak RSS ours/anndata %.2f, ours / CSR arrays (%.0f MiB) %.2f%n",
                    cold / ref, warm / ref, ratios(o, t), hwm / refHwm, csrKb / 1024, hwm / csrKb);
        }
    }

    /** The median over rounds of one field of {@link #parse}'s result. */
    private static double median(double[][] runs, int field) {
        double[] v = new double[runs.length];
        for (int i = 0; i < v.length; i++) v[i] = runs[i][field];
        return Reference.median(v);
    }

    private static String ratios(double[][] o, double[][] t) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < o.length; i++) s.append(i == 0 ? "" : " ").append(String.format("%.2f", o[i][0] / t[i][0]));
        return s.toString();
    }

    /**
     * The measured JVM's options: the launcher's for this one (its heap, huge pages), the heap replaced when --heap is
     * given (G1 sizes its regions by the heap: 4 MB at 8g, 8 MB at the launcher's 16g); a debugger, agents and a
     * flight recording stay with this process.
     */
    private static List<String> childOptions(String heap) {
        List<String> o = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!(heap != null && a.startsWith("-Xmx"))
                    && !a.startsWith("-agent")
                    && !a.startsWith("-javaagent")
                    && !a.startsWith("-XX:StartFlightRecording")) o.add(a);
        if (heap != null) o.add("-Xmx" + heap);
        return o;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** seconds, VmHWM in kB and (ours only) the warm seconds of a line printed by either side. */
    private static double[] parse(String line) {
        Matcher s = Pattern.compile("(?<!_)seconds=([0-9.]+)").matcher(line),
                h = Pattern.compile("hwm_kb=([0-9]+)").matcher(line),
                w = Pattern.compile("warm_seconds=([0-9.]+)").matcher(line);
        if (!s.find() || !h.find()) throw new IllegalStateException("unexpected benchmark output: " + line);
        return new double[] {
            Double.parseDouble(s.group(1)),
            Double.parseDouble(h.group(1)),
            w.find() ? Double.parseDouble(w.group(1)) : 0
        };
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(cmd.getFirst() + " failed: " + text);
        return text;
    }

    /** The measured side: loads the file once and reports seconds and VmHWM. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            long t0 = System.nanoTime();
            Modality m = Readers.load(Path.of(args[0]), "bench", LoadOptions.defaults());
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = ((com.sun.management.OperatingSystemMXBean)
                                    java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime()
                    / 1e9; // all threads, JVM start included
            String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM"))
                    .findFirst()
                    .orElse("VmHWM: 0 kB")
                    .replaceAll("\\D+", " ")
                    .trim();
            String shape = m.nCells() + "x" + m.nGenes() + " nnz=" + m.counts().nnz();
            m = null;
            // a second load in the same JVM: what a warm notebook interpreter sees (peak memory is from the first)
            long t1 = System.nanoTime();
            Readers.load(Path.of(args[0]), "bench", LoadOptions.defaults());
            System.out.printf(
                    "seconds=%.3f cpu_seconds=%.3f hwm_kb=%s shape=%s warm_seconds=%.3f%n",
                    seconds, cpu, hwm, shape, (System.nanoTime() - t1) / 1e9);
        }
    }

    /** Runs the benchmark from a shell: {@code java -cp ... org.scxm.bench.ReadBenchmark ROOT [args]}. */
    public static void main(String[] args) throws Exception {
        new ReadBenchmark()
                .run(
                        Path.of(args.length > 0 ? args[0] : "."),
                        java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length),
                        System.out);
    }
}
