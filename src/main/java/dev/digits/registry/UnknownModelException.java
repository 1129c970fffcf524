package dev.digits.registry;

/** A version or alias that the registry does not have. */
public class UnknownModelException extends RuntimeException {

    public UnknownModelException(String versionOrAlias) {
        super("no model version or alias '" + versionOrAlias + "'");
    }
}
