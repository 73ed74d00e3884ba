package org.scxm.spark;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.scxm.model.Checkpoint;
import org.scxm.model.ScxmModel;
import org.scxm.model.Torch;

/**
 * Trained models loaded once per executor JVM, keyed by checkpoint folder and device, and kept for the JVM's life: every
 * task (and every retried task) on that executor reuses the loaded weights. Tasks running at once share one model;
 * inference does not change it.
 */
public final class Models {
    private Models() {}

    private static final ConcurrentHashMap<String, ScxmModel> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    public static ScxmModel get(String checkpoint, String device) {
        return LOADED.computeIfAbsent(checkpoint + "\u0000" + device, k -> {
            LOADS.incrementAndGet();
            return Checkpoint.restore(Path.of(checkpoint), Torch.device(device))
                    .trainer()
                    .model();
        });
    }

    /** How many times this JVM has loaded a checkpoint (tests check it is once per executor). */
    public static int loads() {
        return LOADS.get();
    }
}
