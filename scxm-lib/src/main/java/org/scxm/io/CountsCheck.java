package org.scxm.io;

import java.util.function.IntFunction;
import org.scxm.ScxmException;

/**
 * Checks values while they are read: NaN and negative counts stop the load with a sentence naming the
 * field and cell; non-integer values are only noted (log-normalised data loads with a warning).
 */
final class CountsCheck {
    private final String field;
    private final IntFunction<String> cellName;
    boolean nonInteger;

    /** @param field e.g. "X of pbmc.h5ad"; @param cellName row index to cell id, for messages */
    CountsCheck(String field, IntFunction<String> cellName) {
        this.field = field;
        this.cellName = cellName;
    }

    String field() {
        return field;
    }

    /** The same check for rows numbered from {@code -shift}: row r here is row r + shift of this check's rows. */
    CountsCheck shifted(int shift) {
        return new CountsCheck(field, i -> cellName.apply(i + shift));
    }

    void check(float[] v, int from, int to, int row) {
        for (int k = from; k < to; k++) {
            float x = v[k];
            if (x != x)
                throw new ScxmException(field + " holds NaN for cell '" + cellName.apply(row)
                        + "': counts must be finite numbers; remove or fix those cells and save the file again.");
            if (x < 0)
                throw new ScxmException(
                        field + " holds a negative value (" + x + ") for cell '" + cellName.apply(row)
                                + "': counts must be non-negative; give the raw counts (e.g. layers['counts'] or raw) instead.");
            if (!nonInteger && !integral(x)) nonInteger = true;
        }
    }

    /**
     * {@link #check} and, in the same pass, whether the row's stored columns can be kept as they are: ascending,
     * below nCols, no explicit zeros.
     */
    boolean checkRow(float[] v, int[] idx, int from, int to, int row, int nCols) {
        boolean clean = true;
        int prev = -1;
        for (int k = from; k < to; k++) {
            float x = v[k];
            if (!(x > 0)) {
                if (x != 0) check(v, k, k + 1, row); // NaN or negative: the message
                clean = false;
            } else if (!nonInteger && !integral(x)) nonInteger = true;
            int j = idx[k];
            if (j <= prev) clean = false;
            prev = j;
        }
        return clean && prev < nCols;
    }

    /**
     * Whether x is a whole number, as {@code x == Math.rint(x)} but without its call: until the JIT compiles a read's
     * check pass, rint runs as StrictMath code for every entry. Floats from 2^23 up are all whole.
     */
    static boolean integral(float x) {
        return x == (int) x || Math.abs(x) >= 0x1p23f;
    }

    /** What a sample of values looks like, to choose between X, a counts layer and raw without reading all. */
    enum Kind {
        COUNTS,
        NON_INTEGER,
        NOT_COUNTS
    }

    static Kind classify(float[] sample) {
        boolean nonInt = false;
        for (float x : sample) {
            if (x != x || x < 0) return Kind.NOT_COUNTS;
            if (!integral(x)) nonInt = true;
        }
        return nonInt ? Kind.NON_INTEGER : Kind.COUNTS;
    }
}
