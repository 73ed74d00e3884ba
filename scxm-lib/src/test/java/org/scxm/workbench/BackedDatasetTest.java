package org.scxm.workbench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.ScxmException;
import org.scxm.analysis.DifferentialExpression;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.io.H5adWriter;
import org.scxm.io.LoadOptions;
import org.scxm.io.Readers;
import org.scxm.tokenize.RankValueEncoder;
import tech.tablesaw.api.Table;

/**
 * A validation slide loaded with backed=true (its matrix left on disk, read in row chunks) gives what the same file
 * loaded into memory gives, step for step: harmonise (cell filter, binarised panel), tokens, predictions, DE and
 * export. Tiny read chunks make every step pass over several chunks.
 */
class BackedDatasetTest {
    /** 500 entries a chunk: the 600-cell validation slide is read in three chunks of 256 rows (and short slices). */
    static final int CHUNK = 500;

    record Run(DatasetState val, RankValueEncoder enc, Table de, Modality exported) {}

    static Run run(Path file, boolean backed, Path out) {
        try (Workbench wb = new Workbench(Workbench.Settings.defaults())) {
            wb.loadDemo(new Options.Demo(0, 600));
            wb.load(new Options.Load(
                    Role.VAL,
                    "val",
                    file,
                    null,
                    LoadOptions.defaults().withChunkEntries(CHUNK).withBacked(backed)));
            assertEquals(backed, wb.state().datasets().get("val").modality().backed());
            wb.harmonise(Options.Harmonise.defaults());
            wb.tokenize(Options.Tokenize.fromData(64));
            // two models averaged; the second's head reads the cell's own panel (the binarised matrix)
            wb.model(Options.Model.small("a", 0).withShape(1, 32, 32, 1));
            wb.model(Options.Model.small("b", 1).withShape(1, 32, 32, 1).withOwnPanel(true));
            wb.predict(new Options.Predict("val", "a,b", 16));
            wb.de(new Options.De("val", "celltype", "T cell", "rest", DifferentialExpression.Test.WILCOXON, true, 5));
            wb.export(new Options.Export("val", out));
            DatasetState val = wb.state().datasets().get("val");
            return new Run(
                    val,
                    wb.encoder(val),
                    wb.state().de().get("val"),
                    Readers.load(out, "exported", LoadOptions.defaults()));
        }
    }

    /** The demo's 600-cell validation slide written as an .h5ad under {@code dir}. */
    static Path demoValFile(Path dir) {
        Modality demoVal;
        try (Workbench wb = new Workbench(Workbench.Settings.defaults())) {
            wb.loadDemo(new Options.Demo(0, 600));
            demoVal = wb.state().datasets().get("val").loaded();
        }
        Path file = dir.resolve("val.h5ad");
        H5adWriter.write(file, demoVal, Map.of(), Map.of());
        return file;
    }

    @Test
    void aBackedSlideGivesTheSameTokensPredictionsDeAndExportAsInMemory(@TempDir Path dir) {
        Path file = demoValFile(dir);

        Run mem = run(file, false, dir.resolve("mem.h5ad")), disk = run(file, true, dir.resolve("disk.h5ad"));

        assertTrue(disk.val().modality().backed());
        assertEquals(mem.val().nCells(), disk.val().nCells(), "same cells kept by harmonise");
        assertArrayEquals(mem.val().modality().cellIds(), disk.val().modality().cellIds());
        for (var m : java.util.List.of(
                disk.val().binarised(), disk.val().prediction(), disk.val().decoded()))
            assertTrue(m.isOnDisk(), "a backed slide's per-cell outputs are kept in scratch files");
        assertFalse(mem.val().prediction().isOnDisk());
        assertArrayEquals(
                mem.val().binarised().data(), disk.val().binarised().inMemory().data());
        for (int i = 0; i < mem.val().nCells(); i++)
            assertArrayEquals(mem.enc().encode(i), disk.enc().encode(i), "tokens of cell " + i);
        assertArrayEquals(
                mem.val().prediction().data(),
                disk.val().prediction().inMemory().data());
        assertArrayEquals(
                mem.val().decoded().data(), disk.val().decoded().inMemory().data());

        assertEquals(mem.de().rowCount(), disk.de().rowCount());
        assertArrayEquals(
                mem.de().stringColumn("gene").asObjectArray(),
                disk.de().stringColumn("gene").asObjectArray());
        assertArrayEquals(
                mem.de().doubleColumn("pval").asDoubleArray(),
                disk.de().doubleColumn("pval").asDoubleArray());

        SparseMatrix a = mem.exported().counts(), b = disk.exported().counts();
        assertEquals(a.rows(), b.rows());
        for (int i = 0; i < a.rows(); i++) assertArrayEquals(a.denseRow(i), b.denseRow(i), "exported row " + i);
        for (String layer : new String[] {"binarised", "prediction", "decoded"}) {
            float[][] x = layer(dir.resolve("mem.h5ad"), layer), y = layer(dir.resolve("disk.h5ad"), layer);
            assertEquals(mem.val().nCells(), x.length, layer);
            assertArrayEquals(x, y, "exported layer " + layer);
        }
        float[][] pred = layer(dir.resolve("disk.h5ad"), "prediction");
        assertArrayEquals(disk.val().prediction().row(7), pred[7], "the file holds the prediction");
    }

    static float[][] layer(Path file, String name) {
        try (io.jhdf.HdfFile h = new io.jhdf.HdfFile(file)) {
            return (float[][]) h.getDatasetByPath("layers/" + name).getData();
        }
    }

    @Test
    void stepsThatNeedTheWholeMatrixRefuseABackedDatasetInOneSentence(@TempDir Path dir) {
        Path file = demoValFile(dir);
        Modality disk = Readers.load(file, "v", LoadOptions.defaults().withBacked(true));
        ScxmException e = assertThrows(ScxmException.class, disk::counts);
        assertTrue(e.getMessage().contains("load it without backed=true"), e.getMessage());
    }
}
