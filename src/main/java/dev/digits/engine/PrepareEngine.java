package dev.digits.engine;

import ai.djl.engine.Engine;

/**
 * Loads the PyTorch engine once and exits: unpacks the native libraries from the jar into
 * {@code ENGINE_CACHE_DIR}. Image builds run it, so that a container never extracts (or
 * downloads) anything when it starts.
 */
public final class PrepareEngine {

    private PrepareEngine() {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        Engine engine = Engine.getEngine("PyTorch");
        System.out.println("PyTorch " + engine.getVersion() + " ready, " + engine.getGpuCount() + " GPU(s) visible");
    }
}
