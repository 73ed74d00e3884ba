package org.scxm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;

/** A row range read by itself equals the same rows of the whole file, for every matrix layout the reader knows. */
class LoadRowsTest {
    static final Path DIR = H5adReaderTest.DIR;

    @Test
    void everyRangeOfEveryLayoutEqualsTheWholeFilesRows() {
        for (String f : new String[] {
            "dense_f32.h5ad",
            "dense_chunked_gzip.h5ad",
            "csr_f64_layers.h5ad",
            "csc_int.h5ad",
            "legacy_categories.h5ad",
            "scaled_lognorm_raw.h5ad"
        }) {
            for (LoadOptions o : new LoadOptions[] {
                LoadOptions.defaults(), LoadOptions.defaults().withChunkEntries(7)
            }) {
                Modality whole = Readers.load(DIR.resolve(f), "t", o);
                int n = Readers.h5adCells(DIR.resolve(f), o);
                assertEquals(whole.nCells(), n, f);
                for (int[] r : new int[][] {{0, n}, {0, 1}, {1, n}, {n / 3, 2 * n / 3 + 1}, {n - 1, n}, {2, 2}}) {
                    Modality part = Readers.loadRows(DIR.resolve(f), "t", o, r[0], r[1]);
                    Modality want =
                            whole.selectCells(IntStream.range(r[0], r[1]).toArray());
                    String at = f + " rows " + r[0] + ".." + r[1];
                    assertSame(want.counts(), part.counts(), at);
                    assertArrayEquals(want.cellIds(), part.cellIds(), at);
                    assertArrayEquals(want.geneNames(), part.geneNames(), at);
                    assertArrayEquals(want.geneIds(), part.geneIds(), at);
                    assertEquals(want.obs().columnNames(), part.obs().columnNames(), at);
                    for (int c = 0; c < want.obs().columnCount(); c++)
                        for (int i = 0; i < want.nCells(); i++)
                            assertEquals(
                                    want.obs().column(c).getString(i),
                                    part.obs().column(c).getString(i),
                                    at);
                    if (want.hasCoordinates()) {
                        assertArrayEquals(want.x(), part.x(), at);
                        assertArrayEquals(want.y(), part.y(), at);
                    }
                }
            }
        }
    }

    @Test
    void aRangeOutsideTheFileIsOneSentence() {
        Path f = DIR.resolve("dense_f32.h5ad");
        int n = Readers.h5adCells(f, null);
        ScxmException e = assertThrows(ScxmException.class, () -> Readers.loadRows(f, "t", null, 0, n + 1));
        assertEquals(true, e.getMessage().contains("outside"), e.getMessage());
    }

    static void assertSame(SparseMatrix a, SparseMatrix b, String at) {
        SparseMatrix.Csr x = a.toCsr(), y = b.toCsr();
        assertEquals(a.rows(), b.rows(), at);
        assertEquals(a.cols(), b.cols(), at);
        assertArrayEquals(x.indptr(), y.indptr(), at);
        assertArrayEquals(x.indices(), y.indices(), at);
        assertArrayEquals(x.data(), y.data(), at);
    }
}
