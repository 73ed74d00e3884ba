package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.zeppelin.lang.Settings;

/**
 * Prepares the calling thread for model work. PyTorch's grad mode is per thread and only the thread
 * that started DJL has it off; Zeppelin runs paragraphs on its own scheduler threads, where in-place
 * optimiser updates then fail ("a leaf Variable that requires grad is being used in an in-place
 * operation"). Also applies scxm.threads and checks scxm.device.
 */
final class Torch {
    private Torch() { }

    static void threadReady(Settings settings) {
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        if (settings.threads() > 0 && ai.djl.pytorch.jni.JniUtils.getNumThreads() != settings.threads())
            ai.djl.pytorch.jni.JniUtils.setNumThreads(settings.threads());
        boolean gpu = engine.defaultDevice().isGpu();
        switch (settings.device()) {
            case "gpu" -> { if (!gpu) throw new ScxmException("scxm.device is gpu but PyTorch sees no CUDA GPU here; set scxm.device=auto or cpu, or install the CUDA native library (see docker/)."); }
            case "cpu" -> { if (gpu) throw new ScxmException("scxm.device=cpu on a machine with a GPU is not supported yet (the model follows DJL's default device); use scxm.device=auto."); }
            case "auto" -> { }
            default -> throw new ScxmException("scxm.device=" + settings.device() + " is not auto, cpu or gpu; fix the interpreter setting.");
        }
    }
}
