package org.secureota.workbench.ui;

import java.util.Locale;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackTexts;
import org.secureota.workbench.scenario.StepAction;
import org.secureota.workbench.scenario.StepSnapshot;
import org.secureota.workbench.scenario.SweepCut;

/**
 * A script step's row in the window's language, rendered from the step's structure (action, device,
 * version, attack, cut): the scenario package describes a step in English for logs and reports only.
 * Attack titles, parameter names and keyword values come from the attacks' own bundles.
 */
final class StepRowText {

    private StepRowText() {
    }

    /** The action of {@code s} in words; a snapshot without its structure keeps the runner's words. */
    static String action(StepSnapshot s, I18n i18n) {
        return s.spec() == null ? s.action() : action(s.spec(), i18n);
    }

    /** The running count of a long step (the sweep's last cut), or empty. */
    static String progress(StepSnapshot s, I18n i18n) {
        SweepCut cut = s.cut();
        if (cut != null && cut.completed()) {
            return i18n.get("scenario.step.cut.done", String.valueOf(cut.cut()));
        }
        if (cut != null) {
            return i18n.get("scenario.step.cut", String.valueOf(cut.cut()), String.valueOf(cut.operation()), cut.booted());
        }
        return s.progress() == null ? "" : s.progress();
    }

    static String action(StepAction action, I18n i18n) {
        // Numbers go in as text: an operation number is a count, not a quantity to group ("1 234").
        if (action instanceof StepAction.Deploy d) {
            return d.device() != null
                    ? i18n.get("scenario.step.deploy.device", "V" + d.version(), d.device())
                    : i18n.get("scenario.step.deploy.product", "V" + d.version(), d.product());
        }
        if (action instanceof StepAction.Arm a) {
            return a.params().isEmpty()
                    ? i18n.get("scenario.step.arm", attack(a.attack(), i18n))
                    : i18n.get("scenario.step.arm.params", attack(a.attack(), i18n), params(a, i18n.getLocale()));
        }
        if (action instanceof StepAction.Disarm d) {
            return i18n.get("scenario.step.disarm", attack(d.attack(), i18n));
        }
        if (action instanceof StepAction.Check c) {
            return "all".equals(c.device()) ? i18n.get("scenario.step.check.all") : i18n.get("scenario.step.check", c.device());
        }
        if (action instanceof StepAction.PowerOn p) {
            return i18n.get("scenario.step.powerOn", p.device());
        }
        if (action instanceof StepAction.Reset r) {
            return i18n.get("scenario.step.reset", r.device());
        }
        if (action instanceof StepAction.PowerCut p) {
            return i18n.get("scenario.step.powerCut", p.device());
        }
        if (action instanceof StepAction.ArmCut a) {
            return i18n.get("scenario.step.armCut", a.device(), String.valueOf(a.operation()),
                    i18n.get("scenario.cutPoint." + a.point().wireName()));
        }
        if (action instanceof StepAction.DisarmCut d) {
            return i18n.get("scenario.step.disarmCut", d.device());
        }
        if (action instanceof StepAction.WaitFor w) {
            // The event type is a code of the journal's catalogue (docs/journal.md), shown as such.
            return (w.device() == null ? i18n.get("scenario.step.wait", w.event())
                    : i18n.get("scenario.step.wait.device", w.event(), w.device()))
                    + (w.fields().isEmpty() ? "" : " " + new TreeMap<>(w.fields()));
        }
        if (action instanceof StepAction.Pause) {
            return i18n.get("scenario.step.pause");
        }
        if (action instanceof StepAction.PowerCutSweep s) {
            return i18n.get(s.every() == 1 ? "scenario.step.sweep.one" : "scenario.step.sweep", s.device(), "V" + s.version(),
                    i18n.get("scenario.cutPoint." + s.point().wireName()), String.valueOf(s.every()));
        }
        return i18n.get("scenario.step.expect");
    }

    /** The attack's title in the window's language; an id the catalogue does not know stays as written. */
    static String attack(String id, I18n i18n) {
        return AttackCatalog.find(id).map(a -> a.title(i18n.getLocale())).orElse(id);
    }

    /** {@code name=value} pairs, each name and keyword value in the attacks' bundle of {@code locale}. */
    private static String params(StepAction.Arm a, Locale locale) {
        ResourceBundle b = AttackTexts.bundle(locale);
        return new TreeMap<>(a.params()).entrySet().stream()
                .map(e -> label(b, a.attack(), e.getKey()) + " = " + value(b, e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String label(ResourceBundle b, String attack, String name) {
        String own = attack + ".name." + name;
        return b.containsKey(own) ? b.getString(own) : b.containsKey("name." + name) ? b.getString("name." + name) : name;
    }

    private static String value(ResourceBundle b, String wire) {
        return b.containsKey("value." + wire) ? b.getString("value." + wire) : wire;
    }
}
