package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.junit.jupiter.api.Tag;

/**
 * A class-sized lab (issue 27): thirty virtual boards in one session, {@code check all}, thirty
 * {@code UPDATED}. Before each device had its own loopback address, the server's limit of 16 connections
 * per address ended four of twenty with {@code TLS_HANDSHAKE_FAILED}.
 */
@Timeout(900)
@Tag("e2e")
class ThirtyBoardsTest {

    static final int BOARDS = 30;
    static final Duration LONG_WAIT = Duration.ofSeconds(300);

    @TempDir
    Path root;

    @Test
    void thirtyBoardsCheckAllAndAllThirtyAreUpdated() throws Exception {
        SessionTestSupport.requireBoard();
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            assertThat(session.addresses().routed())
                    .as("this test runs where all of 127.0.0.0/8 routes to loopback (Linux)").isTrue();
            List<LabDevice> devices = VirtualFleet.startAtV1(session, "seat-%02d", BOARDS, LONG_WAIT);
            long mark = session.journal().size();
            long started = System.nanoTime();
            VirtualFleet.deployV2AndCheckAll(session, devices, LONG_WAIT);
            System.out.printf("thirty boards: deploy + check all -> \"V2 confirmed\" on all %d in %d ms%n", BOARDS,
                    (System.nanoTime() - started) / 1_000_000);
            List<JournalEvent> verdicts = VirtualFleet.assertOneUpdatedEach(session, mark, BOARDS);
            assertThat(verdicts).allSatisfy(e -> assertThat(e.fields().get("code")).isEqualTo("UPDATED"));

            // Each board reached the endpoint from its own address, and the endpoint knew whose it was.
            List<JournalEvent> opened = session.journal().events(EventType.CONNECTION_OPENED, null, mark);
            Set<String> attributed = opened.stream().map(JournalEvent::deviceId).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
            assertThat(attributed).hasSize(BOARDS);
            assertThat(opened).allSatisfy(e -> assertThat(String.valueOf(e.fields().get("from")))
                    .startsWith(session.addresses().assign(e.deviceId()).orElseThrow().getHostAddress() + ":"));
            // ... and the server saw thirty addresses, none of them refused for its connection count.
            Set<String> remotes = session.journal().events(EventType.HTTP_REQUEST, null, mark).stream()
                    .map(e -> String.valueOf(e.fields().get("remote"))).collect(Collectors.toSet());
            assertThat(remotes).hasSize(BOARDS).allSatisfy(r -> assertThat(r).startsWith("127.0.1."));
            assertThat(session.journal().events(EventType.SERVER_CONNECTION_LIMIT, null, mark)).isEmpty();
        }
    }

    /**
     * Where only 127.0.0.1 routes, downloads per address are raised to what a full lab needs; connections are
     * not (the server counts those the endpoint forwards per device: SharedLoopbackFloodTest).
     */
    @Test
    void withoutLoopbackAliasesOnlyTheDownloadsPerAddressAreRaised() {
        var limits = org.secureota.workbench.server.ServerLimits.defaults();
        assertThat(LabSession.limitsFor(limits, org.secureota.workbench.network.DeviceAddresses.assume(true)))
                .isSameAs(limits);
        var raised = LabSession.limitsFor(limits, org.secureota.workbench.network.DeviceAddresses.assume(false));
        assertThat(raised.maxConnectionsPerAddress()).isEqualTo(limits.maxConnectionsPerAddress());
        assertThat(raised.maxDownloadsPerAddress()).isGreaterThanOrEqualTo(LabSession.MAX_DEVICES);
        assertThat(raised.maxAuthFailures()).isEqualTo(limits.maxAuthFailures());
        assertThat(LabSession.parseBytes("500M")).isEqualTo(500L << 20);
        assertThat(LabSession.parseBytes("2G")).isEqualTo(2L << 30);
        assertThat(LabSession.parseBytes("12345")).isEqualTo(12345);
    }
}
