package org.scxm.zeppelin.lang;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scxm.Progress;
import org.scxm.workbench.State;

/** A nonsense value is refused at its key in one sentence naming the key and the value, and nothing changes. */
class BadValueTest {
    static Engine engine;

    @BeforeAll
    static void pipeline() {
        engine = new Engine(Settings.defaults());
        Engine.Result r = engine.run(
                "load demo cells=300 seed=1\nharmonise\nbulk\ntokenize max_length=32\nmodel m layers=1 hidden=16 width=16 trainable=1",
                Progress.NONE);
        assertTrue(r.ok(), r::error);
    }

    static String refused(String paragraph) {
        State before = engine.workbench().state();
        Engine.Result r = engine.run(paragraph, Progress.NONE);
        assertFalse(r.ok(), paragraph + " should be refused");
        assertSame(before, engine.workbench().state(), paragraph + " left the state as it was");
        assertFalse(r.error().contains("internal error"), r.error());
        assertEquals(1, r.error().split("(?<=[.!?])\\s+(?=[A-Z`])").length, "one sentence: " + r.error());
        return r.error();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tokenize max_length=0              | max_length=0 must be at least 1",
                "tokenize max_length=-3             | max_length=-3 must be at least 1",
                "tokenize max_length=99999999999    | max_length=99999999999 is far too large",
                "train steps=-5                     | steps=-5 must be 0",
                "train epochs=-1                    | epochs=-1 must be 0 or more",
                "train batch=0                      | batch=0 must be at least 1",
                "train critic=0                     | critic=0 must be at least 1",
                "train lr=0                         | lr=0.0 must be a positive learning rate",
                "train lr_critic=-1e-4              | lr_critic=-1.0E-4 must be a positive learning rate",
                "train lambda_gp=-1                 | lambda_gp=-1.0 must be 0 (the term off) or a positive weight",
                "train lambda_st=-1                 | lambda_st=-1.0 must be 0",
                "train lambda_sc=-0.5               | lambda_sc=-0.5 must be 0",
                "train lambda_adv=-1                | lambda_adv=-1.0 must be 0",
                "train lambda_pair=-1               | lambda_pair=-1.0 must be 0",
                "train lambda_gp=NaN                | lambda_gp=NaN must be 0",
                "train ema=1                        | ema=1.0 must be 0",
                "train warmup=-1                    | warmup=-1 must be 0 or more",
                "train batch=100000                 | batch=100000 is more cells than the data has",
                "model m2 hidden=0                  | hidden=0 must be a positive encoder width",
                "model m2 hidden=30                 | hidden=30 must be a positive encoder width (a multiple of 4)",
                "model m2 layers=0                  | layers=0 must be at least 1 encoder block",
                "model m2 width=0                   | width=0 must be a positive layer width",
                "model m2 trainable=-1              | trainable=-1 must be 0",
                "predict val batch=0                | batch=0 must be at least 1",
                "harmonise min_counts=-1            | min_counts=-1 must be 0",
                "harmonise min_genes=-2             | min_genes=-2 must be 0",
                "annotate val reference=sc hold_out=1 | hold_out=1.0 must be a share",
                "de val groups=celltype top=0       | top=0 must be at least 1",
            })
    void isRefusedAtItsKey(String paragraph, String sentence) {
        String e = refused(paragraph);
        assertTrue(e.startsWith(sentence), paragraph + " -> " + e);
    }

    @Test
    void aBatchLargerThanTheDataNamesBothNumbers() {
        int sc = engine.workbench().state().datasets().get("sc").nCells();
        int st = engine.workbench().state().datasets().get("st").nCells();
        String e = refused("train batch=100000");
        assertTrue(e.contains("'sc' " + sc) && e.contains("'st' " + st + " cells"), e);
        assertTrue(e.contains("give batch=" + Math.min(sc, st) + " or less"), e);
    }

    @Test
    void exportOverAFileIsRefusedUnlessOverwriteIsGiven(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("mine.h5ad"), "a user's file");
        String e = refused("export val path=\"" + file + "\"");
        assertTrue(e.contains("mine.h5ad exists already") && e.contains("overwrite=true"), e);
        assertEquals("a user's file", java.nio.file.Files.readString(file));
        Engine.Result r = engine.run("export val path=\"" + file + "\" overwrite=true", Progress.NONE);
        assertTrue(r.ok(), r::error);
        String said = r.outputs().toString();
        assertTrue(said.contains("it replaced the file that was there"), said);
    }

    @Test
    void aHintNamingADatasetWithASpaceIsQuotedSoFollowingItWorks(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Engine e = new Engine(Settings.defaults());
        java.nio.file.Path file = dir.resolve("sc.h5ad");
        Engine.Result r = e.run("load demo cells=300 seed=1\nexport sc path=\"" + file + "\"", Progress.NONE);
        assertTrue(r.ok(), r::error);
        r = e.run("load sc \"lung sc\" path=\"" + file + "\"", Progress.NONE);
        assertTrue(r.ok(), r::error);
        String said = r.outputs().toString();
        String hint = "harmonise sc=\"lung sc\"";
        assertTrue(said.contains("`" + hint), said);
        r = e.run(hint, Progress.NONE);
        assertTrue(r.ok(), r::error);
        assertEquals("lung sc", e.workbench().state().harmonisation().sc());
    }
}
