package org.secureota.workbench.journal;

/**
 * Text from devices, the network and script files made safe for HTML, and readable: markup
 * characters become entities, and characters that would hide or reorder what a reader sees
 * (C0/C1 controls such as NUL, and the Unicode bidi controls such as U+202E RIGHT-TO-LEFT
 * OVERRIDE) become visible escapes ({@code \u202E}), so a hostile line cannot disguise itself.
 */
public final class HtmlText {

    private HtmlText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (invisible(c)) {
                        out.append("<span class=\"esc\">\\u").append(String.format("%04X", (int) c)).append("</span>");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Controls (tab and line breaks excepted), bidi controls and the byte-order mark. */
    static boolean invisible(char c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == 0x061C || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0xFEFF;
    }
}
