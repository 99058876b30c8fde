package org.secureota.workbench.ui;

import java.util.Locale;
import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.SlotReport;
import org.secureota.workbench.device.TelemetryLine;
import org.secureota.workbench.firmware.OtaState;

/**
 * The outcome banner of a device panel: one word readable from the back of a room (RESISTED, NOT
 * RESISTED, NO ATTEMPT, UPDATED ...), one plain sentence saying which check stopped what, and the
 * verdict code, smaller. A pure function of the device's last snapshot and of the attacker's last
 * {@link Judgement} for it (null when none): the banner never keeps what the device no longer says.
 * The judgement is displayed, never recomputed here. FX thread.
 */
public final class OutcomeViewModel {

    /** What the banner says, and the colour it says it in. */
    public enum Kind {
        /** No attempt yet, or an armed attack with no attempt since. Grey. */
        NO_ATTEMPT("neutral"),
        /** An attempt under way (checking, downloading, verifying): its outcome is not known yet. Grey. */
        IN_PROGRESS("neutral"),
        /** A new version written, running on probation or confirmed. Green. */
        UPDATED("good"),
        /** Nothing newer on the server. Grey. */
        UP_TO_DATE("neutral"),
        /** The new version failed its self-test and the device went back: a defence that held. Amber. */
        ROLLED_BACK("held"),
        /** The device refused or failed an update with no attack judged: it still runs what it ran. Amber. */
        NOT_UPDATED("held"),
        /** A power cut (or a reset) cut the last attempt short before its verdict; the device restarted. Amber. */
        INTERRUPTED("held"),
        /** An armed attack, and the device refused it as a secure device must. Green. */
        RESISTED("good"),
        /** An armed attack got through. The only red. */
        NOT_RESISTED("bad");

        private final String tone;

        Kind(String tone) {
            this.tone = tone;
        }

        /** The style class suffix: {@code outcome-good}, {@code outcome-held}, {@code outcome-bad}, {@code outcome-neutral}. */
        public String styleClass() {
            return "outcome-" + tone;
        }

        String key() {
            return "outcome." + name().toLowerCase(Locale.ROOT).replace("_", "");
        }
    }

    private final I18n i18n;
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(this, "kind", Kind.NO_ATTEMPT);
    private final StringProperty headline = new SimpleStringProperty(this, "headline", "");
    private final StringProperty sentence = new SimpleStringProperty(this, "sentence", "");
    private final StringProperty code = new SimpleStringProperty(this, "code", "");
    private DeviceSnapshot device;
    private Judgement judgement;
    private boolean attempting;

    /** Held here, listened to weakly: the window's I18n outlives every device panel (each script's session has new ones). */
    private final javafx.beans.value.ChangeListener<Locale> relabel = (o, a, b) -> show();

    public OutcomeViewModel(I18n i18n) {
        this.i18n = i18n;
        // Weakly: a strong listener kept every past session's panel, and through its actions the whole session, alive.
        i18n.localeProperty().addListener(new javafx.beans.value.WeakChangeListener<>(relabel));
        show();
    }

    /** Shows the outcome for {@code device} (null: not seen yet) and the attacker's judgement of it (null: none). */
    public void apply(DeviceSnapshot device, Judgement judgement) {
        apply(device, judgement, false);
    }

    /**
     * As {@link #apply(DeviceSnapshot, Judgement)}, {@code attempting} saying whether the device has an attempt
     * under way (progress since its last verdict): until that attempt's verdict the banner says so, rather than
     * what the previous attempt (or none) left.
     */
    public void apply(DeviceSnapshot device, Judgement judgement, boolean attempting) {
        this.device = device;
        this.judgement = judgement;
        this.attempting = attempting;
        show();
    }

    private void show() {
        if (device != null && attempting) {
            code.set("");
            set(Kind.IN_PROGRESS, i18n.get("outcome.sentence.inProgress"));
            return;
        }
        Judgement j = relevant(device, judgement);
        TelemetryLine.OtaVerdict v = device == null ? null : device.lastVerdict();
        code.set(v == null ? "" : v.code());
        if (j != null) {
            showJudgement(j, v);
            return;
        }
        if (device != null && device.interrupted() != null) {
            showInterrupted(device.interrupted());
            return;
        }
        if (v == null) {
            set(Kind.NO_ATTEMPT, i18n.get("outcome.sentence.none"));
            return;
        }
        String version = device.version() == null ? "?" : device.version();
        switch (v.code()) {
            case "UPDATED" -> showUpdated(v, version);
            case "NO_UPDATE" -> set(Kind.UP_TO_DATE, i18n.get("outcome.sentence.upToDate", version));
            default -> set(Kind.NOT_UPDATED, i18n.get("outcome.sentence.notUpdated", firstSentence(explain(v.code())), version));
        }
    }

    private void showUpdated(TelemetryLine.OtaVerdict v, String running) {
        String offered = v.version();
        if (offered == null || offered.equals(device.version())) {
            boolean probation = device.runningState() == OtaState.PENDING_VERIFY;
            set(Kind.UPDATED, i18n.get(probation ? "outcome.sentence.probation" : "outcome.sentence.updated", running));
        } else if (rolledBack(device, offered)) {
            set(Kind.ROLLED_BACK, i18n.get("outcome.sentence.rolledBack", offered, running));
        } else {
            set(Kind.UPDATED, i18n.get("outcome.sentence.bootsNext", offered));
        }
    }

    /** The attempt had no verdict: the boot after it says why (power on after a cut, or another restart). */
    private void showInterrupted(TelemetryLine.OtaProgress at) {
        code.set("");
        String version = device.version() == null ? "?" : device.version();
        String reason = device.resetReason();
        boolean power = reason == null || "poweron".equals(reason) || "brownout".equals(reason);
        // Cut before the download began (connecting, the manifest): there are no bytes to count.
        String where = at.total() > 0 ? i18n.get("outcome.interrupted.at", at.bytes(), at.total())
                : i18n.get("outcome.interrupted.before");
        set(Kind.INTERRUPTED, power
                ? i18n.get("outcome.sentence.interrupted.power", where, version)
                : i18n.get("outcome.sentence.interrupted.restart", where, version, reason));
    }

    private void showJudgement(Judgement j, TelemetryLine.OtaVerdict v) {
        Attack attack = AttackCatalog.find(j.attackId()).orElse(null);
        String title = attack == null ? j.attackId() : attack.title(i18n.getLocale());
        String version = j.versionAfter() != null ? j.versionAfter() : device.version() == null ? "?" : device.version();
        if (j.verdict() != null) {
            code.set(j.verdict());
        }
        switch (j.result()) {
            case RESISTED -> {
                String check = attack == null ? "?" : check(attack.expected(attack.defaults()).stoppedBy().wireName());
                set(Kind.RESISTED, j.verdict() == null
                        ? i18n.get("outcome.sentence.resistedNoVerdict", title, JudgementEvidence.why(i18n, j))
                        : i18n.get("outcome.sentence.resisted", title, check, version));
            }
            case NOT_RESISTED -> set(Kind.NOT_RESISTED, runsForgedImage(j)
                    ? i18n.get("outcome.sentence.runsForged", title, device.version())
                    : i18n.get("outcome.sentence.notResisted", title, JudgementEvidence.why(i18n, j)));
            case NO_ATTEMPT -> set(Kind.NO_ATTEMPT, notPutToTheTest(j, title, v));
        }
    }

    /**
     * An armed attack the attempt never met. With a verdict, the device did try: it ended before the attack
     * could act (already up to date, the offered version is the one it rolled back from, refused earlier), and
     * the banner says so rather than inviting another check that would end the same way.
     */
    private String notPutToTheTest(Judgement j, String title, TelemetryLine.OtaVerdict v) {
        if (j.verdict() == null) {
            return i18n.get("outcome.sentence.noAttempt", title);
        }
        if ("en".equals(i18n.getLocale().getLanguage())) {
            return i18n.get("outcome.sentence.notPutToTheTest", title, j.reason());
        }
        String offered = v != null && v.version() != null ? v.version() : "?";
        String running = j.versionAfter() != null ? j.versionAfter() : device.version() == null ? "?" : device.version();
        String key = "outcome.notPutToTheTest." + j.verdict();
        String why = i18n.has(key) ? i18n.get(key, offered, running)
                : i18n.get("outcome.notPutToTheTest.other", j.verdict(), firstSentence(explain(j.verdict())));
        return i18n.get("outcome.sentence.notPutToTheTest", title, why);
    }

    /** The device installed the attacker's image and now runs it: the verdict's version is the running one. */
    private boolean runsForgedImage(Judgement j) {
        TelemetryLine.OtaVerdict v = device.lastVerdict();
        return ForgedImages.installs(j) && v != null && v.version() != null && v.version().equals(device.version());
    }

    /**
     * The judgement still speaks about what the device shows: same device, and the device still runs the
     * version it was judged on. A device that has moved on (another update since) is no longer its subject.
     */
    static Judgement relevant(DeviceSnapshot device, Judgement j) {
        if (j == null || device == null) {
            return null;
        }
        if (j.deviceId() != null && !j.deviceId().equals(device.journalId())) {
            return null;
        }
        if (ForgedImages.installs(j)) {
            // The device installed the attacker's image: the attacker panel keeps this judgement while the
            // device runs it (its version is the forged one, not the one the judge saw before the reboot).
            return j;
        }
        if (j.versionAfter() != null && device.version() != null && !j.versionAfter().equals(device.version())) {
            return null;
        }
        return j;
    }

    /**
     * The offered version was written, booted, and is no longer what runs: its slot is now INVALID or
     * ABORTED (the self-test failed, or the bootloader gave up on it), or the running slot's self-test failed.
     */
    static boolean rolledBack(DeviceSnapshot s, String offered) {
        if (s.version() == null || offered.equals(s.version())) {
            return false;
        }
        for (SlotReport slot : s.slots()) {
            if (slot.image() != null && offered.equals(slot.image().version())
                    && (slot.state() == OtaState.INVALID || slot.state() == OtaState.ABORTED)) {
                return true;
            }
        }
        return s.selfTest() != null && !s.selfTest().passed();
    }

    private void set(Kind k, String text) {
        kind.set(k);
        headline.set(i18n.get(k.key()));
        sentence.set(text);
    }

    private String explain(String verdictCode) {
        String key = "verdict." + verdictCode;
        return i18n.has(key) ? i18n.get(key) : i18n.get("device.verdict.unknown", verdictCode);
    }

    private String check(String wireName) {
        String key = "check." + wireName;
        return i18n.has(key) ? i18n.get(key) : wireName;
    }

    /** The first sentence of a verdict's explanation: a banner says one thing. */
    static String firstSentence(String text) {
        int stop = text.indexOf(". ");
        return (stop >= 0 ? text.substring(0, stop + 1) : text).trim();
    }

    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    public StringProperty headlineProperty() {
        return headline;
    }

    public StringProperty sentenceProperty() {
        return sentence;
    }

    /** The verdict code behind it, for those who want it ({@code HASH_MISMATCH}); empty before any attempt. */
    public StringProperty codeProperty() {
        return code;
    }

    @Override
    public String toString() {
        return Objects.toString(kind.get()) + ": " + sentence.get();
    }
}
