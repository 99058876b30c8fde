package org.secureota.workbench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.SlotReport;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * Evaluates expectations against what the lab recorded: the journal (counted from a step's start)
 * and the device models. Each result says what was expected and what was seen.
 */
final class ExpectationCheck {

    private static final String STATUS_REPORT = "status_report";

    private final ScenarioLab lab;
    private final long sinceSeq;

    /** @param sinceSeq events after this sequence number count (the step's start) */
    ExpectationCheck(ScenarioLab lab, long sinceSeq) {
        this.lab = lab;
        this.sinceSeq = sinceSeq;
    }

    ExpectationResult evaluate(Expectation x) {
        // Java 17: no pattern matching in switch yet, so one instanceof per kind.
        if (x instanceof Expectation.Version v) {
            return perDevice(x, v.device(), v.version(), DeviceSnapshot::version);
        }
        if (x instanceof Expectation.RunningSlot r) {
            return perDevice(x, r.device(), r.slot(), DeviceSnapshot::runningSlot);
        }
        if (x instanceof Expectation.Verdict v) {
            return verdict(v);
        }
        if (x instanceof Expectation.Led l) {
            return perDevice(x, l.device(), l.mode(), d -> d.led() == null ? null : d.led().mode().wireName());
        }
        if (x instanceof Expectation.Lcd l) {
            return lcd(l);
        }
        if (x instanceof Expectation.SlotStates s) {
            return slotStates(s);
        }
        if (x instanceof Expectation.AttackResisted a) {
            ScenarioLab.AttackJudgement j = lab.judge(a.attack(), sinceSeq);
            return result(x, "resisted", j.outcome() + (j.evidence() == null ? "" : " (" + j.evidence() + ")"), j.resisted());
        }
        if (x instanceof Expectation.ImageBytesServed b) {
            // Image answers only (200, 206): a refused image request's few bytes are not the image.
            long bytes = requests(RequestKind.FIRMWARE).stream().filter(e -> number(e, "status") / 100 == 2)
                    .mapToLong(e -> number(e, "bytes_written")).sum();
            return result(x, b.count().toString(), Long.toString(bytes), b.count().test(bytes));
        }
        if (x instanceof Expectation.HttpRequests h) {
            long n = requests(h.kind()).size();
            return result(x, h.count().toString(), Long.toString(n), h.count().test(n));
        }
        if (x instanceof Expectation.ResumedAboveZero) {
            List<Long> starts = requests(RequestKind.FIRMWARE).stream()
                    .map(e -> rangeStart(e.field("range").orElse(null))).filter(s -> s >= 0).toList();
            return result(x, "a Range request starting above byte 0",
                    starts.isEmpty() ? "no Range request" : "Range starts " + starts, starts.stream().anyMatch(s -> s > 0));
        }
        if (x instanceof Expectation.NoDeviceBricked) {
            return noBrick(x);
        }
        Expectation.Events ev = (Expectation.Events) x;
        long count = lab.eventsAfter(sinceSeq).stream().filter(e -> matches(e, ev.event(), ev.device(), ev.fields())).count();
        return result(x, ev.count().toString(), Long.toString(count), ev.count().test(count));
    }

    /** A device event matches a type, a device ({@code all} or null: any) and field values. */
    static boolean matches(JournalEvent e, String type, String device, Map<String, String> fields) {
        if (!e.type().equals(type)) {
            return false;
        }
        // A device.boot that answers the link's status request (status_report: true) is the old boot
        // retold, not a boot: counted as one, a reset step could pass on the report of the app the reset
        // is about to kill, and the next command would go to that app and die with it. A script that
        // means the reports names the field.
        if (!fields.containsKey(STATUS_REPORT) && EventType.isStatusReport(e)) {
            return false;
        }
        if (device != null && !device.equals("all") && !device.equals(e.deviceId())) {
            return false;
        }
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!e.field(f.getKey()).map(f.getValue()::equals).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    private List<JournalEvent> requests(RequestKind kind) {
        return lab.eventsAfter(sinceSeq).stream()
                .filter(e -> EventType.HTTP_REQUEST.is(e))
                .filter(e -> kind.matches(e.field("path").orElse(null))).toList();
    }

    private interface Reading {
        String read(DeviceSnapshot d);
    }

    private ExpectationResult perDevice(Expectation x, String device, String expected, Reading reading) {
        List<String> seen = new ArrayList<>();
        boolean held = true;
        for (String id : targets(device)) {
            Optional<DeviceSnapshot> d = lab.device(id);
            String value = d.map(reading::read).orElse(null);
            held &= expected.equals(value);
            seen.add((device.equals("all") ? id + "=" : "") + (d.isEmpty() ? "no such device" : value == null ? "nothing reported" : value));
        }
        return result(x, expected, String.join(", ", seen), held);
    }

    /** The device's last verdict reported since the step began: an older one proves nothing about this step. */
    private ExpectationResult verdict(Expectation.Verdict v) {
        List<JournalEvent> events = lab.eventsAfter(sinceSeq);
        List<String> seen = new ArrayList<>();
        boolean held = true;
        for (String id : targets(v.device())) {
            String code = null;
            for (JournalEvent e : events) {
                if (EventType.OTA_VERDICT.is(e) && id.equals(e.deviceId())) {
                    code = e.field("code").orElse(null);
                }
            }
            held &= v.code().equals(code);
            seen.add((v.device().equals("all") ? id + "=" : "") + (code == null ? "no verdict since the step began" : code));
        }
        return result(v, v.code(), String.join(", ", seen), held);
    }

    private ExpectationResult lcd(Expectation.Lcd l) {
        List<String> seen = new ArrayList<>();
        boolean held = true;
        for (String id : targets(l.device())) {
            String glass = lab.device(id).map(d -> d.lcd() == null ? "" : String.join("\n",
                    d.lcd().rows().stream().map(String::stripTrailing).toList())).orElse("");
            held &= glass.contains(l.text());
            seen.add(glass.replace("\n", " / "));
        }
        return result(l, l.text(), String.join(", ", seen), held);
    }

    private ExpectationResult slotStates(Expectation.SlotStates s) {
        List<String> seen = new ArrayList<>();
        boolean held = true;
        for (String id : targets(s.device())) {
            Optional<DeviceSnapshot> d = lab.device(id);
            for (Map.Entry<String, String> want : s.states().entrySet()) {
                String state = d.flatMap(snap -> snap.slot(want.getKey())).map(r -> r.state() == null ? null : r.state().wireName()).orElse(null);
                held &= state != null && List.of(want.getValue().split("\\|")).contains(state);
                seen.add((s.device().equals("all") ? id + " " : "") + want.getKey() + "=" + (state == null ? "not reported" : state));
            }
        }
        return result(s, s.states().toString(), String.join(", ", seen), held);
    }

    private ExpectationResult noBrick(Expectation x) {
        List<String> bricked = new ArrayList<>();
        for (String id : lab.deviceIds()) {
            String power = lab.boardPower(id).orElse("unknown");
            Optional<DeviceSnapshot> d = lab.device(id);
            Optional<SlotReport> running = d.flatMap(s -> s.slots().stream().filter(SlotReport::running).findFirst());
            boolean ok = !power.equals("OFF") && !power.equals("CUT") && running.map(r -> r.image().valid()).orElse(false);
            if (!ok) {
                bricked.add(id + " (power " + power + ", running " + running.map(SlotReport::describe).orElse("no app") + ")");
            }
        }
        return result(x, "every device runs an intact app (checksum and appended SHA-256)", bricked.isEmpty() ? "all " + lab.deviceIds().size()
                + " run an intact app" : "not running an intact app: " + String.join("; ", bricked), bricked.isEmpty());
    }

    private List<String> targets(String device) {
        return device.equals("all") ? lab.deviceIds() : List.of(device);
    }

    private static ExpectationResult result(Expectation x, String expected, String seen, boolean held) {
        return new ExpectationResult(x.describe(), expected, seen, held, x.position(), x);
    }

    private static long number(JournalEvent e, String field) {
        Object v = e.fields().get(field);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** The first byte of {@code bytes=N-...}, or -1 for no or another range. */
    static long rangeStart(String range) {
        if (range == null || !range.startsWith("bytes=")) {
            return -1;
        }
        String spec = range.substring("bytes=".length());
        int dash = spec.indexOf('-');
        try {
            return dash <= 0 ? -1 : Long.parseLong(spec.substring(0, dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
