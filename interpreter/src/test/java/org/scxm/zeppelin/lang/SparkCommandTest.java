package org.scxm.zeppelin.lang;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.Progress;
import org.scxm.workbench.Report;

/** `engine=spark` from a paragraph: the same DE as the local verb, on a local Spark session, as a Parquet folder. */
class SparkCommandTest {
    @TempDir
    static Path dir;

    @AfterAll
    static void stopSpark() {
        org.apache.spark.sql.SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    @Test
    void deWithEngineSparkWritesParquetAndAnswersTheTable() {
        Properties p = new Properties();
        p.setProperty("scxm.workdir", dir.toString());
        p.setProperty("scxm.threads", "1");
        Engine engine = new Engine(Settings.from(p));
        assertEquals("local[1]", engine.settings().sparkMaster());
        Engine.Result loaded = engine.run("load demo cells=300 seed=2\nexport val path=val.h5ad", Progress.NONE);
        assertTrue(loaded.ok(), loaded.error());
        String type = engine.workbench()
                .state()
                .datasets()
                .get("val")
                .modality()
                .obs()
                .stringColumn("cell_type")
                .get(0);
        Engine.Result r = engine.run(
                "de engine=spark path=val.h5ad groups=cell_type group1=\"" + type + "\" out=de cells_per_task=100",
                Progress.NONE);
        assertTrue(r.ok(), r.error());
        assertTrue(Files.isDirectory(dir.resolve("de")), "a Parquet folder");
        assertTrue(
                r.outputs().stream()
                        .anyMatch(o -> o instanceof Report.Tabular t
                                && t.table().name().startsWith("spark de")
                                && t.table().longColumn("rows").get(0) > 0),
                r.outputs().toString());

        String e = engine.run("harmonise engine=spark", Progress.NONE).error();
        assertTrue(e.contains("engine=spark is for tokenize, predict, bulk and de"), e);
        e = engine.run("spark tokenise path=val.h5ad out=x", Progress.NONE).error();
        assertTrue(e.contains("unknown stage"), e);
        e = engine.run("spark de path=val.h5ad out=de groups=cell_type group1=x", Progress.NONE)
                .error();
        assertTrue(e.contains("exists already"), e);
    }
}
