package org.secureota.workbench.network;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A session's capture as one pcapng file that Wireshark decrypts on its own: the endpoint's recorded
 * connections ({@link CaptureRecorder#FILE}) as synthesised Ethernet/IPv4/TCP packets, and the devices'
 * TLS key logs ({@code <device>/}{@link #KEY_LOG_FILE}) in a Decryption Secrets Block before them.
 *
 * <p>Addresses: the endpoint (what every device connects to) is {@code 10.0.0.1} at its real port; the
 * devices, in the order of their names, are {@code 10.0.1.1}, {@code 10.0.1.2}, ... at their real source
 * ports. A connection belongs to the device whose key log holds the client random of its ClientHello
 * (the board writes it as a comment when it says hello, so a refused handshake is placed too);
 * a connection no key log names is shown from {@code 10.0.2.1}.
 *
 * <p>The attacker's own leg of a connection (to a look-alike server, or to the lab server on a stream a
 * fault acts on, with the bytes as the server sent them) goes from the endpoint {@code 10.0.0.1} to
 * {@code 10.0.0.2} (the lab server) or {@code 10.0.3.1} (any other upstream), at the real ports.
 */
public final class CaptureExport {

    /** Each virtual board's key log, in its folder of the session. */
    public static final String KEY_LOG_FILE = "tls-keys.log";
    /** The comment a board writes for each ClientHello it sends: {@code # CLIENT_HELLO <client random>}. */
    static final String HELLO = "# CLIENT_HELLO ";
    static final byte[] ENDPOINT_IP = {10, 0, 0, 1};
    static final byte[] UNKNOWN_IP = {10, 0, 2, 1};
    /** The upstream of an attacker's leg: the lab server, or anything else (a look-alike server). */
    static final byte[] LAB_SERVER_IP = {10, 0, 0, 2};
    static final byte[] OTHER_UPSTREAM_IP = {10, 0, 3, 1};
    /** The name session endpoints give the lab's OTA server (LabSession). */
    static final String LAB_SERVER = "lab server";

    /** What was written. */
    public record Result(int connections, int packets, int devices, int keyLogLines, int unplaced, boolean truncated) {
    }

    private CaptureExport() {
    }

    /** Whether {@code sessionDir} holds a capture. */
    public static boolean hasCapture(Path sessionDir) {
        return Files.isRegularFile(sessionDir.resolve(CaptureRecorder.FILE));
    }

    /** Writes {@code out} (atomically) from the capture and key logs of {@code sessionDir}. */
    public static Result export(Path sessionDir, Path out) throws IOException {
        Path streams = sessionDir.resolve(CaptureRecorder.FILE);
        if (!Files.isRegularFile(streams)) {
            throw new IOException("no capture in " + sessionDir + " (no " + CaptureRecorder.FILE
                    + "): the session ran without --capture, or before captures existed");
        }
        CaptureReader.Result read = CaptureReader.read(streams);
        // Device name -> its key log lines; client random -> device name.
        Map<String, List<String>> keyLogs = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(sessionDir)) {
            for (Path d : dirs.sorted().toList()) {
                Path log = d.resolve(KEY_LOG_FILE);
                if (Files.isRegularFile(log)) {
                    keyLogs.put(d.getFileName().toString(), Files.readAllLines(log, StandardCharsets.US_ASCII));
                }
            }
        }
        Map<String, String> deviceOfRandom = new HashMap<>();
        Map<String, Integer> deviceIndex = new HashMap<>();
        StringBuilder secrets = new StringBuilder();
        int keyLines = 0;
        for (Map.Entry<String, List<String>> e : keyLogs.entrySet()) {
            deviceIndex.put(e.getKey(), deviceIndex.size() + 1);
            for (String line : e.getValue()) {
                String[] w = line.trim().split(" ");
                if (line.startsWith(HELLO) && w.length == 3) {
                    deviceOfRandom.put(w[2].toLowerCase(Locale.ROOT), e.getKey());
                } else if (!line.startsWith("#") && w.length == 3) {
                    deviceOfRandom.put(w[1].toLowerCase(Locale.ROOT), e.getKey());
                    secrets.append(line.trim()).append('\n');
                    keyLines++;
                }
            }
        }
        List<TcpSynthesis.Frame> frames = new ArrayList<>();
        int unplaced = 0;
        for (CaptureReader.Connection c : read.connections()) {
            if ((c.id() & CaptureRecorder.ATTACK_LEG) != 0) {
                // The attacker's leg: the endpoint's own connection to the upstream.
                byte[] upstream = LAB_SERVER.equals(c.upstreamName()) ? LAB_SERVER_IP : OTHER_UPSTREAM_IP;
                frames.addAll(TcpSynthesis.frames(c, new TcpSynthesis.Host(ENDPOINT_IP, c.devicePort(), mac(ENDPOINT_IP)),
                        new TcpSynthesis.Host(upstream, c.endpointPort(), mac(upstream)), true));
                continue;
            }
            String random = clientRandom(c);
            String device = random == null ? null : deviceOfRandom.get(random);
            byte[] ip;
            if (device == null) {
                ip = UNKNOWN_IP;
                unplaced++;
            } else {
                int i = deviceIndex.get(device);
                ip = new byte[] {10, 0, (byte) (1 + (i - 1) / 250 * 2), (byte) (1 + (i - 1) % 250)};  // skips 10.0.2.x
            }
            TcpSynthesis.Host client = new TcpSynthesis.Host(ip, c.devicePort(), mac(ip));
            TcpSynthesis.Host server = new TcpSynthesis.Host(ENDPOINT_IP, c.endpointPort(), mac(ENDPOINT_IP));
            frames.addAll(TcpSynthesis.frames(c, client, server, false));
        }
        frames.sort(Comparator.comparingLong(TcpSynthesis.Frame::micros));  // stable: each connection keeps its order
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".capture", ".pcapng");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                PcapngWriter w = new PcapngWriter(file);
                w.header("Secure OTA Workbench", "device endpoint " + sessionDir.getFileName());
                if (keyLines > 0) {
                    w.tlsKeyLog(secrets.toString().getBytes(StandardCharsets.US_ASCII));
                }
                for (TcpSynthesis.Frame f : frames) {
                    w.packet(f.micros(), f.bytes());
                }
            }
            Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return new Result(read.connections().size(), frames.size(), keyLogs.size(), keyLines, unplaced,
                read.truncated());
    }

    /** The client random of the ClientHello the device sent first, in lower-case hex, or null. */
    static String clientRandom(CaptureReader.Connection c) {
        for (CaptureReader.Event e : c.events()) {
            if (e.data() != null && e.fromDevice()) {
                byte[] d = e.data();
                // record: type 22, version, length; handshake: type 1, length(3), version(2), random(32)
                if (d.length >= 43 && d[0] == 22 && d[5] == 1) {
                    return HexFormat.of().formatHex(d, 11, 43);
                }
                return null;
            }
        }
        return null;
    }

    private static byte[] mac(byte[] ip) {
        return new byte[] {0x02, 0x00, ip[0], ip[1], ip[2], ip[3]};
    }
}
