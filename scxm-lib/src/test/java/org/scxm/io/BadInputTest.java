package org.scxm.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.ScxmException;
import org.scxm.analysis.Gmt;
import org.scxm.data.LazyTable;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;
import org.scxm.model.Checkpoint;
import org.scxm.model.SafeTensors;
import org.scxm.model.TrainConfig;
import org.scxm.testing.Demo;
import org.scxm.workbench.Options;
import org.scxm.workbench.Workbench;

/** Each kind of bad input stops with one sentence naming the file or field and what to do. */
class BadInputTest {
    @TempDir
    Path tmp;

    static final Path REAL = Path.of("src/test/resources/real");

    static String fail(Path p, LoadOptions o) {
        return assertThrows(ScxmException.class, () -> Readers.load(p, "t", o)).getMessage();
    }

    @Test
    void missingFile() {
        String msg = fail(tmp.resolve("nope.h5ad"), LoadOptions.defaults());
        assertTrue(msg.contains("nope.h5ad' does not exist: check the path"), msg);
    }

    @Test
    void notAnHdf5File() throws IOException {
        Path p = Files.writeString(tmp.resolve("cells.h5ad"), "cell,gene\n1,2\n");
        String msg = fail(p, LoadOptions.defaults());
        assertTrue(msg.startsWith("'cells.h5ad' is not an HDF5 file"), msg);
    }

    @Test
    void tenxFileForcedAsH5adAndUnknownFormat() {
        Path tenx = REAL.resolve("scanpy_10x_v3_filtered_feature_bc_matrix.h5");
        String msg = fail(tenx, LoadOptions.defaults().withFormat("h5ad"));
        assertTrue(
                msg.startsWith(
                        "scanpy_10x_v3_filtered_feature_bc_matrix.h5 has no 'obs' table, so it is not an AnnData .h5ad file"),
                msg);
        String unknown = fail(tenx, LoadOptions.defaults().withFormat("loom"));
        assertTrue(
                unknown.startsWith("format 'loom' is unknown: use one of h5ad, 10x, xenium, visium, merscope"),
                unknown);
    }

    @Test
    void unrecognisedFolder() throws IOException {
        Files.writeString(tmp.resolve("readme.txt"), "x");
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.contains("is not a Xenium (cell_feature_matrix.h5 + cells.csv.gz), Visium"), msg);
    }

    @Test
    void xeniumWithOnlyParquetCells() throws IOException {
        Files.copy(REAL.resolve("sfe_xenium_toy/cell_feature_matrix.h5"), tmp.resolve("cell_feature_matrix.h5"));
        Files.copy(REAL.resolve("sfe_xenium_toy/cells.parquet"), tmp.resolve("cells.parquet"));
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.contains("has no cells.csv.gz (cells.parquet is not read"), msg);
    }

    /** The sentence a Xenium folder (the toy's count matrix, this cells.csv.gz) is refused with. */
    private String xeniumRefusal(String cellsCsv) throws IOException {
        Files.copy(REAL.resolve("sfe_xenium_toy/cell_feature_matrix.h5"), tmp.resolve("cell_feature_matrix.h5"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("cells.csv.gz")))) {
            out.write(cellsCsv.getBytes());
        }
        return fail(tmp, LoadOptions.defaults());
    }

    @Test
    void xeniumCellsWithoutCentroidsHaveNoCoordinates() throws IOException {
        String msg = xeniumRefusal("cell_id,cell_area\njcccmpde-1,3.0\n");
        assertTrue(
                msg.startsWith("cells.csv.gz in ")
                        && msg.contains("lacks cell_id, x_centroid or y_centroid: coordinates are required"),
                msg);
    }

    @Test
    void xeniumCellMissingFromTheCellsTable() throws IOException {
        String msg = xeniumRefusal("cell_id,x_centroid,y_centroid\nsomeone-else,1,2\n");
        assertTrue(msg.contains("has no row for cell 'jcccmpde-1' of the count matrix"), msg);
    }

    @Test
    void visiumWithoutScaleFactors() throws IOException {
        Files.copy(
                REAL.resolve("scanpy_visium_1.0.0/filtered_feature_bc_matrix.h5"),
                tmp.resolve("filtered_feature_bc_matrix.h5"));
        Files.createDirectories(tmp.resolve("spatial"));
        Files.copy(
                REAL.resolve("scanpy_visium_1.0.0/spatial/tissue_positions_list.csv"),
                tmp.resolve("spatial/tissue_positions_list.csv"));
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(
                msg.contains(
                        "lacks spatial/tissue_positions.csv (or tissue_positions_list.csv) or spatial/scalefactors_json.json"),
                msg);
    }

    @Test
    void merscopeNegativeCountNamesTheCell() throws IOException {
        Files.writeString(tmp.resolve("run_cell_by_gene.csv"), "cell,Alb,Blank-1\nc1,3,0\nc2,-1,0\n");
        Files.writeString(tmp.resolve("run_cell_metadata.csv"), ",fov,center_x,center_y\nc1,0,1.5,2\nc2,0,3,4\n");
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.startsWith("run_cell_by_gene.csv holds a negative value (-1.0) for cell 'c2'"), msg);
    }

    // ---- files that are cut short, empty or of the wrong shape: one sentence naming the file, no decoder message

    static Path cut(Path from, Path to, int bytes) throws IOException {
        byte[] b = Files.readAllBytes(from);
        return Files.write(to, java.util.Arrays.copyOf(b, Math.min(bytes, b.length)));
    }

    @Test
    void h5adCutShortIsNamedAsDamaged() throws IOException {
        for (int bytes : new int[] {100, 2048, 40_000}) {
            Path p = cut(REAL.resolve("scanpy_pbmc68k_reduced.h5ad"), tmp.resolve("cut" + bytes + ".h5ad"), bytes);
            String msg = fail(p, LoadOptions.defaults());
            assertTrue(msg.contains("cut" + bytes + ".h5ad"), msg);
            assertTrue(msg.contains("cut short or damaged") || msg.contains("not truncated"), msg);
            assertFalse(msg.contains("internal error") || msg.contains("(null)"), msg);
        }
    }

    @Test
    void xeniumCellsTableCutInHalfIsNamedAsDamaged() throws IOException {
        Files.copy(REAL.resolve("sfe_xenium_toy/cell_feature_matrix.h5"), tmp.resolve("cell_feature_matrix.h5"));
        Path cells = REAL.resolve("sfe_xenium_toy/cells.csv.gz");
        cut(cells, tmp.resolve("cells.csv.gz"), (int) Files.size(cells) / 2);
        String msg = fail(tmp, LoadOptions.defaults());
        assertTrue(msg.contains("cells.csv.gz"), msg);
        assertTrue(msg.contains("cut short or damaged"), msg);
    }

    static Modality tiny(String[] cells, String[] genes, double[] x, double[] y) {
        float[][] d = new float[cells.length][genes.length];
        for (int i = 0; i < cells.length; i++) for (int j = 0; j < genes.length; j++) d[i][j] = i + j;
        return new Modality(
                "t", SparseMatrix.fromDense(d, genes.length), cells, genes, null, LazyTable.empty("obs"), x, y);
    }

    /** The sentence a MERSCOPE folder {@code name} with these two tables is refused with. */
    private String merscopeRefusal(String name, String cellByGene, String metadata) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("run_cell_by_gene.csv"), cellByGene);
        Files.writeString(dir.resolve("run_cell_metadata.csv"), metadata);
        return fail(dir, LoadOptions.defaults());
    }

    @Test
    void zeroCellAndZeroGeneFilesSayWhatIsMissing() throws IOException {
        String msg = merscopeRefusal("nocells", "cell,Alb,Cd3e\n", ",fov,center_x,center_y\n");
        assertTrue(msg.contains("holds no cells"), msg);
        assertFalse(msg.contains("null"), msg);

        String g = merscopeRefusal("nogenes", "cell\nc1\nc2\n", ",fov,center_x,center_y\nc1,0,1.5,2\nc2,0,3,4\n");
        assertTrue(g.contains("holds 2 cells but no genes"), g);
        assertFalse(g.contains("species"), g);

        // nor can an export write one: the sentence says why, not "check the folder is writable"
        String w = assertThrows(
                        ScxmException.class,
                        () -> H5adWriter.write(
                                tmp.resolve("e.h5ad"),
                                tiny(new String[0], new String[] {"CD3E"}, null, null),
                                null,
                                null,
                                false))
                .getMessage();
        assertTrue(w.contains("has 0 cells x 1 genes, so there is nothing to write"), w);
    }

    @Test
    void repeatedCellIdsAreMadeUniqueAndRepeatedGenesWarned() throws IOException {
        Path p = tmp.resolve("dups.h5ad");
        H5adWriter.write(
                p,
                tiny(new String[] {"a", "b", "a", "a"}, new String[] {"CD3E", "CD3E", "MS4A1"}, null, null),
                null,
                null);
        List<String> warnings = new ArrayList<>();
        Modality m = Readers.load(p, "t", LoadOptions.defaults().withWarnings(warnings::add));
        // the ids anndata's obs_names_make_unique gives the same list
        assertArrayEquals(new String[] {"a", "b", "a-1", "a-2"}, m.cellIds());
        assertTrue(
                warnings.stream().anyMatch(w -> w.contains("repeats 1 cell id(s) (e.g. 'a' 3 times)")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("CD3E (2 columns)")), warnings.toString());
    }

    @Test
    void allNaNCoordinatesAreNoCoordinates() throws IOException {
        Path p = tmp.resolve("nan.h5ad");
        double[] nan = {Double.NaN, Double.NaN};
        H5adWriter.write(p, tiny(new String[] {"a", "b"}, new String[] {"CD3E"}, nan, nan.clone()), null, null);
        List<String> warnings = new ArrayList<>();
        Modality m = Readers.load(p, "t", LoadOptions.defaults().withWarnings(warnings::add));
        assertFalse(m.hasCoordinates());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("x/y in 'nan.h5ad' is NaN")), warnings.toString());
    }

    @Test
    void emptyOrCutWeightsFileIsNamed() throws IOException {
        Path empty = Files.createFile(tmp.resolve("model.safetensors"));
        String msg =
                assertThrows(ScxmException.class, () -> SafeTensors.read(empty)).getMessage();
        assertTrue(msg.contains("model.safetensors is empty"), msg);
        Files.write(empty, new byte[] {40, 0, 0, 0, 0, 0, 0, 0, '{', '"', 'a'});
        String cut =
                assertThrows(ScxmException.class, () -> SafeTensors.read(empty)).getMessage();
        assertFalse(cut.contains(": null"), cut);
    }

    @Test
    void checkpointConfigCutShortOrOfAnotherShapeIsNamed() throws IOException {
        Path ck = Files.createDirectories(tmp.resolve("ck"));
        Files.write(ck.resolve("weights.safetensors"), new byte[16]);
        String whole = "{\n  \"model\": {\"encoder\": {\"vocab_size\": 10}},\n  \"train\": {},\n  \"step\": 3\n}";
        Files.writeString(ck.resolve("config.json"), whole.substring(0, whole.length() / 2));
        String cut =
                assertThrows(ScxmException.class, () -> Checkpoint.restore(ck)).getMessage();
        assertTrue(cut.contains("config.json is damaged: it is cut short"), cut);
        assertFalse(cut.contains("JsonSyntaxException") || cut.contains("internal error"), cut);

        Files.writeString(ck.resolve("config.json"), "[1, 2, 3]");
        String shape =
                assertThrows(ScxmException.class, () -> Checkpoint.context(ck)).getMessage();
        assertTrue(shape.contains("config.json is damaged"), shape);
        Files.writeString(ck.resolve("config.json"), "{\"model\": 3, \"train\": {}}");
        String section =
                assertThrows(ScxmException.class, () -> Checkpoint.restore(ck)).getMessage();
        assertTrue(section.contains("has no 'model' section"), section);
        assertFalse(section.contains("ClassCastException"), section);
    }

    @Test
    void binaryGmtAndTwoSetsOfOneNameAreSaid() throws IOException {
        Path bin = Files.write(
                tmp.resolve("sets.gmt"), new byte[] {(byte) 0x1f, (byte) 0x8b, 8, 0, (byte) 0xff, (byte) 0xfe});
        String msg = assertThrows(ScxmException.class, () -> Gmt.read(bin)).getMessage();
        assertTrue(msg.contains("sets.gmt is not a UTF-8 text file"), msg);
        assertFalse(msg.contains("Input length"), msg);

        Path dup = Files.writeString(
                tmp.resolve("dup.gmt"), "IMMUNE\tna\tCD3E\tMS4A1\nOTHER\tna\tALB\nIMMUNE\tna\tCXCR4\n");
        String d = assertThrows(ScxmException.class, () -> Gmt.read(dup)).getMessage();
        assertTrue(d.contains("two gene sets named 'IMMUNE' (lines 1 and 3)"), d);
    }

    // ---- writes: nothing the user owns is replaced unasked; leftovers of killed writes are swept

    static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) out.put(dir.relativize(p), Files.isRegularFile(p) ? Files.readAllBytes(p) : null);
        }
        return out;
    }

    static void assertSame(Map<Path, byte[]> before, Map<Path, byte[]> after) {
        assertEquals(before.keySet(), after.keySet());
        for (Path k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k.toString());
    }

    static Workbench trained() {
        Workbench wb = Demo.modelled(200, 32, 16);
        wb.train(Options.Train.of(new TrainConfig(1, 1, 8, 1e-4, 1e-4, 2, 10, 1, 1, 0, 5, 1)));
        return wb;
    }

    @Test
    void saveRefusesAFileAFolderItDidNotWriteAndAPathUnderAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "my notes, not a checkpoint\n");
        Path workspace = Files.createDirectories(tmp.resolve("workspace"));
        Files.copy(REAL.resolve("scanpy_pbmc68k_reduced.h5ad"), workspace.resolve("data.h5ad"));
        Files.createDirectories(workspace.resolve("results"));
        Files.writeString(workspace.resolve("results/table.tsv"), "gene\tr\nCD3E\t0.5\n");
        Map<Path, byte[]> before = snapshot(tmp);
        try (Workbench wb = trained()) {
            String onFile = assertThrows(ScxmException.class, () -> wb.save(new Options.Save(file, null)))
                    .getMessage();
            assertTrue(
                    onFile.contains("notes.txt is an existing file") && onFile.contains("nothing was overwritten"),
                    onFile);
            String onFolder = assertThrows(ScxmException.class, () -> wb.save(new Options.Save(workspace, null)))
                    .getMessage();
            assertTrue(
                    onFolder.contains("workspace exists and was not written by save")
                            && onFolder.contains("nothing was overwritten"),
                    onFolder);
            String under = assertThrows(ScxmException.class, () -> wb.save(new Options.Save(file.resolve("ck"), null)))
                    .getMessage();
            assertTrue(under.contains("notes.txt is a file, not a folder"), under);
            assertFalse(under.contains("writable"), under);
            assertSame(before, snapshot(tmp));

            // the other half of the rule: a checkpoint save wrote is replaced by the next save, and an empty folder
            // is used as given
            Path ck = tmp.resolve("ck");
            wb.save(new Options.Save(ck, null));
            wb.save(new Options.Save(ck, null));
            assertTrue(Checkpoint.isCheckpoint(ck));
            Path notes = Files.writeString(ck.resolve("notes.txt"), "what this run was");
            String extra = assertThrows(ScxmException.class, () -> wb.save(new Options.Save(ck, null)))
                    .getMessage();
            assertTrue(extra.contains("also holds notes.txt, which save did not write"), extra);
            assertEquals("what this run was", Files.readString(notes));
            Path empty = Files.createDirectories(tmp.resolve("empty"));
            wb.save(new Options.Save(empty, null));
            assertTrue(Checkpoint.isCheckpoint(empty));
        }
    }

    static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void leftoversOfKilledWritesAreSweptByTheNextWrite() throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Path ck = tmp.resolve("ck");
        Path saving = Files.createDirectories(tmp.resolve(".ck.saving-" + dead));
        Files.write(saving.resolve("weights.safetensors"), new byte[1000]);
        Path old = Files.createDirectories(tmp.resolve(".ck.old-" + dead));
        Files.write(old.resolve("weights.safetensors"), new byte[1000]);
        Path live = Files.createDirectories(tmp.resolve(".ck.saving-" + alive + "x"));
        Path mine = Files.writeString(tmp.resolve(".ck.saving-notes"), "a user's own file");
        Path tmpFile = Files.write(tmp.resolve(".out.h5ad.tmp-" + dead + "-123456"), new byte[100]);
        try (Workbench wb = trained()) {
            wb.save(new Options.Save(ck, null));
        }
        assertFalse(Files.exists(saving), "a dead save's temporary folder is swept");
        assertFalse(Files.exists(old), "a dead save's moved-aside copy is swept once a complete one is in place");
        assertTrue(Files.exists(live) && Files.exists(mine), "only the workbench's own leftovers are touched");

        H5adWriter.write(
                tmp.resolve("out.h5ad"),
                tiny(new String[] {"a"}, new String[] {"CD3E"}, null, null),
                null,
                null,
                false);
        assertFalse(Files.exists(tmpFile), "a dead export's temporary file is swept");
    }

    @Test
    void aMovedAsideCopyIsKeptWhileItIsTheOnlyOne() throws Exception {
        Path old = Files.createDirectories(tmp.resolve(".ck.old-" + deadPid()));
        Files.write(old.resolve("weights.safetensors"), new byte[10]);
        assertEquals(0, Targets.sweep(tmp.resolve("ck")));
        assertTrue(Files.exists(old));
    }

    @Test
    void exportOverAFileIsRefusedUnlessOverwriteAndSaysItReplaced() throws IOException {
        Modality m = tiny(new String[] {"a", "b"}, new String[] {"CD3E"}, null, null);
        Path file = Files.copy(REAL.resolve("scanpy_pbmc68k_reduced.h5ad"), tmp.resolve("data.h5ad"));
        byte[] before = Files.readAllBytes(file);
        String msg = assertThrows(ScxmException.class, () -> H5adWriter.write(file, m, null, null, false))
                .getMessage();
        assertTrue(msg.contains("data.h5ad exists already") && msg.contains("overwrite=true"), msg);
        assertArrayEquals(before, Files.readAllBytes(file));

        assertTrue(H5adWriter.write(file, m, null, null, true), "the writer reports that it replaced a file");
        assertEquals(2, Readers.load(file, "t", LoadOptions.defaults()).nCells());
        assertFalse(H5adWriter.write(tmp.resolve("new.h5ad"), m, null, null, false));

        Path folder = Files.createDirectories(tmp.resolve("folder.h5ad"));
        String f = assertThrows(ScxmException.class, () -> H5adWriter.write(folder, m, null, null, true))
                .getMessage();
        assertTrue(f.contains("is an existing folder"), f);
        String under = assertThrows(
                        ScxmException.class, () -> H5adWriter.write(file.resolve("x.h5ad"), m, null, null, false))
                .getMessage();
        assertTrue(under.contains("data.h5ad is a file, not a folder"), under);
    }

    @Test
    void exportVerbRefusesAnExistingFileUnlessOverwriteAndSaysItReplacedOne() throws IOException {
        Path file = Files.copy(REAL.resolve("scanpy_pbmc68k_reduced.h5ad"), tmp.resolve("val.h5ad"));
        byte[] before = Files.readAllBytes(file);
        try (Workbench wb = new Workbench(Workbench.Settings.defaults())) {
            wb.loadDemo(Options.Demo.of(0).withCells(200));
            org.scxm.workbench.State state = wb.state();
            String msg = assertThrows(ScxmException.class, () -> wb.export(new Options.Export("val", file)))
                    .getMessage();
            assertTrue(msg.contains("val.h5ad exists already") && msg.contains("nothing was overwritten"), msg);
            assertArrayEquals(before, Files.readAllBytes(file), "the user's file is untouched");
            Assertions.assertSame(state, wb.state());

            String replaced = wb.export(new Options.Export("val", file, true)).text();
            assertTrue(replaced.contains("it replaced the file that was there"), replaced);
            int cells = wb.state().datasets().get("val").nCells();
            assertEquals(cells, Readers.load(file, "t", LoadOptions.defaults()).nCells(), "the file holds val now");

            String fresh = wb.export(new Options.Export("val", tmp.resolve("new.h5ad")))
                    .text();
            assertFalse(fresh.contains("replaced"), fresh);
        }
    }

    @Test
    void trainBatchLargerThanTheDataIsRefusedBeforeAnyWork() {
        try (Workbench wb = Demo.modelled(200, 32, 16)) {
            org.scxm.workbench.State state = wb.state();
            int sc = state.datasets().get("sc").nCells(),
                    st = state.datasets().get("st").nCells();
            TrainConfig big = new TrainConfig(1, 1, 100000, 1e-4, 1e-4, 5, 10, 1, 1, 0, 5, 1);
            String msg = assertThrows(ScxmException.class, () -> wb.train(Options.Train.of(big)))
                    .getMessage();
            assertTrue(
                    msg.startsWith("batch=100000 is more cells than the data has")
                            && msg.contains("'sc' " + sc)
                            && msg.contains("'st' " + st + " cells")
                            && msg.contains("give batch=" + Math.min(sc, st) + " or less"),
                    msg);
            Assertions.assertSame(state, wb.state(), "the model and its (absent) run are as they were");
            assertNull(wb.state().models().get("m").run());
        }
    }

    @Test
    void checkpointOfAnotherPanelNamesTheGenesThatDiffer() throws IOException {
        Path ck = tmp.resolve("ck");
        try (Workbench wb = trained()) {
            wb.save(new Options.Save(ck, null));
            String[] panel = wb.state().harmonisation().panel();
            // the same run, as if trained on a panel where one gene is another
            Path config = ck.resolve("config.json");
            Files.writeString(config, Files.readString(config).replace("\"" + panel[3] + "\"", "\"OTHER1\""));
            org.scxm.workbench.State state = wb.state();
            String msg = assertThrows(ScxmException.class, () -> wb.model(Options.Model.checkpoint("back", ck)))
                    .getMessage();
            assertTrue(
                    msg.contains("1 only in the checkpoint (OTHER1) and 1 only in the data (" + panel[3] + ")"), msg);
            Assertions.assertSame(state, wb.state());
        }
    }
}
