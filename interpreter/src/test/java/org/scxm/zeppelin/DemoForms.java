package org.scxm.zeppelin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;

/**
 * Form values that shrink the quickstart for tests: the note's defaults train a real demo model for
 * minutes; tests pick small values, as a workshop user would in Zeppelin's dropdowns.
 */
public final class DemoForms {
    private DemoForms() {}

    public static final Map<String, String> SMALL = Map.ofEntries(
            Map.entry("cells", "600"),
            Map.entry("layers", "1"),
            Map.entry("hidden", "32"),
            Map.entry("width", "32"),
            Map.entry("trainable", "1"),
            Map.entry("steps", "4"),
            Map.entry("comp_steps", "30"),
            Map.entry("seeds", "2"),
            Map.entry("batch", "8"),
            Map.entry("critic", "2"),
            Map.entry("warmup", "5"),
            Map.entry("permutations", "100"),
            Map.entry("baseline_steps", "10"),
            Map.entry("ae_steps", "10"),
            Map.entry("tangram_epochs", "10"),
            // a 4-step model predicts near-constant values; niches on the true target keep the DE/GSEA steps meaningful
            Map.entry("niche_source", "target"),
            // the hypothalamus note's data folder in this checkout (relative paths would start at the workspace)
            Map.entry(
                    "hypothalamus",
                    java.nio.file.Path.of("../data/real/moffitt_hypothalamus")
                            .toAbsolutePath()
                            .normalize()
                            .toString()),
            Map.entry(
                    "osmfish",
                    java.nio.file.Path.of("../data/real/osmfish_zeisel")
                            .toAbsolutePath()
                            .normalize()
                            .toString()));

    /** The note's JSON with SMALL saved as every paragraph's form values (settings.params), as Zeppelin stores a user's picks. */
    public static String withSmallForms(String zpln) {
        JsonObject note = JsonParser.parseString(zpln).getAsJsonObject();
        note.getAsJsonArray("paragraphs").forEach(p -> {
            JsonObject para = p.getAsJsonObject();
            JsonObject settings = para.has("settings") ? para.getAsJsonObject("settings") : new JsonObject();
            JsonObject params = settings.has("params") ? settings.getAsJsonObject("params") : new JsonObject();
            SMALL.forEach(params::addProperty);
            settings.add("params", params);
            if (!settings.has("forms")) settings.add("forms", new JsonObject());
            para.add("settings", settings);
        });
        return note.toString();
    }
}
