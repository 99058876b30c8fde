package org.secureota.workbench.ui;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How the window opens.
 *
 * @param locale       English or French (others fall back to English)
 * @param dark         dark theme
 * @param presentation start in presentation mode
 * @param replay       a past session's journal.jsonl (or its folder) to replay instead of a live lab; null for live
 * @param live         the live lab to open; null with a replay
 */
public record GuiOptions(Locale locale, boolean dark, boolean presentation, Path replay, LiveSessionOptions live) {
}
