package dev.digits.inference.v2;

/** A model name this server does not serve (it serves one, {@code digits}). 404. */
class UnknownModelNameException extends RuntimeException {

    UnknownModelNameException(String name) {
        super("unknown model '" + Texts.quoted(name) + "'; this server serves '" + Signature.MODEL + "'");
    }
}
