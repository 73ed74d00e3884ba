package org.scxm.zeppelin.lang;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Interpreter-wide settings (from interpreter-setting.json properties or the runner's flags).
 *
 * @param device    auto, cpu or gpu
 * @param threads   worker threads for numeric work (0 = all cores)
 * @param dataRoot  relative data paths resolve against it
 * @param modelRoot relative model paths resolve against it
 * @param seed      default seed of every random step
 * @param plotlySrc where plotly.js comes from: "inline" (bundled, once per note) or a URL
 */
public record Settings(String device, int threads, Path dataRoot, Path modelRoot, long seed, String plotlySrc) {
    public static Settings defaults() { return from(new Properties()); }

    public static Settings from(Properties p) {
        return new Settings(p.getProperty("scxm.device", "auto"),
                Integer.parseInt(p.getProperty("scxm.threads", "0").strip()),
                Path.of(p.getProperty("scxm.data.root", ".")),
                Path.of(p.getProperty("scxm.model.root", ".")),
                Long.parseLong(p.getProperty("scxm.seed", "0").strip()),
                p.getProperty("scxm.plotly.src", "inline"));
    }

    /** The library's part of these settings. */
    public org.scxm.workbench.Workbench.Settings workbench() { return new org.scxm.workbench.Workbench.Settings(seed, device, threads); }

    public Path data(String path) { return dataRoot.resolve(expandHome(path)); }
    public Path model(String path) { return modelRoot.resolve(expandHome(path)); }

    private static String expandHome(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }
}
