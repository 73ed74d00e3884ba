package org.scxm.session;

import org.junit.jupiter.api.Test;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class SessionTest {
    static DatasetState tiny(String name) {
        Modality m = new Modality(name, SparseMatrix.fromDense(new float[][]{{1, 0}, {0, 2}}, 2), new String[]{"c1", "c2"},
                new String[]{"CXCR4", "MARCO"}, null, null, null, null);
        return DatasetState.loaded(name, "sc", m);
    }

    @Test void stagedChangesAreVisibleOnlyInsideTheTransactionUntilCommit() {
        Session s = new Session();
        Session.Transaction tx = s.begin();
        tx.put(tiny("a"));
        tx.putValue("k", 1);
        assertNotNull(tx.dataset("a"));
        assertNull(s.dataset("a"), "not committed yet");
        assertNull(s.value("k"));
        tx.commit();
        assertNotNull(s.dataset("a"));
        assertEquals(1, s.value("k"));
    }

    @Test void anAbandonedTransactionLeavesNoTrace() {
        Session s = new Session();
        Session.Transaction ok = s.begin();
        ok.put(tiny("a"));
        ok.commit();
        DatasetState before = s.dataset("a");
        Session.Transaction failed = s.begin();
        failed.put(tiny("a").withCellTypes(new String[]{"T", "B"}));
        failed.put(tiny("b"));
        // the paragraph throws here and never commits
        assertSame(before, s.dataset("a"));
        assertNull(s.dataset("b"));
    }

    @Test void missingDatasetNamesTheNearOnes() {
        Session s = new Session();
        Session.Transaction tx = s.begin();
        tx.put(tiny("val"));
        tx.commit();
        ScxmException e = assertThrows(ScxmException.class, () -> s.begin().require("vall"));
        assertTrue(e.getMessage().contains("'val'") && e.getMessage().contains("loaded: val"), e.getMessage());
    }

    @Test void concurrentParagraphsEachCommitWholly() throws Exception {
        Session s = new Session();
        int threads = 8, rounds = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs.add(pool.submit(() -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    Session.Transaction tx = s.begin();
                    tx.put(tiny("d" + id));
                    tx.putValue("count:" + id, r);
                    tx.putValue("pair:" + id, r); // two values written together must be seen together
                    tx.commit();
                    Object a = s.value("count:" + id), b = s.value("pair:" + id);
                    assertEquals(a, b);
                    s.datasets(); // readers never see a half-updated map
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        assertEquals(threads, s.datasets().size());
        for (int t = 0; t < threads; t++) assertEquals(rounds - 1, s.value("count:" + t));
    }

    @Test void nearNamesByEditDistance() {
        assertEquals("harmonise", Names.closest("harmonize", List.of("help", "harmonise", "bulk")));
        assertNull(Names.closest("zzzzzz", List.of("help", "bulk")));
        assertEquals(3, Names.distance("kitten", "sitting"));
    }
}
