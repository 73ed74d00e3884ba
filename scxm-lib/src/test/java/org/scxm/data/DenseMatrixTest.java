package org.scxm.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A matrix kept in a scratch file answers every question as the same matrix in memory does, across its 1 MB
 * read blocks (300,000 x 3 floats: four blocks), and leaves no file behind.
 */
class DenseMatrixTest {
    static final int ROWS = 300_000, COLS = 3;

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat();
        return v;
    }

    @Test
    void aDiskMatrixEqualsTheSameMatrixInMemory(@TempDir Path dir) throws Exception {
        String before = System.getProperty("scxm.scratch");
        System.setProperty("scxm.scratch", dir.toString());
        try {
            float[] values = random(ROWS * COLS, 1);
            DenseMatrix mem = new DenseMatrix(ROWS, COLS, values.clone());
            DenseMatrix disk = DenseMatrix.onDisk(ROWS, COLS);
            assertTrue(disk.isOnDisk());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(0, files.count(), "the scratch file is unlinked at once");
            }
            assertEquals(0f, disk.get(ROWS - 1, COLS - 1), "a new disk matrix is zeros");

            // written in scattered runs, as prediction batches arrive
            Random r = new Random(2);
            for (int start = 0; start < ROWS; ) {
                int n = Math.min(ROWS - start, 1 + r.nextInt(5000));
                int[] ids = new int[n];
                float[] rows = new float[n * COLS];
                for (int k = 0; k < n; k++) ids[k] = start + k;
                for (int k = 3; k + 1 < n; k += 7) { // mostly consecutive, some pairs swapped
                    ids[k] = start + k + 1;
                    ids[k + 1] = start + k;
                }
                for (int k = 0; k < n; k++) System.arraycopy(values, ids[k] * COLS, rows, k * COLS, COLS);
                disk.writeRows(ids, rows);
                start += n;
            }
            assertArrayEquals(values, disk.inMemory().data());
            assertThrows(IllegalStateException.class, disk::data, "no array behind a disk matrix");

            int edge = disk.blockRows(); // rows either side of a block boundary
            for (int i : new int[] {0, edge - 1, edge, 2 * edge + 1, ROWS - 1})
                for (int j = 0; j < COLS; j++) assertEquals(mem.get(i, j), disk.get(i, j), i + "," + j);
            assertArrayEquals(mem.row(edge), disk.row(edge));
            for (int j = 0; j < COLS; j++) assertArrayEquals(mem.column(j), disk.column(j), "column " + j);
            assertArrayEquals(mem.columnMeans(), disk.columnMeans(), 1e-9);
            assertEquals(mem.mean(), disk.mean(), 1e-12);
            int[] pick = {5, edge, 6, ROWS - 1, 0};
            assertArrayEquals(mem.selectRows(pick).data(), disk.selectRows(pick).data());
            DenseMatrix cols = disk.selectCols(new int[] {2, 0});
            assertTrue(cols.isOnDisk(), "a column selection stays where its matrix is");
            assertArrayEquals(
                    mem.selectCols(new int[] {2, 0}).data(), cols.inMemory().data());

            // ensemble averaging: (a + b) / 2, in blocks, on both kinds
            float[] other = random(ROWS * COLS, 3);
            DenseMatrix otherDisk = DenseMatrix.onDisk(ROWS, COLS);
            otherDisk.writeRows(0, other, 0, ROWS);
            mem.combine(1f, new DenseMatrix(ROWS, COLS, other), 1f);
            mem.scale(0.5f);
            disk.combine(1f, otherDisk, 1f);
            disk.scale(0.5f);
            for (int i = 0; i < values.length; i++)
                assertEquals((values[i] + other[i]) * 0.5f, mem.data()[i], 1e-6f, "in memory, element " + i);
            assertArrayEquals(mem.data(), disk.inMemory().data());

            disk.set(edge, 1, 42f); // a write after cached reads is seen by the next read
            assertEquals(42f, disk.get(edge, 1));
        } finally {
            if (before == null) System.clearProperty("scxm.scratch");
            else System.setProperty("scxm.scratch", before);
        }
    }
}
