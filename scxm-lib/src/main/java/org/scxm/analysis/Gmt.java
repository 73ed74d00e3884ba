package org.scxm.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
        Map<String, Integer> lineOf = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int ln = 0; ln < lines.size(); ln++) {
                String line = lines.get(ln);
                if (line.isBlank()) continue;
                String[] f = line.split("\t");
                if (f.length < 3)
                    throw new ScxmException(file + " has a line with fewer than 3 tab-separated fields ('"
                            + line.substring(0, Math.min(40, line.length()))
                            + "'); a GMT line is name, description, then genes.");
                List<String> genes = new ArrayList<>();
                for (int k = 2; k < f.length; k++) if (!f[k].isBlank()) genes.add(f[k].trim());
                Integer first = lineOf.putIfAbsent(f[0], ln + 1);
                if (first != null) // keeping either would silently drop the other's genes
                throw new ScxmException(file + " has two gene sets named '" + f[0] + "' (lines " + first + " and "
                        + (ln + 1) + "); rename or remove one of them.");
                sets.put(f[0], genes);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ScxmException(
                    file + " is not a UTF-8 text file (a GMT file is text: name, description, then"
                            + " genes, tab-separated); give the .gmt file itself, not a compressed or binary one.",
                    e);
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
