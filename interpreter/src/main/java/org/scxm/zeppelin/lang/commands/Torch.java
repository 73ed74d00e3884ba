package org.scxm.zeppelin.lang.commands;

/**
 * PyTorch's grad mode is per thread and only the thread that started DJL has it off; Zeppelin runs
 * paragraphs on its own scheduler threads, where in-place optimiser updates then fail
 * ("a leaf Variable that requires grad is being used in an in-place operation"). Model commands
 * call this first so they behave the same on any thread.
 */
final class Torch {
    private Torch() { }

    static void threadReady() {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }
}
