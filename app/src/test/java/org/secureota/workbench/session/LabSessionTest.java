package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.SessionReader;
import org.secureota.workbench.journal.SessionLog;
import org.junit.jupiter.api.Tag;

/** A session on the real parts: PKI, journal, time source, Jetty, and a virtual ESP32 running the firmware. */
@Timeout(300)
@Tag("e2e")
class LabSessionTest {

    @TempDir
    Path root;

    @Test
    void opensMakesAFactoryFreshDeviceAndClosesEverythingWithSessionClosedLast() throws Exception {
        SessionTestSupport.requireBoard();
        List<SessionState> states = new CopyOnWriteArrayList<>();
        LabDevice device;
        Path folder;
        long pid;
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            session.addListener((before, after) -> {
                if (before.state() != after.state()) {
                    states.add(after.state());
                }
            });
            folder = session.folder();
            assertThat(session.pki().initialized()).as("the PKI is created on first use").isTrue();
            ServerSnapshot server = session.snapshot().server();
            assertThat(server.status()).isEqualTo(ServerStatus.RUNNING);
            assertThat(server.url()).isEqualTo(session.server().baseUri());
            assertThat(server.certificateSha256()).hasSize(64);
            assertThat(server.releases()).extracting(r -> r.version()).contains("2.0.0", "3.0.0");

            device = session.createVirtualDevice("lab-01", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            device.model().await(SessionTestSupport::v1Running, WAIT, "V1 running");
            assertThat(session.serverState().apiKeys().find("lab-01")).as("provisioned on the server").isPresent();
            // The session's view of the board follows the firmware: once V1 has spoken, the board runs
            // (it once stayed "booting" when the link opened after the boot line went by).
            session.await(s -> s.boards().get("lab-01").power() == BoardPower.RUNNING, WAIT, "board lab-01 running");
            BoardSnapshot board = device.board();
            assertThat(board.power()).isEqualTo(BoardPower.RUNNING);
            assertThat(board.pid()).isNotNull();
            assertThat(board.ptyPath()).startsWith("/dev/");
            pid = board.pid();
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(session.snapshot().devices()).containsKey("lab-01");
            assertThatThrownBy(() -> session.createVirtualDevice("lab-01", "shop-display",
                    VirtualDeviceOptions.factoryFreshV1())).isInstanceOf(LabSessionException.class)
                    .hasMessageContaining("already has a device 'lab-01'");
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the board is stopped").isNotEqualTo(
                java.util.Optional.of(true));
        List<JournalEvent> events = SessionReader.read(folder.resolve(SessionLog.JOURNAL_FILE)).events();
        assertThat(events.get(events.size() - 1).type()).isEqualTo(EventType.SESSION_CLOSED.wireName());
        assertThat(events).anyMatch(EventType.SESSION_OPENED::is).anyMatch(EventType.BOARD_FACTORY::is)
                .anyMatch(EventType.DEVICE_BOOT::is).anyMatch(EventType.SERVER_STOPPED::is);
        assertThat(Files.readString(folder.resolve("lab-01").resolve("serial.log"))).contains("@ota1");
        // The event thread delivers the last notifications after close() returns.
        Waits.until(() -> states.contains(SessionState.CLOSED), Duration.ofSeconds(10), "the CLOSED notification");
        assertThat(states).endsWith(SessionState.CLOSING, SessionState.CLOSED);
    }
}
