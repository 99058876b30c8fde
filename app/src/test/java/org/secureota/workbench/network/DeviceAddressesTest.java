package org.secureota.workbench.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** One loopback address per device, handed out in order, and the way back from an address to its device. */
@Tag("unit")
class DeviceAddressesTest {

    @Test
    void eachDeviceGetsItsOwnAddressAndKeepsIt() throws Exception {
        DeviceAddresses a = DeviceAddresses.assume(true);
        assertThat(a.assign("seat-01")).hasValueSatisfying(ip -> assertThat(ip.getHostAddress()).isEqualTo("127.0.1.1"));
        assertThat(a.assign("seat-02")).hasValueSatisfying(ip -> assertThat(ip.getHostAddress()).isEqualTo("127.0.1.2"));
        assertThat(a.assign("seat-01")).hasValueSatisfying(ip -> assertThat(ip.getHostAddress()).isEqualTo("127.0.1.1"));
        assertThat(a.deviceAt(InetAddress.getByName("127.0.1.2"))).contains("seat-02");
        assertThat(a.deviceAt(InetAddress.getByName("127.0.0.1"))).isEmpty();
        for (int i = 3; i <= 255; i++) {
            a.assign("seat-" + i);
        }
        // .255 and .0 are skipped: the 255th device is 127.0.2.1.
        assertThat(a.assign("seat-255")).hasValueSatisfying(ip -> assertThat(ip.getHostAddress()).isEqualTo("127.0.2.1"));
    }

    @Test
    void whereOnly127001RoutesNoDeviceGetsAnAddress() {
        DeviceAddresses a = DeviceAddresses.assume(false);
        assertThat(a.routed()).isFalse();
        assertThat(a.assign("seat-01")).isEmpty();
    }

    @Test
    void linuxRoutesTheWholeLoopbackNetwork() {
        // The build machines and CI run Linux, where 127.0.0.0/8 is all loopback.
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(DeviceAddresses.detect().routed()).isTrue();
        }
    }
}
