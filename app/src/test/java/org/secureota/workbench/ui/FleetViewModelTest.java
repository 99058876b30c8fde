package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.device.DeviceSnapshot;

/** The fleet table's model without a screen: rows follow the devices' view models, compact above three. */
@Tag("unit")
class FleetViewModelTest {

    private final I18n i18n = new I18n(Locale.ENGLISH);

    private Map<String, DeviceViewModel> devices(FleetViewModel fleet, int n) {
        Map<String, DeviceViewModel> models = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            String id = String.format(Locale.ROOT, "esp32-lab-%02d", i);
            DeviceViewModel vm = new DeviceViewModel(i18n);
            vm.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS));
            vm.setPower("on");
            fleet.track(id, vm);
            models.put(id, vm);
        }
        return models;
    }

    @Test
    void upToThreeDevicesEveryPanelShowsAndTheTableDoesNot() {
        FleetViewModel fleet = new FleetViewModel(i18n, Runnable::run);
        devices(fleet, 3);
        assertThat(fleet.compactProperty().getValue()).isFalse();
        assertThat(fleet.rows()).hasSize(3);
        assertThat(List.of("esp32-lab-01", "esp32-lab-02", "esp32-lab-03")).allMatch(fleet::panelShown);
        assertThat(fleet.selectedProperty().get()).isNull();
    }

    @Test
    void aFourthDeviceMakesItCompactWithOnePanelTheSelectedOne() {
        FleetViewModel fleet = new FleetViewModel(i18n, Runnable::run);
        // The title as a bound label reads it: on each change, not only at the end.
        List<String> titles = new ArrayList<>();
        fleet.titleProperty().addListener((o, a, b) -> titles.add(b));
        devices(fleet, 6);
        assertThat(titles).endsWith("Fleet: 5 devices", "Fleet: 6 devices");
        assertThat(fleet.compactProperty().getValue()).isTrue();
        assertThat(fleet.titleProperty().get()).isEqualTo("Fleet: 6 devices");
        assertThat(fleet.selectedProperty().get()).as("the first device is selected at once").isEqualTo("esp32-lab-01");
        assertThat(fleet.panelShown("esp32-lab-01")).isTrue();
        assertThat(fleet.panelShown("esp32-lab-04")).isFalse();
        fleet.select("esp32-lab-04");
        assertThat(fleet.panelShown("esp32-lab-04")).isTrue();
        assertThat(fleet.panelShown("esp32-lab-01")).isFalse();
        fleet.select("no-such-device");
        assertThat(fleet.selectedProperty().get()).isEqualTo("esp32-lab-04");

        // The selected device leaves: the first one left shows; back to three, every panel shows again.
        fleet.untrack("esp32-lab-04");
        assertThat(fleet.selectedProperty().get()).isEqualTo("esp32-lab-01");
        fleet.untrack("esp32-lab-05");
        fleet.untrack("esp32-lab-06");
        assertThat(fleet.compactProperty().getValue()).isFalse();
        assertThat(fleet.panelShown("esp32-lab-02")).isTrue();
        i18n.setLocale(Locale.FRENCH);
        assertThat(fleet.titleProperty().get()).isEqualTo("Flotte : 3 appareils");
    }

    @Test
    void aRowSaysWhatItsDevicePanelSays() {
        FleetViewModel fleet = new FleetViewModel(i18n, Runnable::run);
        Map<String, DeviceViewModel> models = devices(fleet, 5);
        FleetRow row = fleet.row("esp32-lab-03").orElseThrow();
        assertThat(row.versionProperty().get()).isEqualTo("1.0.0");
        assertThat(models.get("esp32-lab-03").runningProperty().get()).isEqualTo("app0 (ota_0) VALID");
        assertThat(row.stateProperty().get()).as("without the slot's name").isEqualTo("app0 VALID");
        assertThat(row.verdictProperty().get()).isEqualTo("—");
        assertThat(row.outcomeProperty().get()).isEqualTo("NO ATTEMPT");
        assertThat(row.powerProperty().get()).isEqualTo("on");

        DeviceViewModel vm = models.get("esp32-lab-03");
        vm.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.DOWNLOAD_HALF));
        assertThat(row.progressProperty().get()).isEqualTo("download 50 %");
        vm.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.DOWNLOAD_HALF, Telemetry.VERDICT_HASH));
        vm.setPower("cut");
        assertThat(row.verdictProperty().get()).isEqualTo("HASH_MISMATCH");
        assertThat(row.outcomeProperty().get()).isEqualTo(vm.outcome().headlineProperty().get()).isEqualTo("NOT UPDATED");
        assertThat(row.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
        assertThat(row.progressProperty().get()).isEqualTo("—");
        assertThat(row.powerProperty().get()).isEqualTo("cut");
        assertThat(fleet.row("esp32-lab-02").orElseThrow().verdictProperty().get()).as("other rows untouched").isEqualTo("—");

        // The language follows: the outcome word is the banner's, in French.
        i18n.setLocale(Locale.FRENCH);
        assertThat(row.outcomeProperty().get()).isEqualTo("NON MIS À JOUR");
    }

    @Test
    void rowsAreInTheOrderOfTheDevicesIdsWhicheverCameFirst() {
        FleetViewModel fleet = new FleetViewModel(i18n, Runnable::run);
        for (String id : List.of("seat-17", "seat-02", "seat-30", "seat-01")) {
            fleet.track(id, new DeviceViewModel(i18n));
        }
        assertThat(fleet.rows()).extracting(FleetRow::deviceId).containsExactly("seat-01", "seat-02", "seat-17", "seat-30");
        assertThat(fleet.selectedProperty().get()).as("the top row once the table shows, until the presenter picks another")
                .isEqualTo("seat-01");
    }

    @Test
    void oneSnapshotIsOneCopyOfTheRowOnTheFxExecutor() {
        List<Runnable> queued = new ArrayList<>();
        FleetViewModel fleet = new FleetViewModel(i18n, queued::add);
        Map<String, DeviceViewModel> models = devices(fleet, 4);
        queued.clear();
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.DOWNLOAD_HALF,
                Telemetry.VERDICT_HASH);
        models.get("esp32-lab-02").apply(s);
        models.get("esp32-lab-02").setPower("off");
        FleetRow row = fleet.row("esp32-lab-02").orElseThrow();
        assertThat(queued).as("version, state, verdict, outcome and power changed: one copy").hasSize(1);
        assertThat(row.verdictProperty().get()).as("not before the FX executor runs it").isEqualTo("—");
        queued.remove(0).run();
        assertThat(row.verdictProperty().get()).isEqualTo("HASH_MISMATCH");
        assertThat(row.powerProperty().get()).isEqualTo("off");

        // A device that left is not copied any more, and a late copy of it does nothing.
        models.get("esp32-lab-04").setPower("cut");
        fleet.untrack("esp32-lab-04");
        queued.forEach(Runnable::run);
        models.get("esp32-lab-04").setPower("on");
        assertThat(fleet.row("esp32-lab-04")).isEmpty();
        assertThat(fleet.rows()).hasSize(3);
    }
}
