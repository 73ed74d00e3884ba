package org.scxm.model;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scxm.ScxmException;

/**
 * A look at memory before a batch runs through the encoder, so that a batch too big for the machine is one sentence
 * instead of a process the kernel kills (PyTorch's native allocations are outside the Java heap and its limit).
 *
 * <p>The estimate counts the arrays {@link BertEncoder#forward} makes per block, all of which an {@code NDScope} holds
 * until the step ends: 11 of (batch x tokens x hidden) for the q/k/v projections, the attention output, residuals and
 * layer norms, 2 of (batch x tokens x intermediate) for the feed-forward layer, and 4 of (batch x heads x tokens x
 * tokens) for the attention scores, their scale, mask and softmax; 4 bytes each (float32). Training adds half as
 * much again for the backward pass's gradients (a 2 x 128 encoder on 16 cells x 512 tokens on the CPU: forward
 * 0.72 GB measured as peak RSS growth against 0.66 estimated, forward and backward 0.93 GB against 0.99; on 64 cells x
 * 256 tokens 0.89 against 0.79 and 1.11 against 1.18). Critic steps do not multiply it: they share one generated batch and each frees its
 * arrays before the next. Weights, optimiser state and the data are left out: they do not grow with the batch.
 */
public final class ActivationMemory {
    private ActivationMemory() {}

    /** Bytes the encoder's arrays take for one batch of {@code batch} cells of {@code tokens} tokens. */
    public static long encoderBytes(BertConfig c, long batch, long tokens, boolean training) {
        double perBlock =
                (double) batch * tokens * (11.0 * c.hidden() + 2.0 * c.intermediate() + 4.0 * c.heads() * tokens);
        double bytes = 4.0 * c.layers() * perBlock * (training ? 1.5 : 1);
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /**
     * Bytes this process may still allocate outside the Java heap: the kernel's MemAvailable, lowered to what a
     * cgroup (container) limit leaves; -1 when neither can be read (then nothing is refused).
     */
    public static long available() {
        long avail = meminfo("MemAvailable:");
        if (avail < 0
                && ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            avail = os.getFreeMemorySize();
        long limit = number(Path.of("/sys/fs/cgroup/memory.max")),
                used = number(Path.of("/sys/fs/cgroup/memory.current"));
        if (limit > 0 && used >= 0) avail = avail < 0 ? limit - used : Math.min(avail, limit - used);
        return avail;
    }

    /**
     * Refuses a batch whose estimate exceeds the memory left, in one sentence naming the cost drivers and a batch that
     * fits; does nothing when the memory left cannot be read.
     *
     * @param what  the paragraph, e.g. "train batch=100000"
     * @param fix   what else to lower, e.g. "max_length (tokenize)"
     */
    public static void check(String what, BertConfig c, int batch, int tokens, boolean training, String fix) {
        check(what, c, batch, tokens, training, fix, available());
    }

    /** As {@link #check(String, BertConfig, int, int, boolean, String)} against {@code available} bytes. */
    static void check(String what, BertConfig c, int batch, int tokens, boolean training, String fix, long available) {
        if (available < 0) return;
        long need = encoderBytes(c, batch, tokens, training);
        if (need <= available) return;
        int fits = 0, hi = batch; // the largest batch that fits: the estimate grows with the batch
        while (fits < hi) {
            int mid = (int) ((fits + (long) hi + 1) / 2);
            if (encoderBytes(c, mid, tokens, training) <= available) fits = mid;
            else hi = mid - 1;
        }
        throw new ScxmException(String.format(
                Locale.ROOT,
                "%s would need about %s for the encoder's activations (%d cells x %d tokens x hidden %d x %d blocks, %d heads%s) "
                        + "but only %s of memory is free; %s%s (nothing was run).",
                what,
                gb(need),
                batch,
                tokens,
                c.hidden(),
                c.layers(),
                c.heads(),
                training ? ", with gradients" : "",
                gb(available),
                fits >= 1 ? "give batch=" + fits + " or less, or lower " : "no batch fits: lower ",
                fix));
    }

    /** The longest token sequence among up to 256 cells spread over the data: what a batch of them is padded to. */
    public static int longestTokens(org.scxm.tokenize.RankValueEncoder enc) {
        int n = enc.modality().nCells(), step = Math.max(1, n / 256), longest = 1;
        for (int i = 0; i < n; i += step) longest = Math.max(longest, enc.encode(i).length);
        return longest;
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    private static long meminfo(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo")))
                if (l.startsWith(key))
                    return Long.parseLong(l.substring(key.length()).strip().split("\\s+")[0]) * 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux, or another layout: fall back to the JVM's view
        }
        return -1;
    }

    private static long number(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip()); // "max" (no limit) is not a number
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
