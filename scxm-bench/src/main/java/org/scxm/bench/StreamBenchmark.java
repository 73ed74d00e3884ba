package org.scxm.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scxm.data.DemoTissue;
import org.scxm.io.LoadOptions;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Role;
import org.scxm.workbench.Workbench;

/**
 * {@code ./scxm bench stream [--cells 1000000] [--genes 5000] [--dir /tmp/scxm-stream] [--heap 8g] [--threads 1]
 * [--batch 64]} (batch: predict's cells per batch, the paragraph's default):
 * a large validation slide kept on disk ({@code load ... backed=true}) through harmonise, tokenize, predict (the
 * quickstart's tiny model) and export, with the time of each stage and the process's memory after it (VmRSS and the
 * high-water mark VmHWM from /proc/self/status), in a fresh JVM.
 * The file (about 200 non-zeros per cell, the demo tissue's genes first so that harmonise finds its panel) is
 * written once by bench/make_stream_h5ad.py with anndata + h5py in row blocks under --dir, and kept there.
 */
public final class StreamBenchmark extends Benchmark {
    public StreamBenchmark() {
        super(
                "stream",
                "a 1M x 5k backed .h5ad through harmonise, tokenize, predict and export: time per stage and peak RSS");
    }

    @Override
    protected void run(Path root, Args args, PrintStream out) throws Exception {
        String cells = String.valueOf(args.option("cells", 1_000_000)),
                genes = String.valueOf(args.option("genes", 5000)),
                heap = args.option("heap", "8g");
        int threads = args.option("threads", 1),
                batch = args.option("batch", Options.Predict.of("val").batch());
        Path dir = Path.of(args.option("dir", "/tmp/scxm-stream"));
        Files.createDirectories(dir);
        Path file = dir.resolve("stream_" + cells + "x" + genes + ".h5ad");
        if (!Files.exists(file)) {
            DemoTissue.Params d = DemoTissue.Params.defaults(0);
            org.scxm.data.Modality demo = DemoTissue.generate(
                            new DemoTissue.Params(0, 200, 300, 200, d.stPanel(), d.valPanel()))
                    .val();
            List<String> lines = new ArrayList<>();
            for (int j = 0; j < demo.nGenes(); j++)
                lines.add(demo.geneNames()[j] + "\t" + (demo.geneIds()[j] == null ? "" : demo.geneIds()[j]));
            Path list = dir.resolve("demo_genes.tsv");
            Files.write(list, lines);
            String python = Reference.python("anndata", "h5py");
            out.println("generating " + file + " with anndata + h5py in row blocks ...");
            long t0 = System.nanoTime();
            out.print(Reference.exec(List.of(
                    python,
                    root.resolve("bench/make_stream_h5ad.py").toString(),
                    file.toString(),
                    list.toString(),
                    "--cells",
                    cells,
                    "--genes-total",
                    genes)));
            out.printf(Locale.ROOT, "  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);
        }
        out.printf(Locale.ROOT, "file: %s (%.2f GB)%n", file, Files.size(file) / 1e9);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx" + heap,
                "-Dai.djl.offline=true",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName(),
                file.toString(),
                dir.resolve("export.h5ad").toString(),
                String.valueOf(threads),
                String.valueOf(batch)));
        // Peak memory is the child's own VmHWM (the kernel's exact high-water mark), so nothing samples it from
        // outside. Predict's time varies 66-190 s between identical runs on this VM (the slow runs burn more CPU:
        // host-side page faults); an outside sampler and a pipe as stdin were once blamed, then ruled out.
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) if (!l.startsWith("WARNING")) out.println(l);
        }
        out.printf(Locale.ROOT, "child exit %d%n", p.waitFor());
    }

    /** The measured side: one workbench, the stages in order, a line per stage. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]), export = Path.of(args[1]);
            int threads = Integer.parseInt(args[2]), batch = Integer.parseInt(args[3]);
            try (Workbench wb = new Workbench(new Workbench.Settings(0, "cpu", threads))) {
                stage("load demo (sc, st: 4,000 cells, in memory)", () -> wb.loadDemo(new Options.Demo(0, 4000)));
                stage(
                        "load val backed=true",
                        () -> wb.load(new Options.Load(
                                Role.VAL,
                                "val",
                                file,
                                null,
                                LoadOptions.defaults().withBacked(true))));
                stage("harmonise", () -> wb.harmonise(Options.Harmonise.defaults()));
                DatasetState val = wb.state().datasets().get("val");
                System.out.printf(
                        Locale.ROOT,
                        "  val: %,d cells kept x %,d genes, panel %d genes, read in chunks of %,d rows%n",
                        val.nCells(),
                        val.modality().nGenes(),
                        val.panel().length,
                        val.modality().matrix().chunkRows());
                stage("tokenize vocab=data max_length=64", () -> wb.tokenize(Options.Tokenize.fromData(64)));
                stage(
                        "model (1 x 32, untrained)",
                        () -> wb.model(Options.Model.small("scxm", 0).withShape(1, 32, 32, 1)));
                stage("predict val batch=" + batch, () -> wb.predict(new Options.Predict("val", null, batch)));
                stage("export val (panel genes + layers)", () -> wb.export(new Options.Export("val", export, true)));
            }
        }

        interface Work {
            void run() throws Exception;
        }

        static void stage(String name, Work w) throws Exception {
            long t0 = System.nanoTime();
            double[] cpu0 = cpuSeconds();
            w.run();
            double s = (System.nanoTime() - t0) / 1e9;
            double[] cpu1 = cpuSeconds();
            String rss = "?", hwm = "?";
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS")) rss = gib(l);
                if (l.startsWith("VmHWM")) hwm = gib(l);
            }
            // CPU time beside wall time: a slow stage that burns no more CPU waited (other work, the host)
            System.out.printf(
                    Locale.ROOT,
                    "%-46s %8.1f s (CPU user %.1f s, sys %.1f s)   RSS %s GiB, peak (VmHWM) %s GiB%n",
                    name,
                    s,
                    cpu1[0] - cpu0[0],
                    cpu1[1] - cpu0[1],
                    rss,
                    hwm);
        }

        /** This process's user and system CPU seconds so far (/proc/self/stat, 100 ticks a second). */
        private static double[] cpuSeconds() throws java.io.IOException {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        }

        private static String gib(String line) {
            return String.format(Locale.ROOT, "%.2f", Long.parseLong(line.replaceAll("\\D+", "")) / 1048576.0);
        }
    }
}
