package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.ConnectionState;
import org.secureota.workbench.device.DeviceLink;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.junit.jupiter.api.Tag;

/**
 * A board attached by port name, the way a real ESP32 on /dev/ttyUSB0 is: here the port is a virtual
 * board's pty, started outside the session (a real serial port to jSerialComm), so the session only
 * has its port, as with real hardware.
 */
@Timeout(180)
@Tag("e2e")
class AttachBoardTest {

    @TempDir
    Path root;

    @Test
    void aBoardIsAttachedByPortObservedCommandedAndDetached() throws Exception {
        SessionTestSupport.requireBoard();
        try (Journal boardJournal = new Journal();
             VirtualEsp32 board = new VirtualEsp32(SessionTestSupport.ROOT, boardJournal, "bench-board")) {
            Path flash = root.resolve("board/flash.bin");
            java.nio.file.Files.createDirectories(flash.getParent());
            board.factory(flash, board.image("v1_base"), FlashLayout.DEFAULT, null);
            Path tty = board.start(flash, root.resolve("board/tty"));

            try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root.resolve("lab"))
                    .withPublishBuiltReleases(false))) {
                LabDevice d = session.attachBoard(tty.toString()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(d.isVirtual()).isFalse();
                assertThat(d.id()).isEqualTo(tty.toString());
                d.model().await(s -> "1.0.0".equals(s.version()), WAIT, "the attached board's report");
                assertThat(d.board().power()).isEqualTo(BoardPower.RUNNING);
                assertThat(session.snapshot().devices()).containsKey(tty.toString());
                assertThat(d.device().provisioned()).as("an unprovisioned board says so").isFalse();

                long mark = session.journal().size();
                d.status().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(session.journal().awaitAfter(mark, EventType.DEVICE_PARTITIONS::is, WAIT)).isPresent();
                // Known by an absolute port path, the board's transcript still lands inside the session.
                assertThat(d.transcript()).startsWith(session.folder());
                java.nio.file.Path transcript = session.folder().resolve(LabSession.folderName(tty.toString()))
                        .resolve("serial.log");
                assertThat(transcript).exists();
                assertThat(java.nio.file.Files.readString(transcript)).contains("@ota1");
                assertThat(LinkOwners.find(root.resolve("lab/sessions"), tty.toString()))
                        .as("a second program finds the session that owns the port")
                        .hasValueSatisfying(o -> assertThat(o.sessionFolder()).isEqualTo(session.folder()));
                assertThatThrownBy(() -> d.powerCut().get()).isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("does not switch a real board's power");

                session.removeDevice(tty.toString()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(d.model().state()).isEqualTo(ConnectionState.DISCONNECTED);
                assertThat(session.devices()).isEmpty();
                assertThat(session.snapshot().devices()).isEmpty();
            }
            // Detached means the port is free again: another reader can open it.
            DeviceLink again = DeviceLink.open(tty.toString(), new org.secureota.workbench.device.Device("again"),
                    boardJournal);
            again.close();
            assertThat(board.isRunning()).as("detaching leaves a board that the session did not start").isTrue();
        }
    }
}
