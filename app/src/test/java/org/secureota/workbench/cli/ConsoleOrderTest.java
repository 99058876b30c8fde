package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * The lab console prints in the order things happened: a device's line (and the typed events it
 * carries) by when the link read it, even though the journal got it after the server events it
 * caused; the console's own answers after what happened before them; a straggler never before a
 * line already printed. The time is driven by the test.
 */
@Tag("unit")
class ConsoleOrderTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration WINDOW = Duration.ofMillis(500);

    private final List<String> printed = new ArrayList<>();
    private final ConsoleOrder order = new ConsoleOrder((e, at) -> printed.add(at.toEpochMilli() - T0.toEpochMilli()
            + " " + e.type() + " " + e.message()), line -> printed.add("say " + line), WINDOW);
    private long seq;

    private JournalEvent event(long journaledMs, EventType type, String device, String message, Map<String, Object> f) {
        return new JournalEvent(++seq, T0.plusMillis(journaledMs), journaledMs * 1_000_000, type.source(), device,
                type.wireName(), message, f);
    }

    private JournalEvent line(long journaledMs, long readMs, String text) {
        return event(journaledMs, EventType.SERIAL_RX, "d1", text, Map.of("port", "/dev/pts/1",
                "received_ms", T0.toEpochMilli() + readMs));
    }

    @Test
    void aDeviceLineJournaledLateIsPrintedWhenItWasReadWithItsTypedEvents() {
        order.offer(event(100, EventType.DEVICE_REPORT, "d1", "d1 reports installed 2.0.0", Map.of()));
        order.offer(line(400, 50, "@ota1 {\"ev\":\"ota\",\"phase\":\"download\"}"));
        order.offer(event(401, EventType.OTA_PROGRESS, "d1", "OTA download 585632/585632 bytes", Map.of()));
        order.offer(event(402, EventType.BOARD_RESTART, "d1", "app restarted the chip", Map.of()));

        order.release(T0.plusMillis(560));
        assertThat(printed).as("only what happened a window ago").containsExactly(
                "50 serial.rx @ota1 {\"ev\":\"ota\",\"phase\":\"download\"}",
                "50 ota.progress OTA download 585632/585632 bytes");
        order.release(T0.plusMillis(1000));
        assertThat(printed).containsExactly(
                "50 serial.rx @ota1 {\"ev\":\"ota\",\"phase\":\"download\"}",
                "50 ota.progress OTA download 585632/585632 bytes",
                "100 device.report d1 reports installed 2.0.0",
                // A board event comes from the virtual board's own channel, not a serial line: its own time.
                "402 board.restart app restarted the chip");
    }

    @Test
    void theConsolesAnswerComesAfterWhatHappenedBeforeItAndAStragglerIsNeverPrintedBeforeAnEarlierLine() {
        order.offer(line(300, 200, "V1 booted"));
        order.say("wait: d1 done", T0.plusMillis(250));
        order.release(T0.plusMillis(2000));
        assertThat(printed).containsExactly("200 serial.rx V1 booted", "say wait: d1 done");

        // Read at 100 ms but journaled only now: later than the window, printed at once and last.
        order.offer(line(2100, 100, "late line"));
        assertThat(printed).last().isEqualTo("100 serial.rx late line");
    }

    @Test
    void closingPrintsWhatIsHeldInOrder() {
        order.offer(event(30, EventType.SERVER_DEPLOYMENT, null, "shop-display devices should now run 2.0.0", Map.of()));
        order.offer(line(40, 10, "ack"));
        order.close();
        assertThat(printed).containsExactly("10 serial.rx ack", "30 server.deployment shop-display devices should now run 2.0.0");
        order.offer(line(50, 45, "after close"));
        assertThat(printed).hasSize(2);
    }
}
