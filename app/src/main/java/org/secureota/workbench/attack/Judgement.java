package org.secureota.workbench.attack;

import java.util.List;
import java.util.Set;

/**
 * The judge's finding for one device and one armed attack, with the evidence read from the journal.
 *
 * @param verdict          the device's verdict code for its first attempt after arming, or null
 * @param expected         the verdicts that count as resisting
 * @param httpRequests     HTTP requests the servers answered during the attempt
 * @param imageBytesServed image bytes the servers sent during the attempt
 * @param versionBefore    the version the device ran when the attack was armed, or null if unknown
 * @param versionAfter     the version it reported last, or null if unknown
 * @param reasons          why it is judged so, one sentence each
 */
public record Judgement(String attackId, String deviceId, JudgementResult result, String verdict, Set<String> expected,
                        long httpRequests, long imageBytesServed, String versionBefore, String versionAfter,
                        List<String> reasons) {

    public Judgement {
        expected = Set.copyOf(expected);
        reasons = List.copyOf(reasons);
    }

    /** One line for the console: "flipped-byte on esp32-01: RESISTED (HASH_MISMATCH; ...)". */
    public String summary() {
        return attackId + " on " + deviceId + ": " + result + " (" + String.join("; ", reasons) + ")";
    }
}
