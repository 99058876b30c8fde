package org.secureota.workbench.ui;

import java.util.Locale;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.LcdScreen;
import org.secureota.workbench.device.LedPattern;
import org.secureota.workbench.device.TelemetryLine;
import org.secureota.workbench.session.BoardPower;
import org.secureota.workbench.ui.widget.FlashMap;

/**
 * What a device panel shows, computed from the device's snapshots; the panel only binds to it.
 * Properties, not nodes: tests drive it with snapshots and read it without a screen. Call
 * {@link #apply} on the FX thread (the session's listener hands snapshots over once per pulse).
 */
public final class DeviceViewModel {

    private final I18n i18n;
    private final StringProperty deviceId = new SimpleStringProperty(this, "deviceId", "");
    private final StringProperty connection = new SimpleStringProperty(this, "connection", "");
    private final StringProperty version = new SimpleStringProperty(this, "version", "");
    private final StringProperty running = new SimpleStringProperty(this, "running", "");
    private final StringProperty power = new SimpleStringProperty(this, "power", "");
    private final ObjectProperty<LcdScreen> lcd = new SimpleObjectProperty<>(this, "lcd", LcdScreen.BLANK);
    private final ObjectProperty<LedPattern> led = new SimpleObjectProperty<>(this, "led", LedPattern.OFF);
    private final ObjectProperty<FlashMap> flashMap = new SimpleObjectProperty<>(this, "flashMap", FlashMap.EMPTY);
    private final StringProperty verdictCode = new SimpleStringProperty(this, "verdictCode", "");
    private final StringProperty verdictDetail = new SimpleStringProperty(this, "verdictDetail", "");
    private final BooleanProperty verdictAlarm = new SimpleBooleanProperty(this, "verdictAlarm");
    private final StringProperty progress = new SimpleStringProperty(this, "progress", "");
    private final StringBinding verdictExplanation;
    /** How the last image travelled: a message key of the bundle (empty: nothing offered yet) and its argument. */
    private final StringProperty imageKey = new SimpleStringProperty(this, "imageKey", "");
    private final StringProperty imageArgument = new SimpleStringProperty(this, "imageArgument", "");
    private final StringBinding image;
    private final ObjectProperty<DeviceSnapshot> snapshot = new SimpleObjectProperty<>(this, "snapshot");
    /** The defence profile of the board's factory firmware (secure unless a weakened lab build was flashed). */
    private final ObjectProperty<FirmwareVariant> variant =
            new SimpleObjectProperty<>(this, "variant", FirmwareVariant.SECURE);
    private final StringBinding variantBadge;
    /** The progress event the last verdict closed: its attempt is over, nothing downloads any more. */
    private TelemetryLine.OtaProgress closedProgress;
    /** Whether the last snapshot shows an attempt under way (progress since its last verdict). */
    private boolean attempting;
    private TelemetryLine.OtaVerdict seenVerdict;
    private final OutcomeViewModel outcome;
    /** The attacker's last judgement of this device (null: none), displayed by the outcome banner. */
    private Judgement judgement;
    /** The board's power as the session last said (null: unknown, as in a replay). */
    private BoardPower boardPower;

    private final javafx.beans.value.ChangeListener<Locale> relabel = (o, a, b) -> {
        if (snapshot.get() != null) {
            connection.set(i18n().get("connection." + snapshot.get().connection().name().toLowerCase(Locale.ROOT)));
            running.set(runningText(snapshot.get()));
        }
    };

    private I18n i18n() {
        return i18n;
    }

    public DeviceViewModel(I18n i18n) {
        this.i18n = i18n;
        // Weakly: a device panel that is gone (a new session) must not stay reachable from the window's I18n.
        i18n.localeProperty().addListener(new javafx.beans.value.WeakChangeListener<>(relabel));
        outcome = new OutcomeViewModel(i18n);
        verdictExplanation = i18n.bind(() -> explain(verdictCode.get(), verdictDetail.get()), verdictCode, verdictDetail);
        image = i18n.bind(() -> imageKey.get().isEmpty() ? "—" : i18n.get(imageKey.get(), imageArgument.get()),
                imageKey, imageArgument);
        variantBadge = i18n.bind(() -> badge(variant.get()), variant);
    }

    /** The loud badge of a weakened variant, naming what it lacks; empty for the secure firmware. */
    private String badge(FirmwareVariant v) {
        if (v == null || !v.weakened()) {
            return "";
        }
        boolean french = "fr".equals(i18n.localeProperty().get().getLanguage());
        return i18n.get("device.variant.weakened", v.wireName().toUpperCase(Locale.ROOT),
                french ? v.missingFr() : v.missingEn());
    }

    /**
     * The board's firmware variant as the session reports it ({@code secure}, {@code naive}, ...; null or
     * unknown: the board is not one the lab flashed, shown as secure). FX thread.
     */
    public void setVariant(String wireName) {
        factoryVariant = wireName;
        flashedVariant.set(parseVariant(wireName));
        showVariant();
    }

    /** The variant the board was flashed with (secure when unknown): the panel's place beside the others follows it. */
    private final ObjectProperty<FirmwareVariant> flashedVariant =
            new SimpleObjectProperty<>(this, "flashedVariant", FirmwareVariant.SECURE);

    /** The board's factory variant: a weakened board keeps its place side by side whatever it installs. */
    public ObjectProperty<FirmwareVariant> flashedVariantProperty() {
        return flashedVariant;
    }

    /** A weakened board, by what it was flashed with or by what it runs: it stands beside the secure ones. */
    public boolean weakenedBoard() {
        return flashedVariant.get().weakened() || variant.get().weakened();
    }

    private static FirmwareVariant parseVariant(String wireName) {
        if (wireName == null) {
            return FirmwareVariant.SECURE;
        }
        try {
            return FirmwareVariant.fromWireName(wireName);
        } catch (IllegalArgumentException unknown) {
            return FirmwareVariant.SECURE;
        }
    }

    /** The variant the board was flashed with, as the session reports it (null: unknown). */
    private String factoryVariant;

    /**
     * The badge follows the firmware the device RUNS: the defence profile its last boot reported, or, from a
     * firmware that does not report one (or before its first boot), the variant it was flashed with. A weakened
     * board that installed the secure build is no longer weakened, and the other way round.
     */
    private void showVariant() {
        DeviceSnapshot s = snapshot.get();
        variant.set(parseVariant(s != null && s.profile() != null ? s.profile() : factoryVariant));
    }

    public ObjectProperty<FirmwareVariant> variantProperty() {
        return variant;
    }

    /** "WEAKENED FIRMWARE: NAIVE, lacks every check" in the current language; empty when secure. */
    public StringBinding variantBadgeProperty() {
        return variantBadge;
    }

    /**
     * The server offered this device a release ({@code server.manifest}, outcome offered): its image travels
     * encrypted with {@code scheme}, or in plaintext. FX thread.
     */
    public void imageOffered(boolean encrypted, String scheme) {
        imageArgument.set(scheme == null ? "" : scheme);
        imageKey.set(encrypted ? "device.image.offeredEncrypted" : "device.image.offeredPlaintext");
    }

    /**
     * The device's {@code image.transport} event (docs/telemetry.md, {@code image_transport}): how the image it
     * downloaded travelled, and whether it decrypted the whole encrypted file. FX thread.
     */
    public void imageTravelled(boolean encrypted, String scheme, String keyId, boolean decrypted) {
        imageArgument.set(encrypted ? scheme + ", key " + keyId : "");
        imageKey.set(!encrypted ? "device.image.travelledPlaintext"
                : decrypted ? "device.image.decrypted" : "device.image.notDecrypted");
    }

    /** The explanation of a verdict in the current language, the device's own detail after it. */
    String explain(String code, String detail) {
        if (code == null || code.isEmpty()) {
            return i18n.get("device.verdict.none");
        }
        String key = "verdict." + code;
        String text = i18n.has(key) ? i18n.get(key) : i18n.get("device.verdict.unknown", code);
        return detail == null || detail.isBlank() ? text : text + "\n" + i18n.get("device.verdict.detail", detail);
    }

    /** The running slot and its otadata state, the state in the current language (as the flash map names it). */
    private String runningText(DeviceSnapshot s) {
        if (s.runningLabel() == null) {
            return "—";
        }
        String state = s.runningState() == null ? "" : String.valueOf(s.runningState()).toUpperCase(Locale.ROOT);
        String key = "flash.word." + state.toLowerCase(Locale.ROOT);
        return s.runningLabel() + " (" + s.runningSlot() + ") " + (i18n.has(key) ? i18n.get(key) : state);
    }

    /** Shows {@code s} with its board's power unknown (a replay); FX thread. */
    public void apply(DeviceSnapshot s) {
        apply(s, null);
    }

    /**
     * Shows {@code s} and its board's {@code power} (null: unknown); FX thread. A board without power
     * shows a blank LCD and a dark LED, whatever the device wrote before it lost power.
     */
    public void apply(DeviceSnapshot s, BoardPower power) {
        boardPower = power;
        snapshot.set(s);
        if (s.lastVerdict() != seenVerdict) {
            seenVerdict = s.lastVerdict();
            // A replay scrubbed back before any verdict has no closed attempt.
            closedProgress = s.lastVerdict() == null ? null : s.lastProgress();
        }
        // Identity on purpose: every telemetry line is a new object, and a new attempt sends new ones.
        boolean downloading = s.lastProgress() != null && s.lastProgress() != closedProgress;
        deviceId.set(s.journalId());
        connection.set(i18n.get("connection." + s.connection().name().toLowerCase(Locale.ROOT)));
        version.set(s.version() == null ? "—" : s.version());
        running.set(runningText(s));
        boolean unpowered = power == BoardPower.OFF || power == BoardPower.CUT;
        lcd.set(unpowered ? LcdScreen.BLANK : s.lcd());
        led.set(unpowered ? LedPattern.OFF : s.led());
        flashMap.set(FlashMap.of(s, downloading));
        showVariant();
        TelemetryLine.OtaVerdict v = s.lastVerdict();
        verdictCode.set(v == null ? "" : v.code());
        verdictDetail.set(v == null || v.detail() == null ? "" : v.detail());
        attempting = downloading;
        outcome.apply(s, judgement, downloading);
        verdictAlarm.set(outcome.kindProperty().get() == OutcomeViewModel.Kind.NOT_RESISTED);
        TelemetryLine.OtaProgress p = s.lastProgress();
        progress.set(p == null || !downloading ? "—" : p.total() > 0
                ? String.format(Locale.ROOT, "%s %d %%", p.phase(), p.bytes() * 100 / p.total()) : p.phase());
    }

    public void setPower(String text) {
        power.set(text);
    }

    /**
     * The attacker's last judgement of this device, as published (null: none, or its attack disarmed).
     * The banner shows it while it still speaks about what the device shows. FX thread.
     */
    public void setJudgement(Judgement j) {
        judgement = j;
        outcome.apply(snapshot.get(), j, attempting);
        verdictAlarm.set(outcome.kindProperty().get() == OutcomeViewModel.Kind.NOT_RESISTED);
    }

    /** The outcome banner: one word, one sentence, the verdict code. */
    public OutcomeViewModel outcome() {
        return outcome;
    }

    /** The board's power as last applied, null when unknown. */
    public BoardPower boardPower() {
        return boardPower;
    }

    public ObjectProperty<DeviceSnapshot> snapshotProperty() {
        return snapshot;
    }

    public StringProperty deviceIdProperty() {
        return deviceId;
    }

    public StringProperty connectionProperty() {
        return connection;
    }

    public StringProperty versionProperty() {
        return version;
    }

    public StringProperty runningProperty() {
        return running;
    }

    public StringProperty powerProperty() {
        return power;
    }

    public ObjectProperty<LcdScreen> lcdProperty() {
        return lcd;
    }

    public ObjectProperty<LedPattern> ledProperty() {
        return led;
    }

    public ObjectProperty<FlashMap> flashMapProperty() {
        return flashMap;
    }

    public StringProperty verdictCodeProperty() {
        return verdictCode;
    }

    public BooleanProperty verdictAlarmProperty() {
        return verdictAlarm;
    }

    public StringBinding verdictExplanationProperty() {
        return verdictExplanation;
    }

    /** How the last image offered to the device travels (encrypted or plaintext), in the current language. */
    public StringBinding imageProperty() {
        return image;
    }

    public StringProperty progressProperty() {
        return progress;
    }
}
