package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalJson;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.ui.widget.FlashMap;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

/**
 * The window on a recorded session (TestFX, under xvfb-run): the replay drives the device panel
 * through the same telemetry code as a live link, and the language switches the open window.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class ReplayWindowTest {

    @TempDir
    static Path dir;
    private static Path journal;
    private WorkbenchApp app;

    @BeforeAll
    static void recordSession() throws Exception {
        FxSupport.requireDisplay();
        List<String> lines = List.of(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.LED_BLINK, Telemetry.DOWNLOAD_HALF,
                Telemetry.LCD_ALERT, Telemetry.VERDICT_HASH);
        List<String> jsonl = new ArrayList<>();
        long seq = 0;
        for (String line : lines) {
            seq++;
            jsonl.add(JournalJson.toLine(new JournalEvent(seq, Instant.parse("2026-11-30T10:00:00Z").plusSeconds(seq),
                    seq * 1_000_000_000L, Source.DEVICE, "esp32-lab-01", EventType.SERIAL_RX.wireName(), line, Map.of("port", "/dev/pts/3"))));
        }
        seq++;
        jsonl.add(JournalJson.toLine(new JournalEvent(seq, Instant.parse("2026-11-30T10:00:00Z").plusSeconds(seq),
                seq * 1_000_000_000L, Source.SERVER, "esp32-lab-01", "http.request", "GET /api/v1/manifest 200",
                Map.of("method", "GET", "path", "/api/v1/manifest", "status", 200, "bytes_sent", 612))));
        journal = dir.resolve("journal.jsonl");
        Files.write(journal, jsonl);
    }

    @Start
    void start(Stage stage) {
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, journal, null));
    }

    @Test
    void theReplayShowsTheRecordedDeviceAndTheLanguageSwitchesTheOpenWindow() throws Exception {
        waitFor("the replayed device panel", 10_000, () -> app.controller().devicePanels().containsKey("esp32-lab-01"));
        DevicePanelController panel = onFx(() -> app.controller().devicePanels().get("esp32-lab-01"));
        assertThat(onFx(() -> panel.lcd.getScreen().row(0))).isEqualTo("ALERTE SÉCURITÉ ");
        assertThat(onFx(() -> panel.verdictCode.getText())).isEqualTo("HASH_MISMATCH");
        FlashMap map = onFx(() -> panel.flashMap.getMap());
        assertThat(map.regions()).anySatisfy(r -> {
            assertThat(r.label()).isEqualTo("app0");
            assertThat(r.running()).isTrue();
            assertThat(r.otaState()).contains("VALID");
        });
        assertThat(onFx(() -> app.controller().timeline().model().size())).isEqualTo(7);
        assertThat(onFx(() -> app.controller().server().requests.getItems().size())).isEqualTo(1);
        assertThat(onFx(() -> panel.checkButton.isDisabled())).as("a replayed device cannot be driven").isTrue();

        // Scrubbing back before the verdict shows the device as it was then.
        onFx(() -> {
            app.controller().timeline().cursorNanosProperty().set(2_500_000_000L);
            return null;
        });
        assertThat(onFx(() -> panel.verdictCode.getText())).isEmpty();
        assertThat(onFx(() -> panel.lcd.getScreen())).isNotNull();

        Button check = panel.checkButton;
        assertThat(onFx(check::getText)).isEqualTo("Check now");
        onFx(() -> {
            app.controller().frenchItem.fire();
            return null;
        });
        assertThat(onFx(check::getText)).isEqualTo("Vérifier");
        assertThat(onFx(() -> app.controller().menuBar.getMenus().get(0).getText())).isEqualTo("_Fichier");
        assertThat(onFx(() -> ((javafx.stage.Stage) app.controller().root.getScene().getWindow()).getTitle()))
                .isEqualTo("Atelier OTA sécurisé");
    }
}
