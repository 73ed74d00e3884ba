package org.scxm.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;

class ArgsTest {
    @Test
    void readsWordsAndBothOptionSpellingsWithDefaults() {
        // as documented: `bench read FILE --cells N`, `bench train v2 5 device=cpu seq=512,2048`
        Args a = new Args("train", new String[] {"v2", "5", "device=cpu", "--rounds", "2", "data/a=b.h5ad"});
        assertEquals("v2", a.word(0, "all"));
        assertEquals(5, a.integer(1, 0));
        assertEquals("data/a=b.h5ad", a.word(2, null), "a path with '=' stays a word");
        assertEquals("cpu", a.option("device", "auto"));
        assertEquals(2, a.option("rounds", 3));
        assertEquals(8, a.option("batch", 8));
        assertEquals("all", new Args("train", new String[0]).word(0, "all"));
        assertArrayEquals(new int[] {4000, 12000}, new Args("step", new String[] {"4000, 12000"}).integers(0, 1));
        assertArrayEquals(new int[] {1, 2}, new Args("step", new String[0]).integers(0, 1, 2));
    }

    @Test
    void aBadNumberIsOneSentenceNamingTheBenchmarkAndArgument() {
        ScxmException e =
                assertThrows(ScxmException.class, () -> new Args("de", new String[] {"100k"}).integer(0, 100_000));
        assertEquals("./scxm bench de: argument 1 must be a whole number such as 1000 (got '100k').", e.getMessage());
        e = assertThrows(
                ScxmException.class, () -> new Args("read", new String[] {"--cells", "lots"}).option("cells", 1));
        assertEquals("./scxm bench read: cells must be a whole number such as 1000 (got 'lots').", e.getMessage());
    }
}
