package org.scxm.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.ScxmException;
import tech.tablesaw.api.Table;

class DatasetRegistryTest {
    static final Path YAML = Path.of("../datasets.yaml");

    @Test
    void thePapersNineSourcesAndTheDemo() {
        DatasetRegistry r = DatasetRegistry.load(YAML);
        assertEquals(List.of("demo", "lung", "breast", "brain"), r.names());
        assertTrue(r.get("demo").builtin());
        for (String t : List.of("lung", "breast", "brain")) {
            assertEquals(3, r.get(t).modalities().size(), t);
            for (var s : r.get(t).modalities()) assertTrue(s.url().startsWith("https://"), t + "." + s.role());
        }
        assertEquals("frozen", r.get("brain").paperSettings().get("variant"));
        assertEquals("mouse", r.get("brain").modality("st").species());
    }

    @Test
    void missingFilesAreNamedExactlyAndPresentOnesAreReady(@TempDir Path root) throws Exception {
        DatasetRegistry r = DatasetRegistry.load(YAML);
        List<Path> miss = r.missingFiles("lung", root);
        assertEquals(root.resolve("lung/hlca_core.h5ad"), miss.get(0));
        assertEquals(5, miss.size());
        Files.createDirectories(root.resolve("lung"));
        Files.writeString(root.resolve("lung/hlca_core.h5ad"), "x");
        assertEquals(4, r.missingFiles("lung", root).size());
        Table t = r.listing(root);
        int row = -1;
        for (int i = 0; i < t.rowCount(); i++)
            if (t.stringColumn("dataset").get(i).equals("lung")
                    && t.stringColumn("modality").get(i).equals("sc")) row = i;
        assertEquals("ready", t.stringColumn("status").get(row));
        ScxmException e = assertThrows(ScxmException.class, () -> r.get("lungs"));
        assertTrue(e.getMessage().contains("known: demo, lung, breast, brain"));
    }

    @Test
    void brokenRegistriesGetOneSentence(@TempDir Path dir) throws Exception {
        Path y = dir.resolve("d.yaml");
        Files.writeString(y, "x:\n  description: no modalities\n");
        assertTrue(assertThrows(ScxmException.class, () -> DatasetRegistry.load(y))
                .getMessage()
                .contains("has no modalities"));
        assertThrows(ScxmException.class, () -> DatasetRegistry.load(dir.resolve("nope.yaml")));
    }
}
