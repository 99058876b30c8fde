package org.secureota.workbench.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The self-contained {@code report.html} of a session, rebuilt from the journal alone: the script
 * and its steps, a swimlane timeline (inline SVG), the attacks with their verdicts, each device's
 * final flash map to scale, and the figures. No script, no external resource: it opens offline and
 * prints to A4. Everything that came from a device, the network, a script file or a person is
 * escaped with {@link HtmlText}.
 */
public final class SessionReport {

    /** A virtual ESP32's flash chip, the scale of the flash maps. */
    static final long FLASH_SIZE = 4L * 1024 * 1024;
    private static final int TIMELINE_WIDTH = 1000;
    private static final int LANE_HEIGHT = 22;
    private static final int LABEL_WIDTH = 150;
    /** Rows of the event table before it shows only its start and its end. */
    static final int TABLE_ROWS = 2000;

    private final String sessionName;
    private final SessionReader.Result read;
    private final List<JournalEvent> events;

    private SessionReport(String sessionName, SessionReader.Result read) {
        this.sessionName = sessionName;
        this.read = read;
        this.events = read.events();
    }

    public static String render(String sessionName, SessionReader.Result read) {
        return new SessionReport(sessionName, read).html();
    }

    private static String esc(Object text) {
        return HtmlText.escape(text == null ? "" : String.valueOf(text));
    }

    private String html() {
        StringBuilder h = new StringBuilder(16384 + events.size() * 200);
        JournalEvent started = first(EventType.SCENARIO_STARTED);
        String title = started == null ? "Session " + sessionName : started.field("title_en").orElse("Session " + sessionName);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>").append(esc(title)).append("</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p class=\"meta\">Secure OTA Workbench session <b>").append(esc(sessionName)).append("</b>");
        if (!events.isEmpty()) {
            JournalEvent a = events.get(0);
            JournalEvent z = events.get(events.size() - 1);
            h.append(": ").append(events.size()).append(" events from ").append(a.wallClock()).append(" to ")
                    .append(z.wallClock()).append(" (").append(millis(z.monotonicNanos() - a.monotonicNanos())).append(" ms)");
        }
        h.append(".</p>\n");
        if (started != null) {
            h.append("<p>").append(esc(started.field("summary_en").orElse(""))).append("</p>\n");
            h.append("<p lang=\"fr\" class=\"fr\">").append(esc(started.field("title_fr").orElse(""))).append(" — ")
                    .append(esc(started.field("summary_fr").orElse(""))).append("</p>\n");
        }
        if (!read.errors().isEmpty()) {
            h.append("<h2>Damaged lines</h2><p>These lines of the journal could not be read; every other line is used below.</p><ul>");
            read.errors().forEach(err -> h.append("<li>line ").append(err.line()).append(": ").append(esc(err.reason())).append("</li>"));
            h.append("</ul>\n");
        }
        weakenedDevices(h);
        capture(h);
        steps(h);
        timeline(h);
        attacks(h);
        flashMaps(h);
        figures(h);
        eventTable(h);
        h.append("</body></html>\n");
        return h.toString();
    }

    // ---- weakened firmware ----

    /**
     * The firmware variant of each device as the journal says it: the factory's {@code board.factory}
     * {@code variant}, else the device's own {@code device.boot} {@code profile} (the last one wins: a
     * Reset demo re-flashes). Devices the journal says nothing about are absent.
     */
    Map<String, String> variants() {
        Map<String, String> variant = new TreeMap<>();
        for (JournalEvent e : events) {
            if (e.deviceId() == null) {
                continue;
            }
            if (EventType.BOARD_FACTORY.is(e)) {
                e.field("variant").ifPresent(v -> variant.put(e.deviceId(), v));
            } else if (EventType.DEVICE_BOOT.is(e)) {
                e.field("profile").ifPresent(v -> variant.put(e.deviceId(), v));
            }
        }
        return variant;
    }

    /**
     * What a weakened device lacks: "lacks every check" from its factory's {@code missing}, or its own boot
     * report's {@code missing_defences} (the last one wins); empty when the journal does not say.
     */
    private String missingDefences(String deviceId) {
        String missing = "";
        for (JournalEvent e : events) {
            if (!deviceId.equals(e.deviceId())) {
                continue;
            }
            if (EventType.BOARD_FACTORY.is(e) && !e.field("missing").orElse("").isEmpty()) {
                missing = "lacks " + e.field("missing").orElse("");
            } else if (EventType.DEVICE_BOOT.is(e)) {
                missing = e.field("missing_defences").orElse(missing);
            }
        }
        return missing;
    }

    private boolean weakened(String deviceId) {
        String v = variants().get(deviceId);
        return v != null && !"secure".equals(v);
    }

    /**
     * The devices that ended the session bricked: their last word was the firmware's {@code BRICKED} error
     * (a failed image marked valid before its self-test, booting again and again) with no factory re-flash
     * since (Lab > Reset demo makes the board anew).
     */
    java.util.Set<String> bricked() {
        java.util.Set<String> bricked = new java.util.TreeSet<>();
        for (JournalEvent e : events) {
            if (e.deviceId() == null) {
                continue;
            }
            if (EventType.BOARD_FACTORY.is(e)) {
                bricked.remove(e.deviceId());
            } else if (EventType.DEVICE_ERROR.is(e) && "BRICKED".equals(e.field("code").orElse(null))) {
                bricked.add(e.deviceId());
            }
        }
        return bricked;
    }

    /** A session with a weakened lab build says so first, loudly: its results are not the product's. */
    private void weakenedDevices(StringBuilder h) {
        Map<String, String> weak = new TreeMap<>(variants());
        weak.values().removeIf("secure"::equals);
        if (weak.isEmpty()) {
            return;
        }
        h.append("<div class=\"weakened\"><h2>Weakened firmware in this session</h2><p>These devices ran a lab-only build")
                .append(" with defences compiled out (the real board's build refuses it); what got through to them says what")
                .append(" the missing check buys, not what the product does.</p><ul>");
        weak.forEach((id, v) -> {
            String missing = missingDefences(id);
            h.append("<li><b>").append(esc(id)).append("</b>: WEAKENED FIRMWARE <b>").append(esc(v.toUpperCase(Locale.ROOT)))
                    .append("</b>").append(missing.isEmpty() ? "" : " (" + esc(missing) + ")").append("</li>");
        });
        h.append("</ul></div>\n");
    }

    // ---- the network capture ----

    /** The file name the session's pcapng export gets next to the report (and in the session's zip). */
    public static final String CAPTURE_FILE = "capture.pcapng";

    private void capture(StringBuilder h) {
        JournalEvent opened = first(EventType.SESSION_OPENED);
        if (opened == null || opened.field("capture").isEmpty()) {
            return;
        }
        h.append("<p class=\"meta\">Network capture: <a href=\"").append(CAPTURE_FILE).append("\">").append(CAPTURE_FILE)
                .append("</a> (every device connection through the endpoint, with the TLS secrets inside: Wireshark")
                .append(" decrypts it on its own; written by <code>./workbench export</code>, or <code>./workbench export ")
                .append(esc(sessionName)).append(" --pcapng FILE</code>).</p>\n");
    }

    // ---- the script's steps ----

    private void steps(StringBuilder h) {
        List<JournalEvent> stepStarts = all(EventType.SCENARIO_STEP_STARTED);
        JournalEvent finished = first(EventType.SCENARIO_FINISHED);
        if (stepStarts.isEmpty() && finished == null) {
            return;
        }
        h.append("<h2>Script</h2>\n");
        if (finished != null) {
            String result = finished.field("result").orElse("?");
            h.append("<p class=\"result ").append("passed".equals(result) ? "pass" : "fail").append("\">Result: <b>")
                    .append(esc(result.toUpperCase(Locale.ROOT))).append("</b>, ").append(esc(finished.message()))
                    .append(finished.field("problem").map(p -> " — " + esc(p)).orElse("")).append("</p>\n");
        }
        h.append("<table class=\"steps\"><tr><th>#</th><th>step</th><th>narration</th><th>expectations</th><th>result</th></tr>\n");
        for (JournalEvent s : stepStarts) {
            String step = s.field("step").orElse("?");
            JournalEvent end = firstWhere(e -> (EventType.SCENARIO_STEP_PASSED.is(e) || EventType.SCENARIO_STEP_FAILED.is(e))
                    && step.equals(e.field("step").orElse(null)));
            boolean passed = end != null && EventType.SCENARIO_STEP_PASSED.is(end);
            h.append("<tr class=\"").append(end == null ? "" : passed ? "pass" : "fail").append("\"><td>").append(esc(step))
                    .append("</td><td>").append(esc(s.field("description").orElse(""))).append("</td><td>")
                    .append(esc(s.field("narration_en").orElse(""))).append("<br><span lang=\"fr\" class=\"fr\">")
                    .append(esc(s.field("narration_fr").orElse(""))).append("</span></td><td><ul>");
            for (JournalEvent x : all(EventType.SCENARIO_EXPECTATION)) {
                if (step.equals(x.field("step").orElse(null))) {
                    boolean held = "true".equals(x.field("held").orElse(null));
                    h.append("<li class=\"").append(held ? "pass" : "fail").append("\">").append(held ? "✓ " : "✗ ")
                            .append(esc(x.field("description").orElse(""))).append(": expected <code>")
                            .append(esc(x.field("expected").orElse(""))).append("</code>, seen <code>")
                            .append(esc(x.field("seen").orElse(""))).append("</code></li>");
                }
            }
            h.append("</ul></td><td>");
            if (end == null) {
                h.append("not finished");
            } else {
                h.append(passed ? "passed" : "FAILED").append(" (").append(esc(end.field("elapsed_ms").orElse("?"))).append(" ms)");
                end.field("last_seen").ifPresent(r -> h.append("<details><summary>what was last seen</summary><pre>")
                        .append(esc(r)).append("</pre></details>"));
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    // ---- the timeline ----

    /** One swimlane per source, and one per device: server, network, attacker, each device, scenario. */
    private void timeline(StringBuilder h) {
        if (events.isEmpty()) {
            return;
        }
        Map<String, List<JournalEvent>> lanes = new LinkedHashMap<>();
        for (Source s : List.of(Source.SERVER, Source.NETWORK, Source.ATTACKER)) {
            lanes.put(s.wireName(), new ArrayList<>());
        }
        Map<String, List<JournalEvent>> devices = new TreeMap<>();
        List<JournalEvent> scenario = new ArrayList<>();
        List<JournalEvent> workbench = new ArrayList<>();
        for (JournalEvent e : events) {
            switch (e.source()) {
                case DEVICE -> devices.computeIfAbsent(e.deviceId() == null ? "device" : e.deviceId(), k -> new ArrayList<>()).add(e);
                case SCENARIO -> scenario.add(e);
                case WORKBENCH -> workbench.add(e);
                default -> lanes.get(e.source().wireName()).add(e);
            }
        }
        devices.forEach((id, list) -> lanes.put("device " + id, list));
        lanes.put("scenario", scenario);
        if (!workbench.isEmpty()) {
            lanes.put("workbench", workbench);
        }
        long t0 = events.get(0).monotonicNanos();
        long span = Math.max(1, events.get(events.size() - 1).monotonicNanos() - t0);
        int height = lanes.size() * LANE_HEIGHT + 24;
        int width = LABEL_WIDTH + TIMELINE_WIDTH + 10;
        h.append("<h2>Timeline</h2>\n<p>").append(millis(span)).append(" ms; one lane per source and per device; ")
                .append("red marks are refusals and failures, dashed lines the start of each script step.</p>\n");
        h.append("<svg class=\"timeline\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"timeline\">\n");
        int lane = 0;
        for (Map.Entry<String, List<JournalEvent>> l : lanes.entrySet()) {
            int y = lane * LANE_HEIGHT;
            h.append("<rect x=\"0\" y=\"").append(y).append("\" width=\"").append(width).append("\" height=\"").append(LANE_HEIGHT)
                    .append("\" class=\"lane").append(lane % 2).append("\"/>");
            h.append("<text x=\"4\" y=\"").append(y + 15).append("\" class=\"lanelabel\">").append(esc(shorten(l.getKey(), 22)))
                    .append("</text>\n");
            // Events closer than one unit merge into one mark, so a long session stays a small file.
            Map<Integer, List<JournalEvent>> byX = new TreeMap<>();
            for (JournalEvent e : l.getValue()) {
                int x = (int) ((e.monotonicNanos() - t0) * TIMELINE_WIDTH / span);
                byX.computeIfAbsent(x, k -> new ArrayList<>()).add(e);
            }
            for (Map.Entry<Integer, List<JournalEvent>> m : byX.entrySet()) {
                List<JournalEvent> at = m.getValue();
                boolean bad = at.stream().anyMatch(SessionReport::isBad);
                JournalEvent shown = at.stream().filter(SessionReport::isBad).findFirst().orElse(at.get(0));
                h.append("<rect x=\"").append(LABEL_WIDTH + m.getKey()).append("\" y=\"").append(y + 4)
                        .append("\" width=\"2\" height=\"").append(LANE_HEIGHT - 8).append("\" class=\"")
                        .append(bad ? "bad" : "ev").append("\"><title>").append(esc(shown.type() + ": " + shorten(shown.message(), 120)))
                        .append(at.size() > 1 ? " (+" + (at.size() - 1) + " more)" : "").append("</title></rect>");
            }
            h.append('\n');
            lane++;
        }
        for (JournalEvent s : all(EventType.SCENARIO_STEP_STARTED)) {
            int x = LABEL_WIDTH + (int) ((s.monotonicNanos() - t0) * TIMELINE_WIDTH / span);
            h.append("<line x1=\"").append(x).append("\" y1=\"0\" x2=\"").append(x).append("\" y2=\"").append(height - 20)
                    .append("\" class=\"stepline\"/><text x=\"").append(x + 2).append("\" y=\"").append(height - 8)
                    .append("\" class=\"steplabel\">").append(esc(s.field("step").orElse(""))).append("</text>\n");
        }
        h.append("</svg>\n");
    }

    private static boolean isBad(JournalEvent e) {
        if (EventType.OTA_VERDICT.is(e)) {
            String code = e.field("code").orElse("");
            return !code.equals("UPDATED") && !code.equals("NO_UPDATE");
        }
        return EventType.SCENARIO_STEP_FAILED.is(e) || EventType.BOARD_POWER_CUT.is(e) || EventType.BOARD_HALTED.is(e)
                || EventType.DEVICE_ERROR.is(e) || EventType.BOARD_CRASH.is(e)
                || EventType.SCENARIO_EXPECTATION.is(e) && "false".equals(e.field("held").orElse(null));
    }

    // ---- attacks ----

    private void attacks(StringBuilder h) {
        List<JournalEvent> attacker = events.stream().filter(e -> e.source() == Source.ATTACKER).toList();
        if (attacker.isEmpty()) {
            return;
        }
        h.append("<h2>Attacks</h2>\n<table><tr><th>time</th><th>attack</th><th>what happened</th><th>verdict</th>")
                .append("<th>stopped by</th></tr>\n");
        for (JournalEvent e : attacker) {
            h.append("<tr><td>").append(e.wallClock()).append("</td><td>").append(esc(e.field("attack").orElse(e.field("id").orElse(""))))
                    .append("</td><td>").append(esc(e.type())).append(": ").append(esc(e.message())).append("</td><td>")
                    .append(esc(String.join(" ", e.field("result").orElse(""), e.field("verdict").orElse(
                            e.field("expected_verdicts").map(v -> "a secure device shows " + v).orElse(""))).strip()))
                    .append("</td><td>").append(esc(e.field("stopped_by").orElse(e.field("check").orElse(""))))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        List<JournalEvent> refusals = all(EventType.OTA_VERDICT).stream()
                .filter(SessionReport::isBad).toList();
        if (!refusals.isEmpty()) {
            h.append("<p>Device verdicts that refused an update:</p><ul>");
            refusals.forEach(v -> h.append("<li>").append(v.wallClock()).append(' ').append(esc(v.deviceId())).append(": <b>")
                    .append(esc(v.field("code").orElse(""))).append("</b> ").append(esc(v.field("detail").orElse(""))).append("</li>"));
            h.append("</ul>\n");
        }
    }

    // ---- flash maps ----

    @SuppressWarnings("unchecked")
    private void flashMaps(StringBuilder h) {
        Map<String, JournalEvent> last = new TreeMap<>();
        // A slot's state can change after the last partition report: the app confirms itself (app_state).
        Map<String, Map<String, String>> laterStates = new TreeMap<>();
        for (JournalEvent e : events) {
            if (EventType.DEVICE_PARTITIONS.is(e) && e.deviceId() != null) {
                last.put(e.deviceId(), e);
                laterStates.remove(e.deviceId());
            } else if (EventType.DEVICE_APP_STATE.is(e) && e.deviceId() != null) {
                laterStates.computeIfAbsent(e.deviceId(), k -> new LinkedHashMap<>())
                        .put(e.field("slot").orElse(""), e.field("state").orElse(""));
            }
        }
        if (last.isEmpty()) {
            return;
        }
        h.append("<h2>Flash maps</h2>\n<p>Each device's 4 MiB flash at the end of the session, to scale: its app slots with their otadata state and version.</p>\n");
        for (Map.Entry<String, JournalEvent> d : last.entrySet()) {
            Object slotsField = d.getValue().fields().get("slots");
            List<Map<String, Object>> reported = slotsField instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
            Map<String, String> later = laterStates.getOrDefault(d.getKey(), Map.of());
            List<Map<String, Object>> slots = new ArrayList<>();
            for (Map<String, Object> s : reported) {
                Map<String, Object> copy = new LinkedHashMap<>(s);
                if (later.containsKey(String.valueOf(s.get("slot")))) {
                    copy.put("state", later.get(String.valueOf(s.get("slot"))));
                }
                slots.add(copy);
            }
            h.append("<h3>").append(esc(d.getKey()));
            if (weakened(d.getKey())) {
                h.append(" <span class=\"weakened-badge\">WEAKENED FIRMWARE ")
                        .append(esc(variants().get(d.getKey()).toUpperCase(Locale.ROOT))).append("</span>");
            }
            if (bricked().contains(d.getKey())) {
                h.append(" <span class=\"bricked-badge\">BRICKED: boots a failed image again and again (no rollback)</span>");
            }
            h.append("</h3>\n<svg class=\"flash\" viewBox=\"0 0 1010 60\" xmlns=\"http://www.w3.org/2000/svg\">")
                    .append("<rect x=\"0\" y=\"5\" width=\"1000\" height=\"40\" class=\"chip\"><title>4 MiB flash</title></rect>");
            for (Map<String, Object> s : slots) {
                long offset = number(s.get("offset"));
                long size = number(s.get("size"));
                double x = offset * 1000.0 / FLASH_SIZE;
                double w = Math.max(1, size * 1000.0 / FLASH_SIZE);
                Map<String, Object> image = image(s);
                boolean valid = Boolean.TRUE.equals(image.get("valid"));
                boolean running = Boolean.TRUE.equals(s.get("running"));
                String label = s.get("slot") + " " + s.get("state") + " " + (valid ? String.valueOf(image.get("version")) : "no valid image")
                        + (running ? " (running)" : "");
                h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"5\" width=\"%.1f\" height=\"40\" class=\"slot %s%s\">",
                        x, w, valid ? "valid" : "empty", running ? " running" : ""))
                        .append("<title>").append(esc(s.get("label") + " at 0x" + Long.toHexString(offset) + ", " + size + " bytes"))
                        .append("</title></rect>");
                h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"30\" class=\"slotlabel\">", x + 4)).append(esc(label)).append("</text>");
            }
            h.append("<text x=\"0\" y=\"58\" class=\"axis\">0x000000</text><text x=\"940\" y=\"58\" class=\"axis\">0x400000</text></svg>\n");
            h.append("<table class=\"slots\"><tr><th>slot</th><th>label</th><th>offset</th><th>size</th><th>otadata state</th><th>image</th></tr>");
            for (Map<String, Object> s : slots) {
                Map<String, Object> image = image(s);
                h.append("<tr><td>").append(esc(s.get("slot"))).append(Boolean.TRUE.equals(s.get("running")) ? " (running)" : "")
                        .append("</td><td>").append(esc(s.get("label"))).append("</td><td>0x").append(Long.toHexString(number(s.get("offset"))))
                        .append("</td><td>").append(number(s.get("size"))).append("</td><td>").append(esc(s.get("state")))
                        .append("</td><td>").append(Boolean.TRUE.equals(image.get("valid")) ? esc(image.get("version"))
                                : "invalid: " + esc(image.get("error"))).append("</td></tr>");
            }
            h.append("</table>\n");
        }
    }

    /** A slot's image: nested ({@code image: {valid, version, error}}) or flat, as device.partitions writes it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> image(Map<String, Object> slot) {
        return slot.get("image") instanceof Map<?, ?> m ? (Map<String, Object>) m : slot;
    }

    // ---- figures ----

    private void figures(StringBuilder h) {
        long served = 0;
        long firmwareRequests = 0;
        long requests = 0;
        for (JournalEvent e : all(EventType.HTTP_REQUEST)) {
            requests++;
            if (e.field("path").orElse("").startsWith("/firmware/")) {
                firmwareRequests++;
                served += number(e.fields().get("bytes_written"));
            }
        }
        h.append("<h2>Figures</h2>\n<table class=\"figures\"><tr><th>figure</th><th>value</th></tr>")
                .append("<tr><td>HTTP requests to the server</td><td>").append(requests).append("</td></tr>")
                .append("<tr><td>firmware downloads (requests)</td><td>").append(firmwareRequests).append("</td></tr>")
                .append("<tr><td>image bytes served</td><td>").append(served).append("</td></tr>")
                .append("<tr><td>power cuts</td><td>").append(all(EventType.BOARD_POWER_CUT).size()).append("</td></tr>")
                .append("</table>\n");
        // An update's time: from the device's first progress event of the attempt to its app confirming itself.
        List<String[]> updates = new ArrayList<>();
        Map<String, JournalEvent> attemptStart = new LinkedHashMap<>();
        Map<String, JournalEvent> updated = new LinkedHashMap<>();
        for (JournalEvent e : events) {
            String dev = e.deviceId();
            if (dev == null) {
                continue;
            }
            if (EventType.OTA_PROGRESS.is(e)) {
                attemptStart.putIfAbsent(dev, e);
            } else if (EventType.OTA_VERDICT.is(e)) {
                if ("UPDATED".equals(e.field("code").orElse(null))) {
                    updated.put(dev, e);
                } else {
                    attemptStart.remove(dev);
                }
            } else if (EventType.DEVICE_APP_STATE.is(e) && "valid".equals(e.field("state").orElse(null))
                    && updated.containsKey(dev) && attemptStart.containsKey(dev)) {
                JournalEvent start = attemptStart.remove(dev);
                JournalEvent verdict = updated.remove(dev);
                updates.add(new String[] {dev, verdict.field("version").orElse("?"), start.wallClock().toString(),
                        Long.toString(millis(verdict.monotonicNanos() - start.monotonicNanos())),
                        Long.toString(millis(e.monotonicNanos() - start.monotonicNanos()))});
            }
        }
        if (!updates.isEmpty()) {
            h.append("<h3>Updates</h3><table class=\"figures\"><tr><th>device</th><th>version</th><th>started</th>")
                    .append("<th>to verdict UPDATED (ms)</th><th>to confirmed valid (ms)</th></tr>");
            for (String[] u : updates) {
                h.append("<tr><td>").append(esc(u[0])).append("</td><td>").append(esc(u[1])).append("</td><td>").append(u[2])
                        .append("</td><td>").append(u[3]).append("</td><td>").append(u[4]).append("</td></tr>");
            }
            h.append("</table>\n");
        }
    }

    // ---- every event ----

    /**
     * Every event but the raw serial lines (they are in each device's serial.log). A report is for
     * people: past {@link #TABLE_ROWS} rows it shows the first and last halves and says where the rest
     * is; journal.jsonl always holds everything.
     */
    private void eventTable(StringBuilder h) {
        List<JournalEvent> rows = events.stream()
                .filter(e -> !EventType.SERIAL_RX.is(e) && !EventType.SERIAL_TX.is(e)).toList();
        h.append("<h2 class=\"events\">Events</h2>\n<p class=\"events\">").append(rows.size())
                .append(" events; the raw serial lines are in each device's serial.log.</p>\n")
                .append("<table class=\"events\"><tr><th>#</th><th>time (UTC)</th><th>source</th>")
                .append("<th>device</th><th>type</th><th>message</th><th>details</th></tr>\n");
        int half = TABLE_ROWS / 2;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.size() > TABLE_ROWS && i == half) {
                h.append("<tr><td colspan=\"7\">").append(rows.size() - TABLE_ROWS)
                        .append(" events left out here: every one is in journal.jsonl</td></tr>\n");
                i = rows.size() - half;
            }
            JournalEvent e = rows.get(i);
            h.append("<tr class=\"").append(e.source().wireName()).append("\"><td>").append(e.seq())
                    .append("</td><td>").append(e.wallClock()).append("</td><td>").append(e.source().wireName())
                    .append("</td><td>").append(esc(e.deviceId())).append("</td><td>").append(esc(e.type()))
                    .append("</td><td>").append(esc(e.message())).append("</td><td><code>")
                    .append(esc(e.fields().isEmpty() ? "" : e.fields().toString())).append("</code></td></tr>\n");
        }
        h.append("</table>\n");
    }

    // ---- helpers ----

    private JournalEvent first(EventType type) {
        return firstWhere(type::is);
    }

    private JournalEvent firstWhere(java.util.function.Predicate<JournalEvent> p) {
        for (JournalEvent e : events) {
            if (p.test(e)) {
                return e;
            }
        }
        return null;
    }

    private List<JournalEvent> all(EventType type) {
        return events.stream().filter(type::is).toList();
    }

    private static long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? 0 : Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    private static String shorten(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static final String CSS = String.join("",
            "body{font-family:sans-serif;margin:2em;color:#222}h1{margin-bottom:.2em}.meta{color:#555}.fr{color:#555;font-style:italic}",
            "table{border-collapse:collapse;width:100%;margin-bottom:1em}",
            "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left;vertical-align:top}",
            "th{background:#eee}tr.pass td:last-child,li.pass,.result.pass{color:#116611}tr.fail td:last-child,li.fail,.result.fail{color:#b00020}",
            ".steps ul{margin:0;padding-left:1em}.attacker{background:#fde2e2}.device{background:#e6f0ff}",
            ".server{background:#e8f6e8}.network{background:#fff4d6}.scenario{background:#f0e6ff}",
            "code,pre{white-space:pre-wrap;font-size:12px}.esc{color:#b00020;background:#fff0f0;font-family:monospace}",
            "svg{width:100%;height:auto;display:block}.lane0{fill:#f7f7f7}.lane1{fill:#ffffff}",
            ".lanelabel{font-size:11px;fill:#333}.ev{fill:#3465a4}.bad{fill:#cc0000}",
            ".stepline{stroke:#7a4eb5;stroke-dasharray:3,3}.steplabel{font-size:10px;fill:#7a4eb5}",
            ".chip{fill:#eeeeee;stroke:#999}.slot{stroke:#333}.slot.valid{fill:#b8e0b8}.slot.empty{fill:#f3d1d1}",
            ".slot.running{stroke-width:3}.slotlabel{font-size:12px}.axis{font-size:10px;fill:#666}",
            ".weakened{border:3px solid #b00020;background:#fff0f0;padding:0 1em;margin-bottom:1em}",
            ".bricked-badge{background:#222;color:#fff;padding:0 .4em;font-size:14px}",
            ".weakened-badge{background:#b00020;color:#fff;padding:0 .4em;font-size:14px}",
            "@media print{@page{size:A4;margin:12mm}body{margin:0;font-size:11px}",
            "svg.timeline,svg.flash{width:100%;max-width:186mm;page-break-inside:avoid;break-inside:avoid}",
            "h2{page-break-after:avoid}table.steps tr,table.slots{page-break-inside:avoid}",
            "details>pre{display:block}.events{display:none}}");
}
