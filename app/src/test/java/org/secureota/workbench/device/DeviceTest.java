package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.Waits;
import org.secureota.workbench.firmware.OtaState;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class DeviceTest {

    static final String BOOT_V1 = "@ota1 {\"ev\":\"boot\",\"slot\":\"ota_0\",\"label\":\"app0\",\"version\":\"1.0.0\","
            + "\"secure_version\":1,\"project\":\"shop-display\",\"reset_reason\":\"poweron\",\"state\":\"valid\","
            + "\"min_secure_version\":0,\"provisioned\":true,\"device_id\":\"esp32-lab-01\"}";
    static final String BOOT_V2_PENDING = "@ota1 {\"ev\":\"boot\",\"slot\":\"ota_1\",\"label\":\"app1\",\"version\":\"2.0.0\","
            + "\"secure_version\":1,\"project\":\"shop-display\",\"reset_reason\":\"sw\",\"state\":\"pending_verify\","
            + "\"min_secure_version\":1,\"provisioned\":true,\"device_id\":\"esp32-lab-01\"}";

    final TelemetryCodec codec = new TelemetryCodec();
    final Device device = new Device("/dev/ttyUSB0");

    void feed(String... lines) {
        for (String l : lines) {
            device.apply(codec.decode(l));
        }
    }

    @Test
    void aBootFillsTheRunningImageAndTheIdReplacesThePortName() {
        assertThat(device.snapshot().journalId()).isEqualTo("/dev/ttyUSB0");
        feed("I (boot) loaded app 'shop-display' 1.0.0", BOOT_V1);
        DeviceSnapshot s = device.snapshot();
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(s.runningSlot()).isEqualTo("ota_0");
        assertThat(s.runningLabel()).isEqualTo("app0");
        assertThat(s.secureVersion()).isEqualTo(1);
        assertThat(s.resetReason()).isEqualTo("poweron");
        assertThat(s.provisioned()).isTrue();
        assertThat(s.deviceId()).isEqualTo("esp32-lab-01");
        assertThat(s.journalId()).isEqualTo("esp32-lab-01");
        assertThat(s.boots()).isEqualTo(1);
    }

    @Test
    void partitionsLcdLedVerdictAndErrorsLandInTheModel() {
        feed(BOOT_V1, TelemetryCodecTest.PARTITIONS,
                "@ota1 {\"ev\":\"lcd\",\"rows\":[\"SHOP DISPLAY    \",\"v1.0.0          \"],\"cells\":[],\"cgram\":[]}",
                "@ota1 {\"ev\":\"led\",\"mode\":\"blink\",\"period_ms\":1000,\"duty\":50}",
                "@ota1 {\"ev\":\"ota\",\"phase\":\"download\",\"bytes\":4096,\"total\":8192}",
                "@ota1 {\"ev\":\"ota\",\"phase\":\"verdict\",\"code\":\"HASH_MISMATCH\",\"detail\":\"d\",\"version\":\"2.0.0\"}",
                "@ota1 {\"ev\":\"error\",\"code\":\"BAD_COMMAND\",\"message\":\"what?\"}",
                "@ota1 {\"ev\":\"heartbeat\",\"uptime_ms\":5000,\"version\":\"1.0.0\",\"state\":\"valid\"}");
        DeviceSnapshot s = device.snapshot();
        assertThat(s.slots()).hasSize(2);
        assertThat(s.slot("app0")).hasValueSatisfying(slot -> assertThat(slot.running()).isTrue());
        assertThat(s.slot("ota_1")).hasValueSatisfying(slot -> assertThat(slot.image().valid()).isFalse());
        assertThat(s.otadata()).hasSize(2);
        assertThat(s.partitions()).hasSize(5);
        assertThat(s.lcd().rows()).containsExactly("SHOP DISPLAY    ", "v1.0.0          ");
        assertThat(s.led()).isEqualTo(new LedPattern(LedPattern.Mode.BLINK, 1000, 50, 0, 0));
        assertThat(s.lastProgress().bytes()).isEqualTo(4096);
        assertThat(s.lastVerdictCode()).contains("HASH_MISMATCH");
        assertThat(s.lastError().code()).isEqualTo("BAD_COMMAND");
        assertThat(s.uptimeMs()).isEqualTo(5000);
    }

    @Test
    void aStatusReportIsNotANewBootButARealRebootIs() {
        feed(BOOT_V1, "@ota1 {\"ev\":\"selftest\",\"passed\":true,\"detail\":\"all checks passed\"}");
        feed("@ota1 {\"ev\":\"ack\",\"cmd\":\"status\"}", BOOT_V1);
        assertThat(device.snapshot().boots()).isEqualTo(1);
        assertThat(device.snapshot().selfTest().passed()).as("a status report keeps this boot's self-test").isTrue();

        feed("@ota1 {\"ev\":\"ota\",\"phase\":\"verdict\",\"code\":\"UPDATED\",\"detail\":\"d\",\"version\":\"2.0.0\"}",
                "@ota1 {\"ev\":\"ack\",\"cmd\":\"reboot\"}", BOOT_V2_PENDING);
        DeviceSnapshot s = device.snapshot();
        assertThat(s.boots()).isEqualTo(2);
        assertThat(s.version()).isEqualTo("2.0.0");
        assertThat(s.runningState()).isEqualTo(OtaState.PENDING_VERIFY);
        assertThat(s.selfTest()).as("a new boot has not run its self-test yet").isNull();
        assertThat(s.lastVerdictCode()).as("why the device rebooted stays visible").contains("UPDATED");
    }

    @Test
    void aResetBetweenAStatusAckAndItsReportStillCountsAsABoot() {
        String announced = BOOT_V1.replace("}", ",\"status_report\":false}");
        String report = BOOT_V1.replace("}", ",\"status_report\":true}");
        feed(announced);
        // The ack arrived, then the board was reset before it could send the report: the next boot
        // line announces a boot, and the device says so.
        feed("@ota1 {\"ev\":\"ack\",\"cmd\":\"status\"}", announced.replace("poweron", "ext"));
        assertThat(device.snapshot().boots()).isEqualTo(2);
        assertThat(device.snapshot().resetReason()).isEqualTo("ext");
        feed("@ota1 {\"ev\":\"ack\",\"cmd\":\"status\"}", report);
        assertThat(device.snapshot().boots()).as("a marked status report is not a boot").isEqualTo(2);
    }

    @Test
    void anAppConfirmingItselfUpdatesTheRunningStateAndItsSlot() {
        String slots = TelemetryCodecTest.PARTITIONS.replace("\"slot\":\"ota_1\",\"offset\":1376256,\"size\":1310720,"
                + "\"state\":\"undefined\",\"running\":false", "\"slot\":\"ota_1\",\"offset\":1376256,\"size\":1310720,"
                + "\"state\":\"pending_verify\",\"running\":true");
        feed(BOOT_V2_PENDING, slots, "@ota1 {\"ev\":\"app_state\",\"slot\":\"ota_1\",\"state\":\"valid\"}");
        assertThat(device.snapshot().runningState()).isEqualTo(OtaState.VALID);
        assertThat(device.snapshot().slot("ota_1")).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(OtaState.VALID));
        assertThat(device.snapshot().slot("ota_0")).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(OtaState.VALID));
    }

    @Test
    void humanAndIgnoredLinesChangeNothing() {
        feed(BOOT_V1);
        DeviceSnapshot before = device.snapshot();
        feed("random log", "@ota2 {\"ev\":\"boot\"}", "@ota1 {broken", "@ota1 {\"ev\":\"new_thing\"}");
        assertThat(device.snapshot()).isSameAs(before);
    }

    @Test
    void transitionsAreCompareAndSetAndListenersSeeEveryChangeInOrder() throws InterruptedException {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        device.addListener((before, after) -> seen.add(before.connection() + "->" + after.connection()));
        assertThat(device.transition(ConnectionState.DISCONNECTED, ConnectionState.CONNECTING)).isTrue();
        assertThat(device.transition(ConnectionState.DISCONNECTED, ConnectionState.CONNECTED))
                .as("not in the 'from' state: nothing happens").isFalse();
        assertThat(device.transition(ConnectionState.CONNECTING, ConnectionState.CONNECTED)).isTrue();
        feed(BOOT_V1);
        awaitSize(seen, 3);
        assertThat(seen).containsExactly("DISCONNECTED->CONNECTING", "CONNECTING->CONNECTED", "CONNECTED->CONNECTED");
    }

    @Test
    void listenersRunOffTheChangingThreadOutsideTheLockAndABlockedOneHoldsNothingUp() throws Exception {
        Thread caller = Thread.currentThread();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        device.addListener((before, after) -> {
            seen.add((Thread.currentThread() == caller ? "caller" : "listener thread") + " " + after.version());
            // Reading the model from another thread would deadlock if this ran under the model's lock.
            java.util.concurrent.CompletableFuture.supplyAsync(device::snapshot).join();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        device.setState(ConnectionState.CONNECTED);
        feed(BOOT_V1);   // returns although the listener is blocked on the first change
        assertThat(device.snapshot().version()).isEqualTo("1.0.0");
        release.countDown();
        awaitSize(seen, 2);
        assertThat(seen).containsExactly("listener thread null", "listener thread 1.0.0");
    }

    private static void awaitSize(List<String> seen, int n) throws InterruptedException {
        Waits.until(() -> seen.size() >= n, Duration.ofSeconds(10), n + " lines");
    }

    @Test
    void awaitReturnsWhenAnotherThreadMakesTheConditionTrue() throws Exception {
        Thread feeder = new Thread(() -> {
            device.setState(ConnectionState.CONNECTED);
            feed(BOOT_V1);
        });
        feeder.start();
        DeviceSnapshot s = device.await(d -> "1.0.0".equals(d.version()), Duration.ofSeconds(30), "V1 boot");
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(device.awaitState(ConnectionState.CONNECTED, Duration.ofSeconds(30)).connection())
                .isEqualTo(ConnectionState.CONNECTED);
        feeder.join();
    }

    @Test
    void aTimedOutAwaitSaysWhatItWaitedFor() {
        assertThatThrownBy(() -> device.await(d -> d.boots() > 0, Duration.ofMillis(20), "first boot"))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("no first boot within 20 ms")
                .hasMessageContaining("/dev/ttyUSB0");
    }
}
