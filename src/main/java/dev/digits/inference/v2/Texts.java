package dev.digits.inference.v2;

/** Client-supplied text as it may appear in an error message: short, and without control characters. */
final class Texts {

    private static final int MAX = 64;

    private Texts() {
    }

    static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= MAX ? clean : clean.substring(0, MAX) + "…";
    }
}
