package org.scxm.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.data.DemoTissue;
import org.scxm.data.Modality;
import org.scxm.data.Normalise;
import org.scxm.io.H5adWriter;
import org.scxm.io.LoadOptions;
import org.scxm.io.Readers;
import tech.tablesaw.api.Table;

/** DE on a backed matrix, genes in many blocks (one pass over the row chunks each), equals DE in memory. */
class DifferentialExpressionBlocksTest {
    @Test
    void genesInBlocksOverRowChunksEqualOnePassInMemory(@TempDir Path dir) {
        DemoTissue.Params d = DemoTissue.Params.defaults(0);
        Modality val = DemoTissue.generate(new DemoTissue.Params(0, 600, 900, 600, d.stPanel(), d.valPanel()))
                .val();
        Path file = dir.resolve("val.h5ad");
        H5adWriter.write(file, val, Map.of(), Map.of());
        Modality mem = Readers.load(file, "v", LoadOptions.defaults());
        Modality disk = Readers.load(
                file, "v", LoadOptions.defaults().withChunkEntries(500).withBacked(true));
        boolean[] g1 = new boolean[mem.nCells()];
        for (int i = 0; i < g1.length; i += 3) g1[i] = true;
        int saved = DifferentialExpression.blockEntries;
        Table t1, t2;
        try {
            DifferentialExpression.blockEntries = 200;
            t1 = DifferentialExpression.run(
                    DifferentialExpression.Test.WILCOXON,
                    mem.matrix(),
                    Normalise::log1pCp10k,
                    mem.geneNames(),
                    g1,
                    null,
                    true);
            t2 = DifferentialExpression.run(
                    DifferentialExpression.Test.WILCOXON,
                    disk.matrix(),
                    Normalise::log1pCp10k,
                    disk.geneNames(),
                    g1,
                    null,
                    true);
        } finally {
            DifferentialExpression.blockEntries = saved;
        }
        assertArrayEquals(
                t1.stringColumn("gene").asObjectArray(), t2.stringColumn("gene").asObjectArray());
        assertArrayEquals(
                t1.doubleColumn("score").asDoubleArray(),
                t2.doubleColumn("score").asDoubleArray());
        assertArrayEquals(
                t1.doubleColumn("log2fc").asDoubleArray(),
                t2.doubleColumn("log2fc").asDoubleArray());
    }
}
