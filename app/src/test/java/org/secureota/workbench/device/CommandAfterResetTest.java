package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;

/**
 * A command sent right after a reset must reach the new boot, however late the supervisor acts on the
 * reset. The supervisor is frozen (SIGSTOP) while the reset is asked for, as a loaded CI machine can
 * leave it unscheduled: the old app keeps running meanwhile and takes whatever the link sends, then
 * the reset kills it, command and all. {@link VirtualEsp32#reset()} therefore returns only once the
 * board has powered on again. Real board, real pty, real firmware.
 */
@Timeout(120)
@Tag("e2e")
class CommandAfterResetTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(30);
    /** How long the supervisor stays frozen: far longer than the old app needs to read a command. */
    static final Duration FROZEN = Duration.ofSeconds(2);
    static final String ID = "esp32-lab-01";

    @TempDir
    Path lab;

    Journal journal;
    VirtualEsp32 board;
    DeviceLink link;
    Device device;
    Path flash;
    Path tty;
    long frozenPid = -1;

    @BeforeEach
    void factoryFreshProvisionedV1() throws Exception {
        journal = new Journal();
        FactoryFreshBoard fresh = FactoryFreshBoard.make(ROOT, lab, ID, journal);
        board = fresh.board();
        flash = fresh.flash();
        tty = fresh.tty();
    }

    @AfterEach
    void thawAndPowerOff() throws Exception {
        if (frozenPid > 0) {
            signal("CONT", frozenPid); // a failed assertion must not leave a frozen board behind
        }
        if (link != null) {
            link.close();
        }
        if (board != null) {
            board.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + name + " " + pid).isZero();
    }

    JournalEvent awaitJournal(long afterSeq, String what, Predicate<JournalEvent> condition) throws InterruptedException {
        return journal.awaitAfter(afterSeq, condition, WAIT)
                .orElseThrow(() -> new AssertionError("no " + what + " in the journal within " + WAIT + "; journal: "
                        + journal.window()));
    }

    /** The journal since {@code from}, one event a line, for a failure message (heartbeats and raw lines left out). */
    String trail(long from) {
        StringBuilder b = new StringBuilder();
        for (JournalEvent e : journal.snapshot()) {
            if (e.seq() > from && !EventType.SERIAL_RX.is(e)) {
                String m = e.message();
                b.append("  #").append(e.seq()).append(' ').append(e.type()).append(' ')
                        .append(m.length() > 90 ? m.substring(0, 90) : m).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void aCommandSentAsSoonAsResetReturnsReachesTheNewBootEvenWhenTheSupervisorIsLate() throws Exception {
        board.start(flash, tty);
        device = new Device(tty.toString());
        link = DeviceLink.open(tty.toString(), device, journal);
        // The link's own status request is answered (the LED is the last line of the report), so the
        // only status acknowledged from here on is the test's.
        JournalEvent linkStatus = awaitJournal(0, "the link's status request answered", e -> EventType.DEVICE_ACK.is(e)
                && "status".equals(e.field("cmd").orElse(null)));
        awaitJournal(linkStatus.seq(), "the end of the link's status report", EventType.DEVICE_LED::is);
        long boots = device.snapshot().boots();
        long from = journal.size();

        long supervisor = board.pid().orElseThrow();
        signal("STOP", supervisor);
        frozenPid = supervisor;
        // What a scenario does: the reset step, then the next step's command.
        CompletableFuture<Void> resetThenCommand = CompletableFuture.runAsync(() -> {
            board.reset();
            link.send(SerialCommand.STATUS);
        });
        boolean returnedWhileFrozen;
        try {
            resetThenCommand.get(FROZEN.toMillis(), TimeUnit.MILLISECONDS); // a bounded wait for the action, not a sleep
            returnedWhileFrozen = true;
        } catch (TimeoutException stillWaiting) {
            returnedWhileFrozen = false;
        }
        signal("CONT", supervisor);
        frozenPid = -1;
        resetThenCommand.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        JournalEvent reboot = awaitJournal(from, "the boot of the reset", e -> EventType.DEVICE_BOOT.is(e)
                && "ext".equals(e.field("reset_reason").orElse(null)) && "false".equals(e.field("status_report").orElse(null)));
        JournalEvent ack = awaitJournal(from, "the ack of the command", e -> EventType.DEVICE_ACK.is(e)
                && "status".equals(e.field("cmd").orElse(null)));
        assertThat(ack.seq()).as("the command was taken by the app the reset killed (ack #" + ack.seq()
                + " before the reset's boot #" + reboot.seq() + "):\n" + trail(from)).isGreaterThan(reboot.seq());
        assertThat(returnedWhileFrozen).as("reset() returned while the supervisor had not acted on it:\n" + trail(from))
                .isFalse();
        JournalEvent poweredOn = journal.snapshot().stream().filter(e -> e.seq() > from && EventType.BOARD_POWER_ON.is(e))
                .findFirst().orElseThrow();
        JournalEvent sent = journal.snapshot().stream().filter(e -> e.seq() > from && EventType.SERIAL_TX.is(e))
                .findFirst().orElseThrow();
        assertThat(sent.seq()).as("the command was written after the board powered on again").isGreaterThan(poweredOn.seq());
        assertThat(device.snapshot().boots()).isEqualTo(boots + 1);
    }
}
