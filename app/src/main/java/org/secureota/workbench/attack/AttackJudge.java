package org.secureota.workbench.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;

/**
 * Judges a device's attempt against an armed attack from the journal alone: the device's first verdict
 * after arming, the requests the servers (lab or look-alike) answered, the image bytes they sent, and the
 * version the device reported before and after. The window ends when the attack is disarmed, so the check
 * that follows a disarm is never counted against the attack.
 */
public final class AttackJudge {

    private AttackJudge() {
    }

    /**
     * @param since  the journal position the attack was armed at
     * @param until  the position it was disarmed at, or {@link Long#MAX_VALUE} while armed
     */
    public static Judgement judge(Journal journal, ArmedAttack armed, String deviceId, long since, long until) {
        Objects.requireNonNull(deviceId, "deviceId");
        // The device's boots up to the arming (for the version before), then everything in the window.
        List<JournalEvent> events = new ArrayList<>(journal.events(EventType.DEVICE_BOOT, deviceId, 0).stream()
                .filter(e -> e.seq() <= since).toList());
        events.addAll(journal.read(since + 1, until));
        ExpectedOutcome expected = armed.expected();
        String versionBefore = null;
        String versionAfter = null;
        JournalEvent verdict = null;
        long requests = 0;
        long imageBytes = 0;
        for (JournalEvent e : events) {
            if (e.seq() > until) {
                break;
            }
            boolean mine = deviceId.equals(e.deviceId());
            if (mine && EventType.DEVICE_BOOT.is(e) && e.fields().get("version") != null) {
                String version = String.valueOf(e.fields().get("version"));
                if (e.seq() <= since) {
                    versionBefore = version;
                } else {
                    // A device first heard from after the arming: its first report before the attempt tells.
                    if (versionBefore == null && verdict == null) {
                        versionBefore = version;
                    }
                    versionAfter = version;
                }
            }
            if (e.seq() <= since) {
                continue;
            }
            if (mine && verdict == null && EventType.OTA_VERDICT.is(e)) {
                verdict = e;
            }
            if (EventType.HTTP_REQUEST.is(e)) {
                requests++;
                if (String.valueOf(e.fields().get("path")).startsWith("/firmware/")
                        && e.fields().get("bytes_sent") instanceof Number n) {
                    imageBytes += n.longValue();
                }
            }
        }
        if (versionAfter == null) {
            versionAfter = versionBefore;
        }
        List<String> reasons = new ArrayList<>();
        if (verdict == null) {
            reasons.add("no update attempt by " + deviceId + " since the attack was armed");
            return new Judgement(armed.id(), deviceId, JudgementResult.NO_ATTEMPT, null, expected.verdicts(), requests,
                    imageBytes, versionBefore, versionAfter, reasons);
        }
        String code = String.valueOf(verdict.fields().get("code"));
        boolean resisted = expected.verdicts().contains(code);
        reasons.add("verdict " + code + (resisted ? "" : ", expected " + String.join(" or ", expected.verdicts())));
        if (expected.mustNotHappen().contains(Forbidden.ANY_HTTP_REQUEST) && requests > 0) {
            resisted = false;
            reasons.add(requests + " HTTP request(s) answered, expected none");
        } else {
            reasons.add(requests + " HTTP request(s)");
        }
        if (expected.mustNotHappen().contains(Forbidden.IMAGE_SERVED) && imageBytes > 0) {
            resisted = false;
            reasons.add(imageBytes + " image bytes served, expected none");
        } else {
            reasons.add(imageBytes + " image bytes served");
        }
        if (expected.mustNotHappen().contains(Forbidden.VERSION_CHANGED) && versionBefore != null
                && !versionBefore.equals(versionAfter)) {
            resisted = false;
            reasons.add("version changed from " + versionBefore + " to " + versionAfter);
        } else {
            reasons.add("version " + versionBefore + (Objects.equals(versionBefore, versionAfter) ? ""
                    : " -> " + versionAfter));
        }
        return new Judgement(armed.id(), deviceId, resisted ? JudgementResult.RESISTED : JudgementResult.NOT_RESISTED,
                code, expected.verdicts(), requests, imageBytes, versionBefore, versionAfter, reasons);
    }
}
