package org.scxm.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;

/** Gene sets in the GMT format: one set per line, name TAB description TAB gene TAB gene ... */
public final class Gmt {
    private Gmt() {}

    public static Map<String, List<String>> read(Path file) {
        if (!Files.isRegularFile(file))
            throw new ScxmException(
                    "gene set file " + file + " does not exist; give a .gmt file (e.g. from MSigDB or Reactome).");
        Map<String, List<String>> sets = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) continue;
                String[] f = line.split("\t");
                if (f.length < 3)
                    throw new ScxmException(file + " has a line with fewer than 3 tab-separated fields ('"
                            + line.substring(0, Math.min(40, line.length()))
                            + "'); a GMT line is name, description, then genes.");
                List<String> genes = new ArrayList<>();
                for (int k = 2; k < f.length; k++) if (!f[k].isBlank()) genes.add(f[k].trim());
                sets.put(f[0], genes);
            }
        } catch (IOException e) {
            throw new ScxmException("could not read " + file + ": " + e.getMessage(), e);
        }
        return sets;
    }

    /** Writes sets as GMT (description = "na"). */
    public static void write(Path file, Map<String, List<String>> sets) throws IOException {
        StringBuilder b = new StringBuilder();
        sets.forEach((k, v) ->
                b.append(k).append("\tna\t").append(String.join("\t", v)).append('\n'));
        Files.writeString(file, b);
    }
}
