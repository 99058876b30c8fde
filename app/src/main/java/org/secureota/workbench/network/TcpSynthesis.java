package org.secureota.workbench.network;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one recorded connection (byte streams with times) into the Ethernet/IPv4/TCP frames a capture on
 * the wire would hold: the three-way handshake (MSS and window-scale options), MSS-sized segments with
 * consistent sequence and acknowledgement numbers, an acknowledgement after each block, and the FINs or
 * the reset that ended it. Nothing here is a record of real packets: the kernel's segmentation is not
 * known, only the bytes and their order, which is what Wireshark needs to reassemble TLS and HTTP.
 */
public final class TcpSynthesis {

    /** Ethernet MTU 1500 minus the IPv4 and TCP headers. */
    public static final int MSS = 1460;
    private static final int WINDOW_SHIFT = 7;          // window scale: field << 7
    private static final int WINDOW = 65535 >> 1;       // 4 MiB with the shift: never full for 64 KiB blocks
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;

    /** One frame and when it was seen. */
    public record Frame(long micros, byte[] bytes) {
    }

    /** An IPv4 host as it appears in the capture. */
    public record Host(byte[] ip, int port, byte[] mac) {
    }

    private final Host client;
    private final Host server;
    private final List<Frame> frames = new ArrayList<>();
    private long clientSeq;
    private long serverSeq;
    private int clientIpId;
    private int serverIpId;
    private boolean clientFin;
    private boolean serverFin;
    private boolean reset;

    private TcpSynthesis(Host client, Host server, long isnSeed) {
        this.client = client;
        this.server = server;
        this.clientSeq = (0x1000_0000L + isnSeed * 0x0010_0000L) & 0xFFFF_FFFFL;
        this.serverSeq = (0x8000_0000L + isnSeed * 0x0010_0000L) & 0xFFFF_FFFFL;
        this.clientIpId = (int) (isnSeed * 0x100) & 0xFFFF;
        this.serverIpId = (int) (isnSeed * 0x100 + 0x80) & 0xFFFF;
    }

    /**
     * The frames of {@code c} between {@code client} and {@code server}. A recorded reset is sent by the
     * endpoint, which is the server of a device's connection and the client of the attacker's leg
     * ({@code endpointIsClient}).
     */
    public static List<Frame> frames(CaptureReader.Connection c, Host client, Host server, boolean endpointIsClient) {
        TcpSynthesis t = new TcpSynthesis(client, server, c.id());
        t.handshake(c.openedMicros());
        for (CaptureReader.Event e : c.events()) {
            if (t.reset) {
                break;
            }
            if (e.reset()) {
                t.reset(e.micros(), endpointIsClient);
            } else if (e.fin()) {
                t.fin(e.micros(), e.fromDevice());
            } else {
                t.data(e.micros(), e.fromDevice(), e.data());
            }
        }
        return t.frames;
    }

    private void handshake(long t) {
        byte[] options = {2, 4, (byte) (MSS >> 8), (byte) MSS, 1, 3, 3, WINDOW_SHIFT};
        emit(t, true, SYN, clientSeq, 0, options, null, 0, 0, 65535);
        clientSeq = inc(clientSeq, 1);
        emit(t, false, SYN | ACK, serverSeq, clientSeq, options, null, 0, 0, 65535);
        serverSeq = inc(serverSeq, 1);
        emit(t, true, ACK, clientSeq, serverSeq, null, null, 0, 0, WINDOW);
    }

    private void data(long t, boolean fromClient, byte[] data) {
        if (fromClient ? clientFin : serverFin) {
            return;  // nothing follows a FIN on its side
        }
        for (int off = 0; off < data.length; off += MSS) {
            int len = Math.min(MSS, data.length - off);
            int flags = ACK | (off + len == data.length ? PSH : 0);
            if (fromClient) {
                emit(t, true, flags, clientSeq, serverSeq, null, data, off, len, WINDOW);
                clientSeq = inc(clientSeq, len);
            } else {
                emit(t, false, flags, serverSeq, clientSeq, null, data, off, len, WINDOW);
                serverSeq = inc(serverSeq, len);
            }
        }
        ack(t, !fromClient);
    }

    private void fin(long t, boolean fromClient) {
        if (fromClient ? clientFin : serverFin) {
            return;
        }
        if (fromClient) {
            emit(t, true, FIN | ACK, clientSeq, serverSeq, null, null, 0, 0, WINDOW);
            clientSeq = inc(clientSeq, 1);
            clientFin = true;
        } else {
            emit(t, false, FIN | ACK, serverSeq, clientSeq, null, null, 0, 0, WINDOW);
            serverSeq = inc(serverSeq, 1);
            serverFin = true;
        }
        ack(t, !fromClient);
    }

    /** The endpoint resets the connection (a cut, an unreachable upstream, an I/O error, a peer gone). */
    private void reset(long t, boolean fromClient) {
        if (fromClient) {
            emit(t, true, RST | ACK, clientSeq, serverSeq, null, null, 0, 0, 0);
        } else {
            emit(t, false, RST | ACK, serverSeq, clientSeq, null, null, 0, 0, 0);
        }
        reset = true;
    }

    private void ack(long t, boolean fromClient) {
        if (fromClient) {
            emit(t, true, ACK, clientSeq, serverSeq, null, null, 0, 0, WINDOW);
        } else {
            emit(t, false, ACK, serverSeq, clientSeq, null, null, 0, 0, WINDOW);
        }
    }

    private void emit(long t, boolean fromClient, int flags, long seq, long ack, byte[] options, byte[] data, int off,
                      int len, int window) {
        Host src = fromClient ? client : server;
        Host dst = fromClient ? server : client;
        int optLen = options == null ? 0 : options.length;
        int tcpLen = 20 + optLen + len;
        int ipLen = 20 + tcpLen;
        ByteBuffer f = ByteBuffer.allocate(14 + ipLen);
        f.put(dst.mac()).put(src.mac()).putShort((short) 0x0800);
        int ip = f.position();
        int ipId = fromClient ? clientIpId++ : serverIpId++;
        f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) ipId).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(src.ip()).put(dst.ip());
        f.putShort(ip + 10, (short) checksum(f.array(), ip, 20, 0));
        int tcp = f.position();
        f.putShort((short) src.port()).putShort((short) dst.port()).putInt((int) seq).putInt((int) ack)
                .put((byte) (((20 + optLen) / 4) << 4)).put((byte) flags).putShort((short) window)
                .putShort((short) 0).putShort((short) 0);
        if (options != null) {
            f.put(options);
        }
        if (len > 0) {
            f.put(data, off, len);
        }
        long pseudo = sum(src.ip()) + sum(dst.ip()) + 6 + tcpLen;
        f.putShort(tcp + 16, (short) checksum(f.array(), tcp, tcpLen, pseudo));
        frames.add(new Frame(t, f.array()));
    }

    private static long sum(byte[] ip) {
        return ((ip[0] & 0xFF) << 8 | (ip[1] & 0xFF)) + ((ip[2] & 0xFF) << 8 | (ip[3] & 0xFF));
    }

    /** The Internet checksum (RFC 1071) of {@code len} bytes at {@code off}, plus {@code initial}. */
    static int checksum(byte[] b, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xFF) << 8 | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static long inc(long seq, int n) {
        return (seq + n) & 0xFFFF_FFFFL;
    }
}
