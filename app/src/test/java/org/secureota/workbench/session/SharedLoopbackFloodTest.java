package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.network.DeviceAddresses;

/**
 * Where only 127.0.0.1 routes (forced here with {@code -Dworkbench.sharedLoopback=true}, as on macOS
 * without loopback aliases), every device and any other local program share one address. Each virtual
 * device then reaches the endpoint on a port of its own, and the server counts what the endpoint forwards
 * per device: a flood of idle connections from 127.0.0.1 straight to the server and to the endpoint's main
 * port takes 127.0.0.1's share, and the devices still update.
 */
@Timeout(600)
@Tag("e2e")
class SharedLoopbackFloodTest {

    static final int DEVICES = 3;

    @TempDir
    Path root;

    @Test
    void aFloodFrom127001DoesNotLockOutDevicesThatShareItsAddress() throws Exception {
        SessionTestSupport.requireBoard();
        System.setProperty(DeviceAddresses.FORCE_SHARED, "true");
        LabSession opened;
        try {
            opened = LabSession.openAndWait(SessionTestSupport.options(root));
        } finally {
            System.clearProperty(DeviceAddresses.FORCE_SHARED);
        }
        try (LabSession session = opened) {
            assertThat(session.addresses().routed()).isFalse();
            assertThat(session.journal().events(EventType.SESSION_ADDRESSES, null, 0)).singleElement()
                    .satisfies(e -> assertThat(e.fields()).containsEntry("per_device", false));
            List<LabDevice> devices = new ArrayList<>();
            for (int i = 1; i <= DEVICES; i++) {
                devices.add(LabSession.join(session.createVirtualDevice("seat-0" + i, LabSessionDefaults.PRODUCT,
                        VirtualDeviceOptions.factoryFreshV1())));
            }
            for (LabDevice d : devices) {
                d.model().await(SessionTestSupport::v1Running, WAIT, "V1 running on " + d.id());
            }
            Set<String> urls = devices.stream().map(d -> session.deviceUrl(d.id())).collect(Collectors.toSet());
            assertThat(urls).as("one endpoint port per device").hasSize(DEVICES).doesNotContain(session.deviceUrl());

            // The flood, from the devices' own address: idle sockets straight to the server (more than its 16
            // per address) and to the endpoint's main port (more than its 32 per address), renewed as the
            // deadlines close them, all through the update.
            int serverPort = session.server().port();
            int endpointPort = session.endpoint().port();
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger opens = new AtomicInteger();
            java.util.Deque<Socket> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
            java.util.Map<Socket, Long> openedAt = new java.util.concurrent.ConcurrentHashMap<>();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                while (flooding.get()) {
                    // Past both deadlines (10 s) the other end has closed them: let them go, keep knocking.
                    while (!idle.isEmpty() && System.nanoTime() - openedAt.get(idle.peekFirst()) > 12_000_000_000L) {
                        Socket old = idle.pollFirst();
                        openedAt.remove(old);
                        try {
                            old.close();
                        } catch (IOException ignored) {
                            // gone already
                        }
                    }
                    for (int port : new int[] {serverPort, endpointPort}) {
                        for (int i = 0; i < 10 && flooding.get(); i++) {
                            try {
                                Socket s = rawConnect(port);
                                openedAt.put(s, System.nanoTime());
                                idle.addLast(s);
                                opens.incrementAndGet();
                            } catch (IOException refused) {
                                // refused at once: the flood keeps knocking
                            }
                        }
                    }
                    try {
                        Thread.sleep(500); // not a wait: the flood's pace between two rounds of 20 sockets
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long mark = session.journal().size();
            try {
                // The flood has taken 127.0.0.1's share at the server and at the endpoint before the check.
                assertThat(session.journal().awaitAfter(0, e -> EventType.SERVER_CONNECTION_LIMIT.is(e)
                        && "127.0.0.1".equals(e.fields().get("remote")) && e.deviceId() == null, WAIT)).isPresent();
                assertThat(session.journal().awaitAfter(0, e -> EventType.CONNECTION_REFUSED.is(e)
                        && "127.0.0.1".equals(e.fields().get("remote")), WAIT)).isPresent();
                LabSession.join(session.deploy(LabSessionDefaults.PRODUCT, "2.0.0"));
                session.checkAll().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                for (LabDevice d : devices) {
                    d.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT,
                            "V2 confirmed on " + d.id() + " during the flood from 127.0.0.1");
                }
            } finally {
                flooding.set(false);
                flood.get(60, TimeUnit.SECONDS);
                for (Socket s : idle) {
                    s.close();
                }
            }
            System.out.println("shared loopback flood: " + opens.get() + " idle sockets opened from 127.0.0.1");
            List<JournalEvent> verdicts = session.journal().events(EventType.OTA_VERDICT, null, mark);
            assertThat(verdicts).extracting(JournalEvent::deviceId).containsExactlyInAnyOrder("seat-01", "seat-02", "seat-03");
            assertThat(verdicts).allSatisfy(e -> assertThat(e.fields().get("code")).isEqualTo("UPDATED"));
            // The server never refused a device's connection: refusals were 127.0.0.1's own share.
            assertThat(session.journal().events(EventType.SERVER_CONNECTION_LIMIT, null, 0))
                    .isNotEmpty().allSatisfy(e -> assertThat(e.deviceId()).isNull());
            // Every request of the devices came through their doors and was answered below 400.
            List<JournalEvent> deviceRequests = session.journal().events(EventType.HTTP_REQUEST, null, mark).stream()
                    .filter(e -> e.deviceId() != null).toList();
            assertThat(deviceRequests).isNotEmpty().allSatisfy(e -> assertThat(((Number) e.fields().get("status"))
                    .intValue()).isLessThan(400));
            assertThat(session.journal().events(EventType.CONNECTION_OPENED, null, mark).stream()
                    .map(JournalEvent::deviceId).filter(java.util.Objects::nonNull).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("seat-01", "seat-02", "seat-03");
        }
    }

    private static Socket rawConnect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        return s;
    }
}
