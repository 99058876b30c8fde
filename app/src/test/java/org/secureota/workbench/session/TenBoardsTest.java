package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.network.CaptureExport;
import org.junit.jupiter.api.Tag;

/** Ten virtual boards in one session, each with its own flash, pty and key, all updated from V1 to V2 at once. */
@Timeout(600)
@Tag("e2e")
class TenBoardsTest {

    static final int BOARDS = 10;
    static final Duration LONG_WAIT = Duration.ofSeconds(240);

    @TempDir
    Path root;

    @Test
    void tenBoardsStartTogetherAndAllUpdateFromV1ToV2() throws Exception {
        SessionTestSupport.requireBoard();
        Path folder;
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            folder = session.folder();
            long started = System.nanoTime();
            List<LabDevice> devices = VirtualFleet.startAtV1(session, "fleet-%02d", BOARDS, LONG_WAIT);
            long v1Ms = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("ten boards: create -> \"V1 running\" on all %d boards in %d ms%n", BOARDS, v1Ms);

            Set<Long> pids = new HashSet<>();
            Set<String> ptys = new HashSet<>();
            for (LabDevice d : devices) {
                pids.add(d.board().pid());
                ptys.add(d.board().ptyPath());
            }
            assertThat(pids).as("one process per board").hasSize(BOARDS).doesNotContainNull();
            assertThat(ptys).as("one pty per board").hasSize(BOARDS).doesNotContainNull();
            assertThat(session.serverState().apiKeys().devices()).as("one key per board").hasSize(BOARDS);

            long mark = session.journal().size();
            long updateStarted = System.nanoTime();
            VirtualFleet.deployV2AndCheckAll(session, devices, LONG_WAIT);
            System.out.printf("ten boards: deploy -> \"V2 confirmed\" on all %d boards in %d ms%n", BOARDS,
                    (System.nanoTime() - updateStarted) / 1_000_000);
            VirtualFleet.assertOneUpdatedEach(session, mark, BOARDS);
            // The session's snapshot follows the models a moment later (listener threads): wait on it.
            SessionSnapshot all = session.await(s -> s.devices().size() == BOARDS && s.devices().values().stream()
                    .allMatch(d -> "2.0.0".equals(d.version())), WAIT, "all boards on 2.0.0 in the session snapshot");
            assertThat(all.boards().values()).hasSize(BOARDS).allSatisfy(b -> assertThat(b.power()).isEqualTo(BoardPower.RUNNING));
        }
        // The session's capture, per device: each board's requests under its own address (fleet-01 is
        // 10.0.1.1, ... in the order of their names), decrypted by tshark from the file alone.
        Prerequisites.require(CaptureTsharkTest.tshark(), "tshark is not installed (Debian: apt-get install tshark)");
        Path pcap = root.resolve("fleet.pcapng");
        CaptureExport.Result r = CaptureExport.export(folder, pcap);
        assertThat(r.devices()).isEqualTo(BOARDS);
        assertThat(r.unplaced()).as("connections no key log names").isZero();
        List<String> manifests = CaptureTsharkTest.tshark(pcap, "-Y", "http.request.uri contains \"manifest\"",
                "-T", "fields", "-e", "ip.src", "-e", "http.request.uri");
        for (int i = 1; i <= BOARDS; i++) {
            String address = "10.0.1." + i;
            String device = String.format("device=fleet-%02d", i);
            assertThat(manifests).as(device + " from " + address)
                    .anySatisfy(l -> assertThat(l).startsWith(address + "\t").contains(device))
                    .allSatisfy(l -> assertThat(l.startsWith(address + "\t")).isEqualTo(l.contains(device + "&")));
        }
    }
}
