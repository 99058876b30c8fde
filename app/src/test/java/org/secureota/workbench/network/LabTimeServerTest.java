package org.secureota.workbench.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.junit.jupiter.api.Tag;

@Timeout(30)
@Tag("integration")
class LabTimeServerTest {

    /** An NTPv4 client request whose transmit timestamp is {@code nonce}, as the firmware's SNTP client sends it. */
    static byte[] request(long nonce, int version) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put((byte) ((version << 3) | 3));
        b.position(40);
        b.putLong(nonce);
        return b.array();
    }

    static ByteBuffer exchange(LabTimeServer server, byte[] request) throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(5_000);
            client.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), server.port()));
            byte[] in = new byte[128];
            DatagramPacket reply = new DatagramPacket(in, in.length);
            client.receive(reply);
            assertThat(reply.getLength()).isEqualTo(48);
            return ByteBuffer.wrap(in, 0, 48);
        }
    }

    static long unixSeconds(long ntpTimestamp) {
        return (ntpTimestamp >>> 32) - LabTimeServer.NTP_UNIX_OFFSET;
    }

    @Test
    void answersInServerModeEchoingTheClientTransmitTimestamp() throws Exception {
        try (Journal journal = new Journal(); LabTimeServer server = LabTimeServer.start(journal)) {
            long nonce = 0x1234_5678_9ABC_DEF0L;
            ByteBuffer r = exchange(server, request(nonce, 4));
            int first = r.get(0) & 0xFF;
            assertThat(first >> 6).as("leap indicator").isZero();
            assertThat((first >> 3) & 7).as("version").isEqualTo(4);
            assertThat(first & 7).as("mode: server").isEqualTo(4);
            assertThat(r.get(1) & 0xFF).as("stratum").isEqualTo(1);
            assertThat(r.getLong(24)).as("originate = our transmit").isEqualTo(nonce);
            long now = Instant.now().getEpochSecond();
            assertThat(unixSeconds(r.getLong(32))).as("receive").isBetween(now - 5, now + 5);
            assertThat(unixSeconds(r.getLong(40))).as("transmit").isBetween(now - 5, now + 5);

            assertThat(journal.await(e -> e.type().equals(LabTimeServer.QUERY_EVENT), Duration.ofSeconds(5)))
                    .hasValueSatisfying(e -> assertThat(e.source()).isEqualTo(Source.NETWORK));
            assertThat(server.queries()).isEqualTo(1);
        }
    }

    @Test
    void anOffsetShiftsTheServedTime() throws Exception {
        try (Journal journal = new Journal(); LabTimeServer server = LabTimeServer.start(journal)) {
            server.offset(Duration.ofDays(730));
            ByteBuffer r = exchange(server, request(42, 3));
            assertThat((r.get(0) >> 3) & 7).as("an NTPv3 client gets a v3 answer").isEqualTo(3);
            long expected = Instant.now().plus(Duration.ofDays(730)).getEpochSecond();
            assertThat(unixSeconds(r.getLong(40))).isBetween(expected - 5, expected + 5);
        }
    }

    @Test
    void whatIsNotAClientRequestGetsNoAnswer() throws Exception {
        try (Journal journal = new Journal(); LabTimeServer server = LabTimeServer.start(journal)) {
            byte[] serverMode = request(7, 4);
            serverMode[0] = (byte) ((4 << 3) | 4);
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(500);
                client.send(new DatagramPacket(serverMode, 48, InetAddress.getLoopbackAddress(), server.port()));
                client.send(new DatagramPacket(new byte[12], 12, InetAddress.getLoopbackAddress(), server.port()));
                boolean answered;
                try {
                    client.receive(new DatagramPacket(new byte[128], 128));
                    answered = true;
                } catch (SocketTimeoutException expected) {
                    answered = false;
                }
                assertThat(answered).isFalse();
            }
            assertThat(server.queries()).isZero();
        }
    }

    @Test
    void ntpTimestampsWrapIntoEraOneIn2036() {
        assertThat(LabTimeServer.ntp(Instant.parse("2036-02-07T06:28:16Z")) >>> 32).isZero();
        assertThat(LabTimeServer.ntp(Instant.ofEpochSecond(0)) >>> 32).isEqualTo(LabTimeServer.NTP_UNIX_OFFSET);
    }

    /** Issue 27: a flood of queries is summarised, not journaled one by one; unknown senders are rate-limited. */
    @Test
    void aFloodOfQueriesIsSummarisedAndUnknownSendersAreRateLimited() throws Exception {
        Journal journal = new Journal();
        // Per-device addresses, and none given out: 127.0.0.1 is an unknown sender.
        LabTimeServer server = LabTimeServer.start(journal, DeviceAddresses.assume(true));
        int sent = 2_000;
        try (DatagramSocket client = new DatagramSocket()) {
            byte[] q = request(1, 4);
            for (int i = 0; i < sent; i++) {
                client.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), server.port()));
            }
        }
        Thread.sleep(500); // not a wait: UDP gives no receipt; datagrams in flight arrive before the close
        server.close();
        List<JournalEvent> events = journal.window();
        long journaled = events.stream().filter(e -> EventType.TIME_QUERY.is(e)).count();
        assertThat(journaled).as("time.query events for %d queries", sent).isBetween(1L, 3L);
        assertThat(server.queries()).as("answered").isLessThan(sent / 4);
        assertThat(events).filteredOn(e -> EventType.TIME_SUMMARY.is(e)).singleElement().satisfies(e -> {
            assertThat(((Number) e.fields().get("refused")).longValue()).isPositive();
            assertThat(((Number) e.fields().get("answered")).longValue()).isEqualTo(server.queries());
        });
        journal.close();
    }

    @Test
    void aKnownSenderIsAnsweredEveryTimeAndAnOffsetChangeIsAlwaysJournaled() throws Exception {
        Journal journal = new Journal();
        LabTimeServer server = LabTimeServer.start(journal); // no per-device addresses: 127.0.0.1 is the lab's
        for (int i = 0; i < 50; i++) {
            exchange(server, request(i, 4));
        }
        server.offset(Duration.ofDays(730));
        exchange(server, request(99, 4));
        server.close();
        assertThat(server.queries()).isEqualTo(51);
        List<JournalEvent> queries = journal.window().stream().filter(e -> EventType.TIME_QUERY.is(e)).toList();
        assertThat(queries).hasSizeBetween(2, 3);
        assertThat(queries.get(queries.size() - 1).fields()).containsEntry("offset_seconds", 730L * 86_400)
                .containsKey("queries_since");
        journal.close();
    }
}
