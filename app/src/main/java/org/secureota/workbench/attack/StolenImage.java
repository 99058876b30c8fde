package org.secureota.workbench.attack;

import java.nio.file.Path;

/**
 * What the image thief took: the copy it keeps, and how much of the built image that copy gives away.
 *
 * @param copy           where the copy is kept (the session folder's {@code stolen/})
 * @param copyBytes      the copy's size
 * @param encrypted      whether the release was served encrypted (format-2 manifest)
 * @param plaintextBytes the size of the built image the release was made from
 * @param longestRun     the longest run of bytes the copy shares with that image, runs of one repeated byte
 *                       value left out (0 when none reaches 32 bytes)
 */
public record StolenImage(String product, String version, Path copy, long copyBytes, boolean encrypted,
                          long plaintextBytes, int longestRun) {

    /** The image stayed confidential: no run of {@link PlaintextRuns#MIN_RUN} bytes or more of it was taken. */
    public boolean resisted() {
        return longestRun < PlaintextRuns.MIN_RUN;
    }

    /** One sentence of evidence for the judgement. */
    public String evidence() {
        return "copied " + copyBytes + " bytes of the " + (encrypted ? "encrypted" : "plaintext") + " release "
                + product + " " + version + " to " + copy + "; longest run shared with the " + plaintextBytes
                + "-byte built image: " + longestRun + " bytes"
                + (resisted() ? " (under " + PlaintextRuns.MIN_RUN + ": only ciphertext)"
                : longestRun >= plaintextBytes ? " (the copy is the image)" : " (plaintext leaked)");
    }
}
