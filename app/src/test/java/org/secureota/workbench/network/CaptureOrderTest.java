package org.secureota.workbench.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.Journal;

/**
 * The capture keeps a conversation's order: a device that answers the instant the server's bytes reach it
 * (as it does on a resumed TLS session: its Finished and its request within a millisecond of the server's
 * Finished) is never recorded before the bytes it answers. Wireshark decrypts a connection only when its
 * records come in the order they were sent. A strict ping-pong over the real endpoint, one byte each way,
 * a few thousand times: the recorded blocks must alternate exactly. With the bytes to the device recorded
 * after they were written, a pump thread descheduled between the two let the answer in first (seen under
 * CPU load: the image request missing from CaptureTsharkTest's decrypted capture).
 */
@Timeout(120)
@Tag("integration")
class CaptureOrderTest {

    static final int ROUNDS = 3000;

    @TempDir
    Path root;

    @Test
    void anAnswerIsNeverRecordedBeforeWhatItAnswers() throws Exception {
        Path file = root.resolve(CaptureRecorder.FILE);
        try (Journal journal = new Journal();
             ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             DeviceEndpoint endpoint = DeviceEndpoint.start(journal, Upstream.loopback("ping server", server.getLocalPort()));
             CaptureRecorder recorder = CaptureRecorder.create(file)) {
            endpoint.capture(recorder);
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    for (int i = 0; i < ROUNDS; i++) {
                        if (in.read() < 0) {
                            throw new IllegalStateException("the device left after " + i + " rounds");
                        }
                        out.write('s');
                        out.flush();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Socket device = new Socket(java.net.InetAddress.getLoopbackAddress(), endpoint.port())) {
                device.setTcpNoDelay(true);
                InputStream in = device.getInputStream();
                OutputStream out = device.getOutputStream();
                for (int i = 0; i < ROUNDS; i++) {
                    out.write('d');
                    out.flush();
                    assertThat(in.read()).as("the server's answer %d", i).isEqualTo('s');
                }
                serving.get(60, TimeUnit.SECONDS);
            }
        }
        List<CaptureReader.Connection> connections = CaptureReader.read(file).connections();
        assertThat(connections).hasSize(1);
        List<CaptureReader.Event> data = connections.get(0).events().stream().filter(e -> e.data() != null).toList();
        assertThat(data).hasSize(2 * ROUNDS);
        for (int i = 0; i < data.size(); i++) {
            assertThat(data.get(i).fromDevice()).as("block %d of the ping-pong (%s)", i,
                    i % 2 == 0 ? "the device's" : "the server's").isEqualTo(i % 2 == 0);
        }
    }
}
