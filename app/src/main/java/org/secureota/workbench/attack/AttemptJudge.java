package org.secureota.workbench.attack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * The one judge: one device's attempt (up to its {@code ota.verdict}) against one armed attack, from the
 * journal alone, following the rules of docs/attacks.md. Only the judged device's own connections,
 * requests, bytes and verdict count:
 * <ul>
 *   <li>a request is the device's when the server authenticated it as that device (its API key);</li>
 *   <li>an endpoint connection is the device's when one of its requests came through it (the endpoint's
 *       {@code upstream_port} is the server's {@code remote_port}), or, when no request identifies it,
 *       when it opened during this device's attempt and during no other device's attempt.</li>
 * </ul>
 */
final class AttemptJudge {

    /** What the attacker knows of one arming: what it altered, and when it was armed. */
    record Armed(ArmedAttack attack, StrikeKind kind, Set<String> alteredVersions, Set<String> alteredFiles) {
    }

    private AttemptJudge() {
    }

    /**
     * @param events  every journal event after the later of the arming and the device's previous verdict
     *                (plus the device's earlier boots, for the version it ran), up to now
     * @param verdict the device's verdict that ends the attempt
     * @param from    the later of the arming and the device's previous verdict: what the device did after it is
     *                this attempt's (its progress lines reach the journal over the serial link, often after the
     *                server has journaled the requests they announce, so they cannot mark the start)
     */
    static Judgement judge(Armed armed, JournalEvent verdict, List<JournalEvent> events, long from) {
        String device = Objects.requireNonNull(verdict.deviceId(), "device");
        ArmedAttack a = armed.attack();
        ExpectedOutcome expected = a.expected();
        long armedSeq = a.armedSeq();
        long verdictSeq = verdict.seq();
        String code = verdict.field("code").orElse("?");
        String offered = verdict.field("version").orElse(null);

        // The device's attempt: after the arming or its previous verdict, to this verdict; what the server logs
        // of it a moment later still counts, up to the device's next attempt.
        long firstProgress = Long.MIN_VALUE;
        long end = Long.MAX_VALUE;
        String versionBefore = null;
        String versionAfter = null;
        boolean bootedAfterArming = false;
        for (JournalEvent e : events) {
            if (!device.equals(e.deviceId())) {
                continue;
            }
            if (EventType.DEVICE_BOOT.is(e) && e.field("version").isPresent()) {
                if (e.seq() < verdictSeq && (firstProgress == Long.MIN_VALUE || e.seq() < firstProgress)) {
                    versionBefore = e.field("version").get();
                }
                versionAfter = e.field("version").get();
                if (e.seq() > armedSeq && e.seq() < verdictSeq && !EventType.isStatusReport(e)) {
                    bootedAfterArming = true;
                }
            }
            if (EventType.OTA_PROGRESS.is(e)) {
                if (e.seq() < verdictSeq && firstProgress == Long.MIN_VALUE && e.seq() > from) {
                    firstProgress = e.seq();
                } else if (e.seq() > verdictSeq && end == Long.MAX_VALUE) {
                    end = e.seq();
                }
            }
        }
        long start = from;
        Attribution who = new Attribution(events, device, start, verdictSeq);

        long requests = 0;
        long imageBytes = 0;
        boolean alteredServed = false;
        for (JournalEvent e : events) {
            if (e.seq() <= start || e.seq() >= end) {
                continue;
            }
            if (EventType.HTTP_REQUEST.is(e) && who.requestIsMine(e)) {
                requests++;
                String path = e.field("path").orElse("");
                boolean ok = e.fields().get("status") instanceof Number s && s.intValue() / 100 == 2;
                if (ok && path.startsWith("/firmware/")) {
                    imageBytes += e.fields().get("bytes_written") instanceof Number n ? n.longValue() : 0;
                    if (armed.alteredFiles().contains(path.substring("/firmware/".length()))) {
                        alteredServed = true;
                    }
                }
            }
            if (armed.kind() == StrikeKind.MANIFEST && EventType.SERVER_MANIFEST.is(e) && device.equals(e.deviceId())
                    && "offered".equals(e.field("outcome").orElse(""))
                    && armed.alteredVersions().contains(e.field("version").orElse(""))) {
                alteredServed = true;
            }
        }
        long faultsStruck = 0;
        for (JournalEvent e : events) {
            if (EventType.FAULT_STRUCK.is(e) && e.seq() > start && e.seq() < end
                    && who.connectionIsMine(e.field("connection").orElse(""))) {
                faultsStruck++;
            }
        }
        long connections = who.myConnections();

        boolean struck = switch (armed.kind()) {
            // Reached over the device's own connection; a plain "nothing newer" means the other server had nothing
            // to show it, unless taking that answer is itself what the attack wants.
            case ROUTE -> (connections > 0 || expected.verdicts().contains(code))
                    && (!"NO_UPDATE".equals(code) || expected.mustNotHappen().contains(Forbidden.NO_UPDATE_ACCEPTED));
            case CLOCK -> bootedAfterArming || expected.verdicts().contains(code);
            case FAULT -> faultsStruck > 0;
            case IMAGE, MANIFEST -> alteredServed;
            case COPY -> false;
        };
        String noun = Nouns.of(a.id());
        String running = versionBefore == null ? "" : " " + versionBefore;
        JudgementResult result;
        String reason;
        if (!struck) {
            result = JudgementResult.NO_ATTEMPT;
            reason = notStruck(armed.kind(), device, code, running.strip(), offered, noun);
        } else {
            String accepted = accepted(armed.kind(), expected, code, offered, requests, imageBytes);
            if (accepted != null) {
                result = JudgementResult.NOT_RESISTED;
                reason = noun + " reached " + device + ", which accepted it: " + accepted;
            } else if (expected.verdicts().contains(code)) {
                result = JudgementResult.RESISTED;
                reason = "UPDATED".equals(code)
                        ? noun + " struck " + device + ", which survived it: it resumed and installed "
                        + (offered == null ? "the genuine release" : offered) + " (UPDATED)"
                        : noun + " reached " + device + ", which refused it at the " + check(expected.stoppedBy())
                        + " check (" + code + ")";
            } else {
                // Struck and refused, but not where the catalogue expects: still no acceptance.
                result = JudgementResult.RESISTED;
                reason = noun + " reached " + device + ", which refused the attempt with " + code + " (the catalogue"
                        + " names the " + check(expected.stoppedBy()) + " check, " + String.join(" or ",
                        Judgement.sorted(expected.verdicts())) + ")";
            }
        }
        return new Judgement(a.id(), device, result, code, expected.verdicts(), expected.stoppedBy(), struck, requests,
                imageBytes, versionBefore, versionAfter, reason, verdictSeq);
    }

    /** What the device accepted that the attack changed, or null when it accepted nothing. */
    private static String accepted(StrikeKind kind, ExpectedOutcome expected, String code, String offered,
                                   long requests, long imageBytes) {
        if ("UPDATED".equals(code) && !expected.verdicts().contains("UPDATED")) {
            return "it installed " + (offered == null ? "the offered release" : offered) + " (UPDATED)";
        }
        if (expected.mustNotHappen().contains(Forbidden.NO_UPDATE_ACCEPTED) && "NO_UPDATE".equals(code)) {
            return "it took the server's unsigned word that nothing is newer (NO_UPDATE): it had no signed statement"
                    + " to hold the server to yet";
        }
        if (expected.mustNotHappen().contains(Forbidden.ANY_HTTP_REQUEST) && requests > 0
                && (kind == StrikeKind.ROUTE || kind == StrikeKind.CLOCK)) {
            return "it finished the TLS handshake and sent " + requests + " HTTP request(s) (" + code + ")";
        }
        if (expected.mustNotHappen().contains(Forbidden.IMAGE_SERVED) && imageBytes > 0 && kind == StrikeKind.MANIFEST) {
            return "it went on to download " + imageBytes + " image bytes (" + code + ")";
        }
        return null;
    }

    private static String notStruck(StrikeKind kind, String device, String code, String running, String offered,
                                    String noun) {
        String never = switch (kind) {
            case ROUTE -> noun + " never reached it";
            // The device reads the time before each check: the moved time reached it, but decided nothing.
            case CLOCK -> noun + " changed nothing it checked";
            case FAULT -> "no connection of " + device + " met " + noun;
            case IMAGE -> noun + " was never served";
            case MANIFEST -> noun + " was never served to it";
            case COPY -> noun + " is judged by the copy";
        };
        return switch (code) {
            case "NO_UPDATE" -> (running.isEmpty() ? device + " was offered no update"
                    : "the device already runs " + running) + ": nothing was downloaded, so " + never;
            case "VERSION_ROLLED_BACK" -> device + " refused " + (offered == null ? "the offered version" : offered)
                    + ", the version it rolled back from, before asking for any image, so " + never;
            default -> kind == StrikeKind.CLOCK ? device + " ended its attempt with " + code + "; " + never
                    : device + " ended its attempt with " + code + " before the attack could act: " + never;
        };
    }

    private static String check(DeviceCheck c) {
        return c.wireName().replace('_', ' ');
    }

    /** Which connections and requests of the window are the judged device's. */
    private static final class Attribution {
        private final String device;
        private final Map<String, String> portOfConnection = new HashMap<>();
        private final Map<String, Long> openedAt = new HashMap<>();
        private final Map<String, String> ownerOfPort = new HashMap<>();
        private final List<long[]> othersAttempts = new ArrayList<>();
        private final Set<String> mine = new HashSet<>();
        private final long start;
        private final long verdictSeq;

        Attribution(List<JournalEvent> events, String device, long start, long verdictSeq) {
            this.device = device;
            this.start = start;
            this.verdictSeq = verdictSeq;
            Map<String, Long> openSince = new HashMap<>();
            for (JournalEvent e : events) {
                if (EventType.CONNECTION_OPENED.is(e)) {
                    e.field("connection").ifPresent(c -> openedAt.put(c, e.seq()));
                } else if (EventType.CONNECTION_CLOSED.is(e) && e.field("upstream_port").isPresent()) {
                    portOfConnection.put(e.field("connection").orElse(""), e.field("upstream_port").get());
                } else if (EventType.HTTP_REQUEST.is(e) && e.deviceId() != null && e.field("remote_port").isPresent()) {
                    ownerOfPort.putIfAbsent(e.field("remote_port").get(), e.deviceId());
                } else if (e.deviceId() != null && !device.equals(e.deviceId())) {
                    if (EventType.OTA_PROGRESS.is(e)) {
                        openSince.putIfAbsent(e.deviceId(), e.seq());
                    } else if (EventType.OTA_VERDICT.is(e)) {
                        Long from = openSince.remove(e.deviceId());
                        othersAttempts.add(new long[] {from == null ? Long.MIN_VALUE : from, e.seq()});
                    }
                }
            }
            openSince.values().forEach(from -> othersAttempts.add(new long[] {from, Long.MAX_VALUE}));
            for (Map.Entry<String, Long> c : openedAt.entrySet()) {
                String owner = ownerOfPort.get(portOfConnection.get(c.getKey()));
                long at = c.getValue();
                if (device.equals(owner) || owner == null && at > start && at < verdictSeq && !othersBusyAt(at)) {
                    mine.add(c.getKey());
                }
            }
        }

        private boolean othersBusyAt(long seq) {
            return othersAttempts.stream().anyMatch(w -> seq >= w[0] && seq <= w[1]);
        }

        boolean connectionIsMine(String connection) {
            return mine.contains(connection);
        }

        long myConnections() {
            return mine.size();
        }

        /**
         * Authenticated as this device; or, without a key (public downloads), on one of its connections. A request
         * that came through an endpoint connection opened before this attempt is the previous attempt's, whose
         * request log the server wrote late (it writes it when the response is complete).
         */
        boolean requestIsMine(JournalEvent request) {
            String port = request.field("remote_port").orElse(null);
            // A port can come round again: a connection of this attempt wins over an older one.
            List<String> through = port == null ? List.of() : portOfConnection.entrySet().stream()
                    .filter(c -> port.equals(c.getValue())).map(Map.Entry::getKey).toList();
            String connection = through.stream().filter(openedAt::containsKey).findFirst()
                    .orElse(through.isEmpty() ? null : through.get(0));
            if (connection != null && !openedAt.containsKey(connection)) {
                return false;
            }
            if (request.deviceId() != null) {
                return device.equals(request.deviceId());
            }
            return connection != null && mine.contains(connection);
        }
    }
}
