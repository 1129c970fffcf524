package dev.digits.registry;

/** A version whose folder exists but cannot be read or trusted (missing or broken files). */
public class DamagedModelException extends RuntimeException {

    public DamagedModelException(String version, String reason) {
        super("model version " + version + " is damaged: " + reason);
    }
}
