package org.secureota.workbench.ui;

import java.util.TreeMap;
import org.secureota.workbench.scenario.Expectation;
import org.secureota.workbench.scenario.ExpectationResult;

/**
 * A failed expectation in the window's language, rendered from what was evaluated: the scenario package
 * words it in English for logs and JUnit reports. Values read from the lab (versions, verdict codes, slot
 * states, counts, LCD text) are shown as they were seen.
 */
final class ExpectationText {

    private ExpectationText() {
    }

    /** What had to hold. */
    static String description(ExpectationResult r, I18n i18n) {
        Expectation x = r.expectation();
        if (x instanceof Expectation.Version v) {
            return i18n.get("scenario.expect.version", device(v.device(), i18n), v.version());
        }
        if (x instanceof Expectation.RunningSlot s) {
            return i18n.get("scenario.expect.runningSlot", device(s.device(), i18n), s.slot());
        }
        if (x instanceof Expectation.SlotStates s) {
            return i18n.get("scenario.expect.slotStates", device(s.device(), i18n), new TreeMap<>(s.states()).toString());
        }
        if (x instanceof Expectation.Lcd l) {
            return i18n.get("scenario.expect.lcd", device(l.device(), i18n), l.text());
        }
        if (x instanceof Expectation.Led l) {
            return i18n.get("scenario.expect.led", device(l.device(), i18n), l.mode());
        }
        if (x instanceof Expectation.Verdict v) {
            return i18n.get("scenario.expect.verdict", device(v.device(), i18n), v.code());
        }
        if (x instanceof Expectation.AttackResisted a) {
            return i18n.get("scenario.expect.attackResisted", StepRowText.attack(a.attack(), i18n));
        }
        if (x instanceof Expectation.ImageBytesServed b) {
            return i18n.get("scenario.expect.imageBytes", b.count().toString());
        }
        if (x instanceof Expectation.HttpRequests h) {
            return i18n.get("scenario.expect.httpRequests", h.kind().wireName(), h.count().toString());
        }
        if (x instanceof Expectation.ResumedAboveZero) {
            return i18n.get("scenario.expect.resumed");
        }
        if (x instanceof Expectation.NoDeviceBricked) {
            return i18n.get("scenario.expect.noBrick");
        }
        if (x instanceof Expectation.Events e) {
            // The event type and its fields are codes of the journal's catalogue (docs/journal.md), shown as such.
            String fields = e.fields().isEmpty() ? "" : " " + new TreeMap<>(e.fields());
            return e.device() == null ? i18n.get("scenario.expect.events", e.event() + fields, e.count().toString())
                    : i18n.get("scenario.expect.events.device", e.event() + fields, device(e.device(), i18n), e.count().toString());
        }
        return r.description();
    }

    /** What was wanted: a value as written in the script, or, for the kinds that want a state, that state in words. */
    static String expected(ExpectationResult r, I18n i18n) {
        Expectation x = r.expectation();
        if (x instanceof Expectation.AttackResisted) {
            return i18n.get("scenario.expect.attackResisted.expected");
        }
        if (x instanceof Expectation.ResumedAboveZero) {
            return i18n.get("scenario.expect.resumed.expected");
        }
        if (x instanceof Expectation.NoDeviceBricked) {
            return i18n.get("scenario.expect.noBrick.expected");
        }
        return r.expected();
    }

    private static String device(String id, I18n i18n) {
        return "all".equals(id) ? i18n.get("scenario.expect.allDevices") : id;
    }
}
