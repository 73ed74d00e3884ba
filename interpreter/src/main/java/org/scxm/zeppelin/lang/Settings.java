package org.scxm.zeppelin.lang;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Interpreter-wide settings (from interpreter-setting.json properties or the runner's -D flags).
 * Relative {@code path=} values resolve against the workspace folder {@code scxm.workdir} (default: the
 * user's home), the same in the headless runner, a local Zeppelin and Docker; {@code scxm.data.root} and
 * {@code scxm.model.root} may move reads elsewhere and themselves resolve against the workspace.
 *
 * @param device    auto, cpu or gpu
 * @param threads   worker threads for numeric work (0 = all cores)
 * @param workdir   the workspace: absolute, where relative paths start
 * @param dataRoot  relative data paths resolve against it (absolute; default the workspace)
 * @param modelRoot relative model paths resolve against it (absolute; default the workspace)
 * @param seed      default seed of every random step
 * @param sparkMaster the Spark master of the `spark` command: local[N] (default: N = threads, else all cores) or a
 *                  cluster URL such as spark://host:7077
 */
public record Settings(
        String device, int threads, Path workdir, Path dataRoot, Path modelRoot, long seed, String sparkMaster) {
    public static Settings defaults() {
        return from(new Properties());
    }

    public static Settings from(Properties p) {
        String w = p.getProperty("scxm.workdir", "~").strip();
        Path workdir =
                Path.of(expandHome(w.isEmpty() ? "~" : w)).toAbsolutePath().normalize();
        return new Settings(
                p.getProperty("scxm.device", "auto"),
                (int) number(p, "scxm.threads", 0),
                workdir,
                workdir.resolve(expandHome(p.getProperty("scxm.data.root", ".").strip()))
                        .normalize(),
                workdir.resolve(expandHome(p.getProperty("scxm.model.root", ".").strip()))
                        .normalize(),
                number(p, "scxm.seed", 0),
                sparkMaster(p));
    }

    private static String sparkMaster(Properties p) {
        // the interpreter setting, else a -Dscxm.spark.master JVM property (Docker passes it that way)
        String m = p.getProperty("scxm.spark.master", "").strip();
        if (m.isEmpty()) m = System.getProperty("scxm.spark.master", "").strip();
        if (!m.isEmpty()) return m;
        long threads = number(p, "scxm.threads", 0);
        return "local[" + (threads > 0 ? threads : Runtime.getRuntime().availableProcessors()) + "]";
    }

    /** The library's part of these settings. */
    public org.scxm.workbench.Workbench.Settings workbench() {
        return new org.scxm.workbench.Workbench.Settings(seed, device, (int) threads);
    }

    /** A whole-number property, or one sentence naming it when it is not one. */
    public static long number(Properties p, String key, long otherwise) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) return otherwise;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new org.scxm.ScxmException("the interpreter property " + key + " must be a whole number, not '"
                    + v.strip() + "'; fix it in the interpreter setting (or the -D" + key + " flag).");
        }
    }

    /** The absolute file a data path= names, so messages about it say exactly where it looked. */
    public Path data(String path) {
        return dataRoot.resolve(expandHome(path)).normalize();
    }

    public Path model(String path) {
        return modelRoot.resolve(expandHome(path)).normalize();
    }

    private static String expandHome(String p) {
        if (p.equals("~")) return System.getProperty("user.home");
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }
}
