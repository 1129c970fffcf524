package dev.digits.registry;

/** A version that could not be loaded; whatever was serving keeps serving. */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String version, Throwable cause) {
        super("cannot load model version " + version + ": " + cause.getMessage(), cause);
    }
}
