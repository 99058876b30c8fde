package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.secureota.workbench.Prerequisites.require;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.firmware.OtaState;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

/**
 * The real virtual ESP32 (the firmware built for the host) talked to through its real pty with
 * jSerialComm: no part of the device is simulated in Java. Needs esp32-firmware/build/virtual-esp32.
 */
@Timeout(180)
@Tag("e2e")
class VirtualDeviceTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    /** Generous: the board boots in well under a second, but CI machines are shared and slow. */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ID = "esp32-lab-01";

    @TempDir
    Path lab;

    Journal journal;
    VirtualEsp32 board;
    DeviceLink link;
    Device device;
    Path flash;
    Path tty;

    @BeforeEach
    void factoryFreshProvisionedV1() throws Exception {
        journal = new Journal();
        FactoryFreshBoard fresh = FactoryFreshBoard.make(ROOT, lab, ID, journal);
        board = fresh.board();
        flash = fresh.flash();
        tty = fresh.tty();
    }

    @AfterEach
    void unplugAndPowerOff() {
        if (link != null) {
            link.close();
        }
        if (board != null) {
            board.close();
            assertThat(board.isRunning()).isFalse();
        }
        if (journal != null) {
            journal.close();
        }
    }

    void startAndConnect() {
        board.start(flash, tty);
        device = new Device(tty.toString());
        link = DeviceLink.open(tty.toString(), device, journal);
    }

    JournalEvent awaitJournal(long afterSeq, String what, Predicate<JournalEvent> condition) throws InterruptedException {
        return journal.awaitAfter(afterSeq, condition, WAIT)
                .orElseThrow(() -> new AssertionError("no " + what + " in the journal within " + WAIT + "; journal: "
                        + journal.window()));
    }

    static Predicate<JournalEvent> type(String type) {
        return e -> e.type().equals(type);
    }

    @Test
    void factoryFreshV1BootsProvisionedAndShowsItsScreenAndLed() throws Exception {
        startAndConnect();
        DeviceSnapshot s = device.await(d -> d.version() != null && d.led().mode() == LedPattern.Mode.BLINK
                && d.lcd().row(0).startsWith("SHOP-DISPLAY") && !d.slots().isEmpty(), WAIT, "V1 report with LCD and LED");
        assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(s.runningSlot()).isEqualTo("ota_0");
        assertThat(s.runningLabel()).isEqualTo("app0");
        assertThat(s.project()).isEqualTo("shop-display");
        assertThat(s.provisioned()).isTrue();
        assertThat(s.deviceId()).isEqualTo(ID);
        assertThat(s.lcd().rows()).containsExactly("SHOP-DISPLAY    ", "V1 BASE  v1.0.0 ");
        assertThat(s.led()).isEqualTo(new LedPattern(LedPattern.Mode.BLINK, 1000, 50, 0, 0));
        assertThat(s.slot("app0")).hasValueSatisfying(slot -> {
            assertThat(slot.running()).isTrue();
            assertThat(slot.state()).isEqualTo(OtaState.VALID);
            assertThat(slot.image().version()).isEqualTo("1.0.0");
        });
        assertThat(s.slot("app1")).hasValueSatisfying(slot -> assertThat(slot.image().valid()).isFalse());
        assertThat(s.partitions()).extracting(TelemetryLine.PartitionRow::label).contains("factory_data");

        JournalEvent boot = awaitJournal(0, "device.boot", type(EventType.DEVICE_BOOT.wireName()));
        assertThat(boot.source()).isEqualTo(Source.DEVICE);
        assertThat(boot.deviceId()).isEqualTo(ID);
        assertThat(boot.fields()).containsEntry("version", "1.0.0").containsEntry("slot", "ota_0")
                .containsEntry("provisioned", true).containsEntry("device_id", ID);
        JournalEvent lcd = awaitJournal(0, "device.lcd", type(EventType.DEVICE_LCD.wireName()));
        assertThat(lcd.message()).contains("SHOP-DISPLAY");
        JournalEvent led = awaitJournal(0, "device.led", type(EventType.DEVICE_LED.wireName()));
        assertThat(led.fields()).containsEntry("mode", "blink").containsEntry("period_ms", 1000L);
        assertThat(journal.window()).filteredOn(type(EventType.SERIAL_RX.wireName()))
                .anySatisfy(e -> assertThat(e.message()).startsWith("@ota1 {\"ev\":\"boot\""))
                .allSatisfy(e -> assertThat(e.message()).doesNotContain("\n", "\r"));
        assertThat(journal.window()).filteredOn(type(EventType.DEVICE_TELEMETRY_WARNING.wireName())).isEmpty();
        awaitJournal(0, "board.ready", type("board.ready"));
    }

    @Test
    void statusIsAnsweredWithAFullReport() throws Exception {
        startAndConnect();
        // Whether the link saw the power-on boot or learned it from its first status depends on who
        // was first; either way the LED is the last line of a boot or a report.
        long boots = device.await(d -> d.led().mode() == LedPattern.Mode.BLINK, WAIT, "first report").boots();
        long seq = journal.size();
        link.send(SerialCommand.STATUS);
        JournalEvent tx = awaitJournal(seq, "serial.tx", type(EventType.SERIAL_TX.wireName()));
        assertThat(tx.message()).isEqualTo("@ota1 {\"cmd\":\"status\"}");
        JournalEvent ack = awaitJournal(seq, "ack", type(EventType.DEVICE_ACK.wireName()));
        assertThat(ack.fields()).containsEntry("cmd", "status");
        JournalEvent report = awaitJournal(ack.seq(), "boot report", type(EventType.DEVICE_BOOT.wireName()));
        assertThat(report.fields()).containsEntry("status_report", true);
        awaitJournal(report.seq(), "partitions", type(EventType.DEVICE_PARTITIONS.wireName()));
        awaitJournal(report.seq(), "lcd", type(EventType.DEVICE_LCD.wireName()));
        awaitJournal(report.seq(), "led", type(EventType.DEVICE_LED.wireName()));
        assertThat(device.snapshot().boots()).as("a status report is not a boot").isEqualTo(boots);
    }

    // The device answers a command the moment it reads it. The command is journaled before it is written, so its
    // ack never comes first in the journal (the timeline, or a test reading the journal in order, would show an
    // answer before its question). Many rounds: a loaded machine interleaves the link's threads differently.
    @Test
    void everyCommandIsJournaledBeforeTheAckThatAnswersIt() throws Exception {
        startAndConnect();
        // The link asks for a status of its own once it is in step with the device: let that one finish first.
        JournalEvent own = awaitJournal(0, "the link's own status ack", type(EventType.DEVICE_ACK.wireName()));
        awaitJournal(own.seq(), "end of the link's own report", type(EventType.DEVICE_LED.wireName()));
        for (int round = 0; round < 60; round++) {
            long seq = journal.size();
            link.send(SerialCommand.STATUS);
            JournalEvent ack = awaitJournal(seq, "ack " + round, type(EventType.DEVICE_ACK.wireName()));
            JournalEvent tx = awaitJournal(seq, "serial.tx " + round, type(EventType.SERIAL_TX.wireName()));
            assertThat(tx.seq()).as("round %d: the command (#%d) before its ack (#%d)", round, tx.seq(), ack.seq())
                    .isLessThan(ack.seq());
            awaitJournal(ack.seq(), "end of report " + round, type(EventType.DEVICE_LED.wireName()));
        }
    }

    @Test
    void resetRebootAndPowerCycleAreSeenOnTheSameOpenLink() throws Exception {
        startAndConnect();
        long boots = device.await(d -> d.led().mode() == LedPattern.Mode.BLINK, WAIT, "first report").boots();

        board.reset();
        DeviceSnapshot afterReset = device.await(d -> d.boots() >= boots + 1 && "ext".equals(d.resetReason()), WAIT,
                "boot after the EN button (reset reason ext)");
        assertThat(afterReset.connection()).as("the pty survives a reset").isEqualTo(ConnectionState.CONNECTED);
        assertThat(afterReset.version()).isEqualTo("1.0.0");

        long seq = journal.size();
        link.send(SerialCommand.REBOOT);
        device.await(d -> d.boots() >= boots + 2 && "sw".equals(d.resetReason()), WAIT, "boot after the reboot command");
        awaitJournal(seq, "board.restart", type("board.restart"));

        seq = journal.size();
        board.powerCut();
        awaitJournal(seq, "board.power_off", type("board.power_off"));
        board.powerOn();
        DeviceSnapshot afterPower = device.await(d -> d.boots() >= boots + 3 && "poweron".equals(d.resetReason()), WAIT,
                "boot after a power cycle");
        assertThat(afterPower.runningSlot()).isEqualTo("ota_0");
        assertThat(afterPower.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(journal.window()).filteredOn(type(EventType.DEVICE_DISCONNECTED.wireName())).isEmpty();
    }

    @Test
    void theBoardAnswersStatusAndArmsAPowerCut() {
        board.start(flash, tty);
        BoardStatus status = board.status();
        assertThat(status.poweredOn()).isTrue();
        assertThat(status.armed()).isEqualTo("none");
        assertThat(status.pty()).isEqualTo(board.ptyPath()).startsWith("/dev/");
        board.failAfter(1000, CutPoint.HALFWAY);
        assertThat(board.status().armed()).isEqualTo("1000/halfway");
        board.disarm();
        assertThat(board.status().armed()).isEqualTo("none");
    }

    @Test
    void aPowerCutArmedBeforeTheFirstBootStopsTheBoardAndPowerOnRecovers() throws Exception {
        // Operation 1 of a factory-fresh board is the bootloader's first otadata erase: cut it halfway.
        board.start(flash, tty, 0, CutPoint.HALFWAY);
        device = new Device(ID);
        link = DeviceLink.open(tty.toString(), device, journal);
        JournalEvent cut = awaitJournal(0, "board.power_cut", type("board.power_cut"));
        assertThat(cut.fields()).containsEntry("operation", 1L).containsEntry("cut", "halfway");
        assertThat(board.status().poweredOn()).isFalse();

        board.powerOn();
        DeviceSnapshot s = device.await(d -> d.boots() >= 1 && d.led().mode() == LedPattern.Mode.BLINK, WAIT,
                "first complete boot after the cut");
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(s.resetReason()).isEqualTo("poweron");
        assertThat(s.runningState()).isEqualTo(OtaState.VALID);
        assertThat(s.connection()).as("the pty stayed up while the power was off").isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aFailingListenerIsJournaledAndDoesNotDeafenTheLink() throws Exception {
        board.start(flash, tty);
        device = new Device(ID);
        device.addListener((before, after) -> {
            if (after.lcd() != before.lcd()) {
                throw new IllegalStateException("a broken view");
            }
        });
        link = DeviceLink.open(tty.toString(), device, journal);
        JournalEvent fault = awaitJournal(0, "link error", type(EventType.DEVICE_LINK_ERROR.wireName()));
        assertThat(fault.message()).contains("a broken view");
        // The model took the change the listener choked on, and the link kept reading the lines after it.
        device.await(d -> d.lcd().row(0).startsWith("SHOP-DISPLAY") && d.led().mode() == LedPattern.Mode.BLINK
                && d.slots().size() == 2, WAIT, "the rest of the report after the failing listener");
    }

    @Test
    void aSecondReaderOfTheSamePortIsRefusedWithTheReason() throws Exception {
        startAndConnect();
        device.await(d -> d.version() != null, WAIT, "first report");
        Device other = new Device("second reader");
        assertThatThrownBy(() -> DeviceLink.open(tty.toString(), other, journal))
                .isInstanceOf(DeviceLinkException.class)
                .hasMessageContaining(tty.toString())
                .hasMessageContaining("already reads it");
        assertThat(other.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(device.state()).as("the first link is unharmed").isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aBoardThatCannotStartSaysWhyAndLeavesNothingRunning() throws Exception {
        Path broken = lab.resolve("broken-flash.bin");
        Files.write(broken, new byte[100]);
        assertThatThrownBy(() -> board.start(broken, tty))
                .isInstanceOf(VirtualBoardException.class)
                .hasMessageContaining("before its pty was ready")
                .hasMessageContaining("4 MB");
        assertThat(board.isRunning()).isFalse();
        // The same launcher starts a good flash afterwards.
        board.start(flash, tty);
        assertThat(board.status().poweredOn()).isTrue();
    }

    @Test
    void aKilledBoardDisconnectsOnceAndTheLinkComesBackWithTheBoard() throws Exception {
        startAndConnect();
        device.await(d -> d.version() != null, WAIT, "first report");
        board.close();
        device.awaitState(ConnectionState.DISCONNECTED, WAIT);
        assertThat(awaitJournal(0, "disconnect", type(EventType.DEVICE_DISCONNECTED.wireName())).field("reason"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("stopped reading"));

        board = new VirtualEsp32(ROOT, journal, ID);
        board.start(flash, tty);
        JournalEvent back = awaitJournal(0, "reconnect", e -> e.type().equals(EventType.DEVICE_CONNECTED.wireName())
                && Boolean.TRUE.equals(e.fields().get("reconnect")));
        device.awaitState(ConnectionState.CONNECTED, WAIT);
        JournalEvent report = awaitJournal(back.seq(), "boot report after the reconnect", type(EventType.DEVICE_BOOT.wireName()));
        assertThat(report.fields()).containsEntry("version", "1.0.0");
        assertThat(journal.window()).filteredOn(type(EventType.DEVICE_DISCONNECTED.wireName())).hasSize(1);
        assertThat(journal.window()).filteredOn(type(EventType.DEVICE_CONNECTED.wireName()))
                .extracting(e -> e.fields().get("reconnect")).containsExactly(false, true);
    }
}
