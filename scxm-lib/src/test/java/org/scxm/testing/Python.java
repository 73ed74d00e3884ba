package org.scxm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs reference scripts in a Python that has the needed modules (Debian's python3-anndata,
 * python3-scipy, python3-torch...). Tests that need one call {@link #require}, which skips the
 * test with a clear message where no such Python exists.
 */
public final class Python {
    private Python() {}

    private static final String[] CANDIDATES = {"/usr/bin/python3", "python3"};

    /** The first python3 that can import all the modules, or null. */
    public static String find(String... modules) {
        String probe = "import " + String.join(", ", modules);
        for (String exe : CANDIDATES) {
            try {
                Process p = new ProcessBuilder(exe, "-c", probe)
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) return exe;
            } catch (IOException | InterruptedException e) {
                // try the next candidate
            }
        }
        return null;
    }

    /** A python3 with the modules, or skips the calling test saying what to install. */
    public static String require(String... modules) {
        String exe = find(modules);
        Assumptions.assumeTrue(
                exe != null,
                "skipped: no python3 with " + String.join(", ", modules) + " (apt-get install python3-"
                        + String.join(" python3-", modules) + ")");
        return exe;
    }

    /** Runs a script file with arguments; returns stdout; fails the test on a non-zero exit. */
    public static String run(String exe, Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(exe, script.toString()));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("py", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String errText = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) throw new AssertionError(script.getFileName() + " failed: " + errText);
        return out;
    }
}
