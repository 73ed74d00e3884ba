package org.scxm.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;

class ActivationMemoryTest {
    @Test
    void theEstimateIsTheArraysOfEachBlockCountedByHand() {
        BertConfig small = BertConfig.small(100, 64).resized(128, 2); // 4 heads, intermediate 256
        // per block: 16 cells x 50 tokens x (11 x 128 + 2 x 256 + 4 x 4 heads x 50 tokens) floats = 800 x 2720
        long block = 16L * 50 * (11 * 128 + 2 * 256 + 4 * 4 * 50);
        assertEquals(4 * 2 * block, ActivationMemory.encoderBytes(small, 16, 50, false));
        assertEquals(3 * 2 * 2 * block, ActivationMemory.encoderBytes(small, 16, 50, true), "training adds half");
    }

    @Test
    void aBatchThatDoesNotFitIsRefusedWithOneThatDoes() {
        BertConfig c = BertConfig.geneformerV2();
        long avail = 8_000_000_000L;
        String msg = assertThrows(
                        ScxmException.class,
                        () -> ActivationMemory.check(
                                "train batch=64", c, 64, 512, true, "max_length (tokenize)", avail))
                .getMessage();
        assertTrue(
                msg.startsWith("train batch=64 would need about ") && msg.contains("but only 8.0 GB of memory is free"),
                msg);
        int fits = Integer.parseInt(msg.replaceAll(".*give batch=(\\d+) or less.*", "$1"));
        assertTrue(ActivationMemory.encoderBytes(c, fits, 512, true) <= avail, msg);
        assertTrue(
                ActivationMemory.encoderBytes(c, fits + 1, 512, true) > avail, "the largest batch that fits: " + msg);
        ActivationMemory.check("train batch=1", BertConfig.small(100, 64), 1, 64, true, "", avail); // fits: no sentence

        String none = assertThrows(
                        ScxmException.class,
                        () -> ActivationMemory.check(
                                "train batch=1", c, 1, 4096, true, "max_length (tokenize)", 1_000_000L))
                .getMessage();
        assertTrue(none.contains("no batch fits: lower max_length (tokenize) (nothing was run)"), none);
    }
}
