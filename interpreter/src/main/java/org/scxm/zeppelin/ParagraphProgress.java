package org.scxm.zeppelin;

import org.scxm.Progress;

/**
 * Progress of one running paragraph: a fraction Zeppelin polls, a cancel flag, and, once a paragraph has
 * run for a few seconds, a line of text (step, losses, time left: the command's own message) each time it
 * passes another 5 %, streamed to the paragraph through Zeppelin's output stream (the runner: to the terminal).
 */
final class ParagraphProgress implements Progress {
    static final long QUIET_NANOS = 3_000_000_000L;
    private final java.io.OutputStream out;
    private final long started = System.nanoTime();
    private volatile double fraction;
    private volatile boolean cancelled;
    private int lastLine = -1;

    ParagraphProgress(java.io.OutputStream out) {
        this.out = out;
    }

    @Override
    public void update(double f, String message) {
        if (cancelled) throw new Cancelled();
        fraction = Math.max(0, Math.min(1, f));
        if (out != null && message != null && !message.isBlank() && System.nanoTime() - started > QUIET_NANOS)
            line(message);
    }

    private synchronized void line(String message) {
        int step = (int) Math.floor(fraction * 20); // every 5 %
        if (step <= lastLine) return;
        lastLine = step;
        try {
            out.write(String.format(java.util.Locale.ROOT, "[%3d%%] %s%n", Math.round(fraction * 100), message)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        } catch (java.io.IOException e) {
            // the paragraph's output stream is gone (the paragraph ended); the progress bar still shows the fraction
        }
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }

    int percent() {
        return fraction > 0 ? Math.max(1, (int) Math.round(100 * fraction)) : 0;
    }
}
