package org.secureota.workbench.firmware;

import java.util.Objects;

/**
 * One thing wrong in a binary: an app image, a partition table, an otadata partition or a whole
 * flash dump. It names where (file offset), which field, and what is wrong and what it means, so
 * that a person can find the byte with a hex viewer.
 *
 * @param offset  file offset of the field, in bytes from the start of what was read
 * @param field   the field, as ESP-IDF names it ({@code segment_count}, {@code segment[1].data_len},
 *                {@code app_desc.magic_word}, {@code md5}, ...)
 * @param message what is wrong, with the expected and the found value
 */
public record ImageProblem(long offset, String field, String message) {

    public ImageProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** The same problem, moved by {@code delta} bytes: for a table or image read inside a flash dump. */
    public ImageProblem shifted(long delta) {
        return new ImageProblem(offset + delta, field, message);
    }

    @Override
    public String toString() {
        return String.format("0x%06x %s: %s", offset, field, message);
    }
}
