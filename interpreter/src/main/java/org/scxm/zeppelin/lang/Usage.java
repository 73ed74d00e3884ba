package org.scxm.zeppelin.lang;

import java.math.BigDecimal;

/** Numbers in usage lines as a user types them (25, 0.5, 1e-4), so usage lines can be built from the defaults. */
public final class Usage {
    private Usage() {}

    public static String num(double v) {
        if (v != 0 && Math.abs(v) <= 1e-3) {
            int exp = (int) Math.floor(Math.log10(Math.abs(v)));
            BigDecimal mantissa = BigDecimal.valueOf(v).movePointRight(-exp).stripTrailingZeros();
            return mantissa.toPlainString() + "e" + exp;
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
