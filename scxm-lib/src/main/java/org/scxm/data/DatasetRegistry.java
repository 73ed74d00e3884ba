package org.scxm.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;
import org.yaml.snakeyaml.Yaml;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The registry of named datasets in datasets.yaml: the paper's three tissue triples and the built-in demo. */
public final class DatasetRegistry {

    /** One modality of a dataset: role sc/st/val, where to get it, which files must be under the data root. */
    public record Source(
            String role,
            String url,
            String reference,
            List<String> files,
            String format,
            String label,
            String species,
            String size) {}

    public record Dataset(
            String name,
            String description,
            boolean builtin,
            List<Source> modalities,
            Map<String, Object> paperSettings,
            String homology) {
        public Source modality(String role) {
            return modalities.stream()
                    .filter(s -> s.role().equals(role))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final Map<String, Dataset> datasets;

    private DatasetRegistry(Map<String, Dataset> datasets) {
        this.datasets = datasets;
    }

    @SuppressWarnings("unchecked")
    public static DatasetRegistry load(Path yaml) {
        if (!Files.isRegularFile(yaml))
            throw new ScxmException("no dataset registry at " + yaml
                    + "; run from the project folder or give the path of datasets.yaml.");
        Object root;
        try (Reader r = Files.newBufferedReader(yaml)) {
            root = new Yaml().load(r);
        } catch (IOException | RuntimeException e) {
            throw new ScxmException(
                    yaml + " is not valid YAML (" + e.getMessage().split("\n")[0] + "); fix the line it names.", e);
        }
        if (!(root instanceof Map<?, ?> top))
            throw new ScxmException(yaml + " must map dataset names to their descriptions.");
        Map<String, Dataset> out = new LinkedHashMap<>();
        for (var e : top.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> d))
                throw new ScxmException(
                        "dataset '" + name + "' in " + yaml + " must be a mapping with description and modalities.");
            boolean builtin = Boolean.TRUE.equals(d.get("builtin"));
            List<Source> mods = new ArrayList<>();
            Object m = d.get("modalities");
            if (!builtin && !(m instanceof Map))
                throw new ScxmException("dataset '" + name + "' in " + yaml + " has no modalities: (sc, st, val).");
            if (m instanceof Map<?, ?> mm)
                for (var me : mm.entrySet()) {
                    String role = String.valueOf(me.getKey());
                    if (!List.of("sc", "st", "val").contains(role))
                        throw new ScxmException(
                                "dataset '" + name + "' has modality '" + role + "'; use sc, st or val.");
                    Map<String, Object> s = (Map<String, Object>) me.getValue();
                    Object files = s.get("files");
                    if (!(files instanceof List<?> fl) || fl.isEmpty())
                        throw new ScxmException("modality " + name + "." + role
                                + " lists no files:; name the files a user must place.");
                    mods.add(new Source(
                            role,
                            str(s.get("source")),
                            str(s.get("reference")),
                            fl.stream().map(String::valueOf).toList(),
                            str(s.get("format")),
                            str(s.get("label")),
                            str(s.get("species")),
                            str(s.get("size"))));
                }
            Map<String, Object> paper = d.get("paper") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            out.put(name, new Dataset(name, str(d.get("description")), builtin, mods, paper, str(d.get("homology"))));
        }
        return new DatasetRegistry(out);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    public List<String> names() {
        return List.copyOf(datasets.keySet());
    }

    public Dataset get(String name) {
        Dataset d = datasets.get(name);
        if (d == null)
            throw new ScxmException(
                    "no dataset '" + name + "' in datasets.yaml; known: " + String.join(", ", datasets.keySet()) + ".");
        return d;
    }

    /** The exact paths looked for that do not exist, in order. */
    public List<Path> missingFiles(String name, Path dataRoot) {
        List<Path> missing = new ArrayList<>();
        for (Source s : get(name).modalities())
            for (String f : s.files()) {
                Path p = dataRoot.resolve(f);
                if (!Files.exists(p)) missing.add(p);
            }
        return missing;
    }

    /** One row per dataset and modality: status "ready", "built in" or "missing: PATHS". */
    public Table listing(Path dataRoot) {
        StringColumn name = StringColumn.create("dataset"),
                role = StringColumn.create("modality"),
                size = StringColumn.create("size"),
                status = StringColumn.create("status"),
                source = StringColumn.create("source");
        for (Dataset d : datasets.values()) {
            if (d.builtin()) {
                name.append(d.name());
                role.append("sc, st, val");
                size.append("");
                status.append("built in");
                source.append(d.description());
                continue;
            }
            for (Source s : d.modalities()) {
                List<String> miss = new ArrayList<>();
                for (String f : s.files())
                    if (!Files.exists(dataRoot.resolve(f)))
                        miss.add(dataRoot.resolve(f).toString());
                name.append(d.name());
                role.append(s.role());
                size.append(s.size() == null ? "" : s.size());
                status.append(miss.isEmpty() ? "ready" : "missing: " + String.join(", ", miss));
                source.append(s.url());
            }
        }
        return Table.create("datasets", name, role, size, status, source);
    }
}
