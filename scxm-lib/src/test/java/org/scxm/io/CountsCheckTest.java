package org.scxm.io;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CountsCheckTest {
    /** integral agrees with x == Math.rint(x) where the int cast saturates, near 2^23 and off the number line. */
    @Test
    void integralIsRint() {
        float[] xs = {
            0f,
            -0f,
            1f,
            3f,
            0.5f,
            2.5f,
            -2.5f,
            -7f,
            8388607.5f,
            0x1p23f,
            0x1p23f + 1,
            1e9f,
            3e9f,
            -3e9f,
            Float.MAX_VALUE,
            Float.MIN_VALUE,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY
        };
        for (float x : xs) assertEquals(x == Math.rint(x), CountsCheck.integral(x), "x = " + x);
    }
}
