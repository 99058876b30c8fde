package org.secureota.workbench.ui;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.foundation.DeviceId;
import org.secureota.workbench.session.LabSessionException;

/**
 * Lab > Add a virtual device: its id and the firmware it is made with, the secure build or a weakened
 * lab build missing defences, so that a naive device can stand next to the secure one and meet the same
 * attack. Adding hands the id and variant to {@code adder} (the live session makes the device
 * factory-fresh); its result reaches the properties through {@code fx}.
 */
final class AddDeviceViewModel {

    private final I18n i18n;
    private final Supplier<List<String>> existingIds;
    private final BiFunction<String, FirmwareVariant, CompletableFuture<?>> adder;
    private final Executor fx;

    private final ObservableList<FirmwareVariant> variants = FXCollections.observableArrayList(FirmwareVariant.values());
    private final StringProperty deviceId = new SimpleStringProperty("");
    private final ObjectProperty<FirmwareVariant> variant = new SimpleObjectProperty<>(FirmwareVariant.SECURE);
    private final StringBinding variantNote;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");

    AddDeviceViewModel(I18n i18n, Supplier<List<String>> existingIds,
                       BiFunction<String, FirmwareVariant, CompletableFuture<?>> adder, Executor fx) {
        this.i18n = i18n;
        this.existingIds = existingIds;
        this.adder = adder;
        this.fx = fx;
        deviceId.set(proposedId());
        variantNote = i18n.bind(() -> note(variant.get()), variant);
    }

    /** The first free id of the lab's pattern: esp32-lab-02 next to esp32-lab-01. */
    String proposedId() {
        List<String> taken = existingIds.get();
        for (int n = 1; ; n++) {
            String id = String.format(Locale.ROOT, "esp32-lab-%02d", n);
            if (!taken.contains(id)) {
                return id;
            }
        }
    }

    /** How the chooser names a variant in the reader's language: "naive: WEAKENED, lacks every check". */
    String describe(FirmwareVariant v) {
        if (v == null) {
            return "";
        }
        return v.weakened() ? i18n.get("addDevice.variant.weakened", v.wireName(), missing(v))
                : i18n.get("addDevice.variant.secure");
    }

    private String missing(FirmwareVariant v) {
        return "fr".equals(i18n.localeProperty().get().getLanguage()) ? v.missingFr() : v.missingEn();
    }

    private String note(FirmwareVariant v) {
        return v == null || !v.weakened() ? i18n.get("addDevice.note.secure") : i18n.get("addDevice.note.weakened");
    }

    /**
     * Makes the device; completes once it is up, or exceptionally after {@link #errorProperty()} says why
     * in the reader's language (nothing is made then).
     */
    CompletableFuture<Object> add() {
        String id = deviceId.get() == null ? "" : deviceId.get().strip();
        if (id.isEmpty()) {
            return failed(i18n.get("addDevice.error.noId"));
        }
        if (DeviceId.problem(id) != null) {
            return failed(i18n.get("addDevice.error.badId", id));
        }
        if (existingIds.get().contains(id)) {
            return failed(i18n.get("addDevice.error.taken", id));
        }
        FirmwareVariant chosen = variant.get() == null ? FirmwareVariant.SECURE : variant.get();
        error.set("");
        outcome.set("");
        busy.set(true);
        CompletableFuture<?> made;
        try {
            made = adder.apply(id, chosen);
        } catch (RuntimeException e) {
            made = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        made.whenCompleteAsync((r, e) -> {
            busy.set(false);
            if (e == null) {
                outcome.set(chosen.weakened() ? i18n.get("addDevice.done.weakened", id, chosen.wireName(), missing(chosen))
                        : i18n.get("addDevice.done.secure", id));
                deviceId.set(proposedId());
                done.complete(r);
            } else {
                error.set(i18n.get("addDevice.error.failed", id, unwrap(e).getMessage()));
                done.completeExceptionally(unwrap(e));
            }
        }, fx);
        return done;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private CompletableFuture<Object> failed(String why) {
        error.set(why);
        return CompletableFuture.failedFuture(new LabSessionException(why));
    }

    ObservableList<FirmwareVariant> variants() {
        return variants;
    }

    StringProperty deviceIdProperty() {
        return deviceId;
    }

    ObjectProperty<FirmwareVariant> variantProperty() {
        return variant;
    }

    /** What choosing this variant means: a weakened build is for the lab only, to be shown next to a secure one. */
    StringBinding variantNoteProperty() {
        return variantNote;
    }

    ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    ReadOnlyStringProperty outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }
}
