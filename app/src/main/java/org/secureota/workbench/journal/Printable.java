package org.secureota.workbench.journal;

/**
 * Text from the network or a device, made safe to show: control characters and the Unicode
 * characters that reorder or hide text become visible escapes such as {@code \u0000} and
 * {@code \u202E}.
 *
 * <p>A device report or a serial line is attacker-controlled. Shown raw, a NUL can cut a line in a
 * terminal, an escape sequence can recolour or rewrite it, and a right-to-left override (U+202E)
 * can make {@code refused} read as something else in the report. Every place that displays such a
 * string (the session report, the serial transcript, the console of {@code serve} and
 * {@code device monitor}) goes through {@link #of}; the journal itself keeps the exact text.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} with every unsafe character replaced by {@code \\uXXXX}; null stays null. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = unsafe(c) || Character.isSurrogate(c) && !pairedSurrogate(text, i);
            if (unsafe) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@link #of} would change {@code text}. */
    public static boolean needsEscaping(String text) {
        return text != null && !of(text).equals(text);
    }

    /** The one list of characters that hide or reorder text; {@link HtmlText} escapes the same ones. */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)                   // C0 (tab and newline too), DEL, C1
                || c == 0x061C || c == 0x200E || c == 0x200F           // Arabic letter mark, LRM, RLM
                || (c >= 0x202A && c <= 0x202E)                        // LRE, RLE, PDF, LRO, RLO
                || (c >= 0x2066 && c <= 0x2069)                        // LRI, RLI, FSI, PDI
                || c == 0x2028 || c == 0x2029                          // line and paragraph separators
                || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF; // zero-width characters
    }

    private static boolean pairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
