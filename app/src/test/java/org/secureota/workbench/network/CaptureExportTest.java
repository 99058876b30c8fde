package org.secureota.workbench.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The pcapng export read back block by block: section header, interface, the key log in a Decryption
 * Secrets Block before the first packet, and packets whose IPv4 and TCP checksums, sequence and
 * acknowledgement numbers hold, from a recorded connection placed on its device by the ClientHello random.
 */
@Tag("unit")
class CaptureExportTest {

    @TempDir
    Path session;

    static final byte[] RANDOM = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    @Test
    void aRecordedConnectionBecomesAPcapngWithItsSecretsFirstAndConsistentTcp() throws Exception {
        byte[] hello = clientHello();
        byte[] reply = new byte[4000];  // three segments down
        Arrays.fill(reply, (byte) 0x17);
        try (CaptureRecorder r = CaptureRecorder.create(session.resolve(CaptureRecorder.FILE))) {
            r.opened(1, "127.0.0.1", 40000, 8443, Upstream.loopback("lab server", 9443));
            r.data(1, true, hello, 0, hello.length);
            r.data(1, false, reply, 0, reply.length);
            r.fin(1, true);
            r.fin(1, false);
            r.opened(2, "127.0.0.1", 40001, 8443, Upstream.loopback("lab server", 9443));
            r.data(2, true, new byte[] {1, 2, 3}, 0, 3);  // no ClientHello: no device
            r.reset(2);
        }
        String secret = "CLIENT_RANDOM " + HexFormat.of().formatHex(RANDOM) + " " + "ab".repeat(48);
        Files.createDirectories(session.resolve("dev-b"));
        Files.writeString(session.resolve("dev-b").resolve(CaptureExport.KEY_LOG_FILE), "# CLIENT_HELLO "
                + HexFormat.of().formatHex(RANDOM) + "\n" + secret + "\n", StandardCharsets.US_ASCII);
        Files.createDirectories(session.resolve("dev-a"));
        Files.writeString(session.resolve("dev-a").resolve(CaptureExport.KEY_LOG_FILE), "", StandardCharsets.US_ASCII);

        Path out = session.resolve("out.pcapng");
        CaptureExport.Result result = CaptureExport.export(session, out);
        assertThat(result.connections()).isEqualTo(2);
        assertThat(result.devices()).isEqualTo(2);
        assertThat(result.keyLogLines()).isEqualTo(1);
        assertThat(result.unplaced()).isEqualTo(1);

        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> types = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        byte[] secrets = null;
        while (b.hasRemaining()) {
            int start = b.position();
            int type = b.getInt();
            int length = b.getInt();
            assertThat(length % 4).isZero();
            assertThat(b.getInt(start + length - 4)).as("trailing length").isEqualTo(length);
            types.add(type);
            if (type == PcapngWriter.SHB) {
                assertThat(b.getInt()).isEqualTo(0x1A2B3C4D);
            } else if (type == PcapngWriter.IDB) {
                assertThat(b.getShort()).isEqualTo((short) PcapngWriter.LINKTYPE_ETHERNET);
            } else if (type == PcapngWriter.DSB) {
                assertThat(b.getInt()).isEqualTo(0x544c534b);
                secrets = new byte[b.getInt()];
                b.get(secrets);
            } else if (type == PcapngWriter.EPB) {
                b.position(b.position() + 12);
                byte[] f = new byte[b.getInt()];
                b.getInt();
                b.get(f);
                frames.add(f);
            }
            b.position(start + length);
        }
        assertThat(types.subList(0, 3)).containsExactly(PcapngWriter.SHB, PcapngWriter.IDB, PcapngWriter.DSB);
        assertThat(types.subList(3, types.size())).containsOnly(PcapngWriter.EPB);
        assertThat(new String(secrets, StandardCharsets.US_ASCII)).isEqualTo(secret + "\n");

        long client = 0;
        long server = 0;
        int placed = 0;
        for (byte[] f : frames) {
            ByteBuffer p = ByteBuffer.wrap(f);
            assertThat(p.getShort(12)).isEqualTo((short) 0x0800);
            assertThat(TcpSynthesis.checksum(f, 14, 20, 0)).as("IPv4 header checksum").isZero();
            int ipLength = p.getShort(16) & 0xFFFF;
            assertThat(ipLength).isEqualTo(f.length - 14).isLessThanOrEqualTo(1500);
            byte[] src = Arrays.copyOfRange(f, 26, 30);
            byte[] dst = Arrays.copyOfRange(f, 30, 34);
            long pseudo = word(src, 0) + word(src, 2) + word(dst, 0) + word(dst, 2) + 6 + (ipLength - 20);
            assertThat(TcpSynthesis.checksum(f, 34, ipLength - 20, pseudo)).as("TCP checksum").isZero();
            int srcPort = p.getShort(34) & 0xFFFF;
            if (srcPort != 40000 && p.getShort(36) != (short) 40000) {
                continue;
            }
            // Connection 1: from dev-b, the second name, so 10.0.1.2.
            boolean fromClient = srcPort == 40000;
            assertThat(fromClient ? src : dst).containsExactly(10, 0, 1, 2);
            placed++;
            long seq = p.getInt(38) & 0xFFFFFFFFL;
            long ack = p.getInt(42) & 0xFFFFFFFFL;
            int flags = p.get(47);
            int payload = ipLength - 20 - ((p.get(46) >> 4) & 0xF) * 4;
            if ((flags & 0x02) != 0) {  // SYN
                if (fromClient) {
                    client = seq + 1;
                } else {
                    server = seq + 1;
                    assertThat(ack).isEqualTo(client);
                }
                continue;
            }
            assertThat(seq).isEqualTo(fromClient ? client : server);
            assertThat(ack).isEqualTo(fromClient ? server : client);
            long next = seq + payload + ((flags & 0x01) != 0 ? 1 : 0);
            if (fromClient) {
                client = next;
            } else {
                server = next;
            }
        }
        assertThat(placed).isGreaterThan(8);
    }

    @Test
    void aSessionWithoutCaptureIsRefusedWithTheReason() {
        assertThatThrownBy(() -> CaptureExport.export(session, session.resolve("x.pcapng")))
                .isInstanceOf(IOException.class).hasMessageContaining("no capture");
    }

    private static long word(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static byte[] clientHello() {
        byte[] h = new byte[60];
        h[0] = 22;
        h[1] = 3;
        h[2] = 1;
        h[4] = 55;
        h[5] = 1;
        System.arraycopy(RANDOM, 0, h, 11, 32);
        return h;
    }
}
