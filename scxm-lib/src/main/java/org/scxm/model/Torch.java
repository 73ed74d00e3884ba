package org.scxm.model;

import org.scxm.ScxmException;

import java.util.Locale;

/**
 * Prepares the calling thread for model work. PyTorch's grad mode is per thread and only the thread
 * that started DJL has it off; notebook servers run work on their own scheduler threads, where in-place
 * optimiser updates then fail ("a leaf Variable that requires grad is being used in an in-place
 * operation"). Also applies the thread count and checks the requested device.
 */
public final class Torch {
    private Torch() { }

    /**
     * @param device  auto, cpu or gpu
     * @param threads intra-op threads (0 = PyTorch's default, all cores)
     */
    public static void threadReady(String device, int threads) {
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        if (threads > 0 && ai.djl.pytorch.jni.JniUtils.getNumThreads() != threads) ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        boolean gpu = engine.defaultDevice().isGpu();
        switch (device.toLowerCase(Locale.ROOT)) {
            case "gpu" -> { if (!gpu) throw new ScxmException("scxm.device is gpu but PyTorch sees no CUDA GPU here; set scxm.device=auto or cpu, or install the CUDA native library (see docker/)."); }
            case "cpu" -> { if (gpu) throw new ScxmException("scxm.device=cpu on a machine with a GPU is not supported yet (the model follows DJL's default device); use scxm.device=auto."); }
            case "auto" -> { }
            default -> throw new ScxmException("scxm.device=" + device + " is not auto, cpu or gpu; fix the interpreter setting.");
        }
    }
}
