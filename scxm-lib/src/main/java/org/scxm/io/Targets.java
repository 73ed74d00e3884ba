package org.scxm.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.scxm.ScxmException;

/**
 * The one rule for every write the workbench makes (checkpoint {@code save}, {@code pretrain path=}, h5ad
 * {@code export}; Spark results follow it in {@code AtomicParquet}): an existing target is replaced only when it is
 * what the same kind of write made before (a checkpoint, a pretrained folder) or when the user asked with
 * {@code overwrite=true}; anything else is refused with one sentence before any work, and nothing is touched.
 *
 * <p>Writes go to a hidden sibling ({@code .NAME.saving-PID}, {@code .NAME.tmp-PID-N}) that is renamed into place,
 * the previous copy moved aside as {@code .NAME.old-PID} meanwhile. A process killed mid-write leaves those behind;
 * {@link #sweep} removes the ones whose process is gone on the next write to the same target.
 */
public final class Targets {
    private Targets() {}

    /**
     * Checks that folder {@code dir} may be written: it does not exist, is an empty folder, or {@code ours} accepts it.
     *
     * @param what the writer's name for the refusal, e.g. "save" or "pretrain"
     * @throws ScxmException naming the target and what is in the way
     */
    public static void checkFolder(Path dir, Predicate<Path> ours, String what) {
        checkParent(dir);
        if (Files.isRegularFile(dir))
            throw new ScxmException(dir + " is an existing file, not a folder " + what
                    + " wrote; give a new folder name (nothing was overwritten).");
        if (!Files.isDirectory(dir) || ours.test(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent())
                throw new ScxmException(dir + " exists and was not written by " + what
                        + "; give a new folder (nothing was overwritten).");
        } catch (IOException e) {
            throw new ScxmException("cannot list " + dir + " (" + e.getMessage() + "); give a writable folder.", e);
        }
    }

    /**
     * Checks that {@code file} may be written: it does not exist, or it is a file and {@code overwrite} is set.
     *
     * @return true when an existing file will be replaced (for the verb to say so)
     */
    public static boolean checkFile(Path file, boolean overwrite) {
        checkParent(file);
        if (Files.isDirectory(file))
            throw new ScxmException(file + " is an existing folder; give a file name (nothing was overwritten).");
        if (!Files.exists(file)) return false;
        if (!overwrite)
            throw new ScxmException(
                    file
                            + " exists already; give another file name, or overwrite=true to replace it (nothing was overwritten).");
        return true;
    }

    /** A path whose parent (or any folder above) is a regular file cannot be made: say which. */
    public static void checkParent(Path target) {
        for (Path p = target.toAbsolutePath().getParent(); p != null; p = p.getParent())
            if (Files.isRegularFile(p))
                throw new ScxmException(
                        "cannot write " + target + ": " + p + " is a file, not a folder; give a path inside a folder.");
    }

    /**
     * Removes the hidden siblings of {@code target} that an interrupted write left: {@code .NAME.saving-PID},
     * {@code .NAME.tmp-PID-...} and {@code .NAME.old-PID} of processes that are no longer alive. A moved-aside
     * {@code .old-} copy is kept while NAME itself is missing: it is then the only complete copy (see
     * {@code Checkpoint.survivingCopy}).
     *
     * @return how many were removed
     */
    public static int sweep(Path target) {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) return 0;
        String name = abs.getFileName().toString();
        boolean targetThere = Files.exists(abs);
        int removed = 0;
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.toList()) {
                String f = p.getFileName().toString();
                Long pid = null;
                boolean old = false;
                for (String kind : new String[] {".saving-", ".tmp-", ".old-"}) {
                    String prefix = "." + name + kind;
                    if (f.startsWith(prefix)) {
                        pid = leadingPid(f.substring(prefix.length()));
                        old = kind.equals(".old-");
                        break;
                    }
                }
                if (pid == null || alive(pid) || (old && !targetThere)) continue;
                try {
                    deleteTree(p);
                    removed++;
                } catch (IOException ignored) {
                    // a leftover that cannot be removed is never read as a result; the write goes on
                }
            }
        } catch (IOException ignored) {
            // an unlistable folder will fail the write itself with its own sentence
        }
        return removed;
    }

    private static Long leadingPid(String rest) {
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) end++;
        if (end == 0 || end > 18 || (end < rest.length() && rest.charAt(end) != '-')) return null;
        return Long.parseLong(rest.substring(0, end));
    }

    private static boolean alive(long pid) {
        return pid == ProcessHandle.current().pid()
                || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
