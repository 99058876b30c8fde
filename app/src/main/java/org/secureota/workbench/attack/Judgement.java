package org.secureota.workbench.attack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * The attacker's finding for one device's attempt against one armed attack, as published to listeners and
 * journaled ({@code attacker.judged}, from which {@link #fromJournal} rebuilds it field for field).
 *
 * @param verdict          the device's verdict code for the attempt, or null (an image theft)
 * @param expected         the verdicts that count as resisting
 * @param stoppedBy        the check the catalogue names for this attack
 * @param struck           whether the armed change reached the device during the attempt
 * @param httpRequests     HTTP requests of this device answered during the attempt
 * @param imageBytesServed image bytes served to this device during the attempt (2xx answers only)
 * @param versionBefore    the version the device ran when the attempt began, or null if unknown
 * @param versionAfter     the version it reported last, or null if unknown
 * @param reason           why it is judged so, one sentence
 * @param verdictSeq       the journal position of the verdict judged (of the {@code attacker.image_stolen} event
 *                         for an image theft)
 */
public record Judgement(String attackId, String deviceId, JudgementResult result, String verdict, Set<String> expected,
                        DeviceCheck stoppedBy, boolean struck, long httpRequests, long imageBytesServed,
                        String versionBefore, String versionAfter, String reason, long verdictSeq) {

    public Judgement {
        Objects.requireNonNull(attackId, "attackId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason");
        expected = Set.copyOf(expected);
    }

    /** The reason as a list of one sentence (what the card and the report print). */
    public List<String> reasons() {
        return List.of(reason);
    }

    /** One line for the console: "flipped-byte on esp32-01: RESISTED (the device refused ...)". */
    public String summary() {
        return attackId + " on " + (deviceId == null ? "the lab" : deviceId) + ": " + result + " (" + reason + ")";
    }

    /** The fields of its {@code attacker.judged} event: everything {@link #fromJournal} needs. */
    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("attack", attackId);
        f.put("result", result.wireName());
        if (verdict != null) {
            f.put("verdict", verdict);
        }
        f.put("expected_verdicts", List.copyOf(new TreeSet<>(expected)));
        if (stoppedBy != null) {
            f.put("stopped_by", stoppedBy.wireName());
        }
        f.put("struck", struck);
        f.put("http_requests", httpRequests);
        f.put("image_bytes_served", imageBytesServed);
        if (versionBefore != null) {
            f.put("version_before", versionBefore);
        }
        if (versionAfter != null) {
            f.put("version_after", versionAfter);
        }
        f.put("reason", reason);
        f.put("verdict_seq", verdictSeq);
        return f;
    }

    /** The judgement an {@code attacker.judged} event records; empty for any other event. */
    public static Optional<Judgement> fromJournal(JournalEvent e) {
        if (!EventType.ATTACK_JUDGED.is(e) || e.field("attack").isEmpty()) {
            return Optional.empty();
        }
        JudgementResult result = null;
        for (JudgementResult r : JudgementResult.values()) {
            if (r.wireName().equals(e.field("result").orElse(""))) {
                result = r;
            }
        }
        if (result == null) {
            return Optional.empty();
        }
        DeviceCheck check = null;
        for (DeviceCheck c : DeviceCheck.values()) {
            if (c.wireName().equals(e.field("stopped_by").orElse(""))) {
                check = c;
            }
        }
        Set<String> expected = new TreeSet<>();
        if (e.fields().get("expected_verdicts") instanceof Collection<?> c) {
            c.forEach(v -> expected.add(String.valueOf(v)));
        }
        return Optional.of(new Judgement(e.field("attack").orElseThrow(), e.deviceId(), result,
                e.field("verdict").orElse(null), expected, check, "true".equals(e.field("struck").orElse(null)),
                number(e, "http_requests"), number(e, "image_bytes_served"), e.field("version_before").orElse(null),
                e.field("version_after").orElse(null), e.field("reason").orElse(e.message()), number(e, "verdict_seq")));
    }

    private static long number(JournalEvent e, String field) {
        Object v = e.fields().get(field);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? 0 : Long.parseLong(String.valueOf(v));
        } catch (NumberFormatException bad) {
            return 0;
        }
    }

    static List<String> sorted(Collection<String> s) {
        return new ArrayList<>(new TreeSet<>(s));
    }
}
