package org.scxm.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scxm.ScxmException;

/** What benchmarks share: finding the reference Python, running it, raw little-endian array files, peak memory, medians. */
public final class Reference {
    private Reference() {}

    /** $SCXM_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH: the first that imports the modules. */
    public static String python(String... modules) throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("SCXM_PYTHON") != null) candidates.add(System.getenv("SCXM_PYTHON"));
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import " + String.join(", ", modules))
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) return c;
            } catch (IOException e) {
                /* next */
            }
        }
        throw new ScxmException("the reference needs a python3 with " + String.join(", ", modules)
                + "; install it (apt-get install python3-" + String.join(" python3-", modules)
                + ") or set SCXM_PYTHON.");
    }

    /** {@link #python}, or null after saying on {@code out} why the reference is skipped. */
    public static String pythonOrSkip(java.io.PrintStream out, String... modules) throws InterruptedException {
        try {
            return python(modules);
        } catch (RuntimeException e) {
            out.println("reference skipped: " + e.getMessage());
            return null;
        }
    }

    /** The median of the values (the mean of the middle two for an even count); v is not changed. */
    public static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Runs a command; returns its stdout; throws with its stderr on failure. */
    public static String exec(List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile("scxm-bench", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        String e = Files.readString(err);
        Files.deleteIfExists(err);
        if (rc != 0) throw new IOException(String.join(" ", cmd) + " failed: " + e);
        return out;
    }

    /** This process's resident-memory high-water mark in MiB (Linux VmHWM), or -1. */
    public static double peakRssMiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("VmHWM")) return Long.parseLong(l.replaceAll("\\D+", "")) / 1024.0;
        } catch (IOException e) {
            /* not Linux */
        }
        return -1;
    }

    public static void writeDoubles(Path f, double[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        Files.write(f, b.array());
    }

    public static void writeInts(Path f, int[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        Files.write(f, b.array());
    }

    public static void writeFloats(Path f, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(f, b.array());
    }

    public static float[] readFloats(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    public static int[] readInts(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        return v;
    }
}
