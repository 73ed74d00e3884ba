package org.scxm.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.scxm.ScxmException;

/**
 * Prepares the calling thread for model work and names the device networks run on. PyTorch's grad mode
 * is per thread and only the thread that started DJL has it off; notebook servers run work on their own
 * scheduler threads, where in-place optimiser updates then fail ("a leaf Variable that requires grad is
 * being used in an in-place operation"). Also applies the thread count and checks the requested device.
 */
public final class Torch {
    private Torch() {}

    /**
     * @param device  auto, cpu, gpu or gpu:N (see {@link #device})
     * @param threads intra-op threads (0 = PyTorch's default, all cores)
     */
    public static void threadReady(String device, int threads) {
        Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        if (threads > 0 && ai.djl.pytorch.jni.JniUtils.getNumThreads() != threads)
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        device(device);
    }

    /**
     * The device a device setting names: {@code cpu}; {@code gpu} (the first CUDA GPU) or {@code gpu:N};
     * {@code auto} (or null/blank) = the first GPU when PyTorch sees one, else the CPU. A GPU that PyTorch
     * does not see is refused here, in one sentence, rather than failing later inside a native call.
     */
    public static Device device(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        int gpus = gpuCount();
        if (s.isEmpty() || s.equals("auto")) return gpus > 0 ? Device.gpu(0) : Device.cpu();
        if (s.equals("cpu")) return Device.cpu();
        if (s.equals("gpu") || s.equals("cuda") || s.matches("(gpu|cuda):\\d{1,3}")) {
            int index = s.indexOf(':') < 0 ? 0 : Integer.parseInt(s.substring(s.indexOf(':') + 1));
            if (index >= gpus)
                throw new ScxmException("device " + spec + " asks for a GPU but PyTorch sees "
                        + (gpus == 0 ? "no CUDA GPU" : gpus + " GPU(s), gpu:0 to gpu:" + (gpus - 1))
                        + " here; use device=auto or cpu, or run on a CUDA host with a CUDA libtorch (docs/gpu.md).");
            return Device.gpu(index);
        }
        throw new ScxmException(
                "device '" + spec + "' is not auto, cpu, gpu or gpu:N (N a GPU index); fix scxm.device or device=.");
    }

    /** The device in the words of the device setting: cpu or gpu:N. */
    public static String describe(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
    }

    private static volatile int gpus = -1;

    /**
     * CUDA GPUs PyTorch can use here (0 with the CPU build of libtorch, or without a driver). Asked once:
     * the answer does not change while the process runs, and asking logs a CUDA warning on driverless hosts.
     */
    public static int gpuCount() {
        if (gpus < 0) gpus = Engine.getInstance().getGpuCount();
        return gpus;
    }
}
