package org.scxm.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.Table;

/**
 * A gene expressed in one group only: log2fc keeps scanpy's value, log2((mean CP10k + 1e-9) / 1e-9), and
 * log2fc_note says the change is infinite and the number is the pseudocount's; a gene expressed in both has no note.
 */
class DifferentialExpressionFoldChangeTest {
    static final float NINE = (float) Math.log1p(9); // log1p CP10k of 9 normalised counts

    @Test
    void aGroupWithNoExpressingCellIsFlaggedBesideScanpysValue() {
        // cells 0-2 group 1, cells 3-5 group 2; genes: only-in-1, both, only-in-2, none
        float[][] x = {
            {NINE, NINE, 0, 0}, {NINE, NINE, 0, 0}, {NINE, 0, 0, 0},
            {0, NINE, NINE, 0}, {0, 0, NINE, 0}, {0, NINE, NINE, 0}
        };
        boolean[] g1 = {true, true, true, false, false, false};
        Table t = DifferentialExpression.run(
                DifferentialExpression.Test.WILCOXON,
                SparseMatrix.fromDense(x, 4),
                new String[] {"ONLY1", "BOTH", "ONLY2", "NONE"},
                g1,
                null,
                true);
        int only1 = row(t, "ONLY1"), both = row(t, "BOTH"), only2 = row(t, "ONLY2"), none = row(t, "NONE");
        double scanpy = Math.log((9.0 + 1e-9) / 1e-9) / Math.log(2); // scanpy's convention: 33.07
        assertEquals(scanpy, t.doubleColumn("log2fc").getDouble(only1), 1e-4, "scanpy's value is kept");
        assertEquals(-scanpy, t.doubleColumn("log2fc").getDouble(only2), 1e-4);
        String up = t.stringColumn("log2fc_note").get(only1),
                down = t.stringColumn("log2fc_note").get(only2);
        assertTrue(up.startsWith("inf") && up.contains("group 2") && up.contains("1e-9"), up);
        assertTrue(down.startsWith("-inf") && down.contains("group 1") && down.contains("1e-9"), down);
        assertEquals("", t.stringColumn("log2fc_note").get(both), "a gene both groups express has no note");
        assertEquals(Math.log(6.0 / 6.0) / Math.log(2), t.doubleColumn("log2fc").getDouble(both), 1e-6);
        assertEquals(0.0, t.doubleColumn("log2fc").getDouble(none), 1e-12);
        assertTrue(t.stringColumn("log2fc_note").get(none).contains("either group"));
    }

    static int row(Table t, String gene) {
        for (int i = 0; i < t.rowCount(); i++) if (t.stringColumn("gene").get(i).equals(gene)) return i;
        throw new AssertionError(gene + " is not in the table");
    }
}
