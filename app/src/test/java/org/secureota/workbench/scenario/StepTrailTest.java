package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;

/** A failed step's trail: everything in order, telemetry once, long runs and long trails shortened. */
@Tag("unit")
class StepTrailTest {

    private final List<JournalEvent> events = new ArrayList<>();

    private void add(Source source, String device, String type, String message) {
        events.add(new JournalEvent(events.size() + 1, Instant.EPOCH, events.size(), source, device, type, message, Map.of()));
    }

    @Test
    void theCommandWhatTheDeviceSaidAndThePowerAreListedInOrderEachTelemetryLineOnce() {
        add(Source.SCENARIO, null, "scenario.step_started", "step 4: check esp32-lab-01");
        add(Source.DEVICE, "esp32-lab-01", "serial.tx", "@ota1 {\"cmd\":\"check\"}");
        add(Source.DEVICE, "esp32-lab-01", "serial.rx", "@ota1 {\"ev\":\"ack\",\"cmd\":\"check\"}");
        add(Source.DEVICE, "esp32-lab-01", "device.ack", "ack check");
        add(Source.DEVICE, "esp32-lab-01", "serial.rx", "E (ota) the server's certificate has expired");
        add(Source.DEVICE, "esp32-lab-01", "board.power_off", "power off (reset)");

        String trail = StepTrail.describe(events);

        assertThat(trail.lines()).containsExactly(
                "  #1 scenario.step_started step 4: check esp32-lab-01",
                "  #2 serial.tx [esp32-lab-01] @ota1 {\"cmd\":\"check\"}",
                "  #4 device.ack [esp32-lab-01] ack check",
                "  #5 serial.rx [esp32-lab-01] E (ota) the server's certificate has expired",
                "  #6 board.power_off [esp32-lab-01] power off (reset)");
    }

    @Test
    void aLongRunOfOneKindShowsItsEndsAndALongTrailItsBeginningAndEnd() {
        add(Source.SCENARIO, null, "scenario.step_started", "step 2: check all");
        for (int i = 0; i < 50; i++) {
            add(Source.DEVICE, "esp32-lab-01", "ota.progress", "download " + (2 * i) + "%");
        }
        add(Source.DEVICE, "esp32-lab-01", "ota.verdict", "UPDATED");
        assertThat(StepTrail.describe(events).lines()).containsExactly(
                "  #1 scenario.step_started step 2: check all",
                "  #2 ota.progress [esp32-lab-01] download 0%",
                "  ... 48 more ota.progress ...",
                "  #51 ota.progress [esp32-lab-01] download 98%",
                "  #52 ota.verdict [esp32-lab-01] UPDATED");

        events.clear();
        for (int i = 0; i < 400; i++) {
            add(Source.DEVICE, "esp32-lab-0" + (i % 2), "device.lcd", "row " + i);
        }
        List<String> lines = StepTrail.describe(events).lines().toList();
        assertThat(lines).hasSize(StepTrail.MAX_LINES + 1);
        assertThat(lines.get(0)).isEqualTo("  #1 device.lcd [esp32-lab-00] row 0");
        assertThat(lines.get(StepTrail.HEAD_LINES)).isEqualTo("  ... 250 lines left out ...");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("  #400 device.lcd [esp32-lab-01] row 399");
    }
}
