package org.secureota.workbench.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's loopback network: one address per virtual device (127.0.1.1, 127.0.1.2, ...), so that the
 * endpoint, the server's per-address limits, the time source and the journal tell the devices of a lab
 * apart, as the addresses of real boards on a Wi-Fi network do. The virtual board binds its sockets to
 * its address ({@code VESP32_LOCAL_ADDRESS}), and the endpoint binds its upstream connection to the same
 * address, so the server sees the device's address too.
 *
 * <p>Linux routes all of 127.0.0.0/8 to the loopback interface; macOS routes only 127.0.0.1 unless
 * aliases were added. {@link #detect()} tries once: where the aliases do not work, no device gets an
 * address of its own ({@link #routed()} is false), everything comes from 127.0.0.1, and the session says
 * so once. The mapping from address to device is this class's; a connection from an address it did not
 * hand out belongs to no device.
 */
public final class DeviceAddresses {

    /** Where devices' addresses start: 127.0.1.1 (127.0.0.x stays the host's own). */
    private static final int FIRST = (127 << 24) | (1 << 8) | 1;
    /** 127.0.1.1 to 127.0.255.254: far more than any lab. */
    static final int MAX_DEVICES = 254 * 255;

    private final boolean routed;
    private final Map<String, InetAddress> byDevice = new LinkedHashMap<>();
    private final Map<InetAddress, String> byAddress = new ConcurrentHashMap<>();

    private DeviceAddresses(boolean routed) {
        this.routed = routed;
    }

    /**
     * Tries whether a socket bound to 127.0.1.254 reaches a listener on 127.0.0.1 here. The system property
     * {@value #FORCE_SHARED} set to {@code true} skips the try and shares 127.0.0.1, as on a system without
     * loopback aliases (to try, or test, that case on Linux).
     */
    public static DeviceAddresses detect() {
        return new DeviceAddresses(!Boolean.getBoolean(FORCE_SHARED) && aliasesRoute());
    }

    /** {@code -Dworkbench.sharedLoopback=true}: behave as where only 127.0.0.1 routes. */
    public static final String FORCE_SHARED = "workbench.sharedLoopback";

    /** Addresses handed out without trying (tests); {@code routed} false gives every device 127.0.0.1. */
    public static DeviceAddresses assume(boolean routed) {
        return new DeviceAddresses(routed);
    }

    static boolean aliasesRoute() {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.1.254"), 0));
            s.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 2_000);
            try (Socket accepted = listener.accept()) {
                return accepted.getInetAddress().getHostAddress().equals("127.0.1.254");
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether each device has a loopback address of its own. */
    public boolean routed() {
        return routed;
    }

    /**
     * The address of {@code deviceId}, handed out on first call (the same one for the session after),
     * or empty where only 127.0.0.1 routes.
     */
    public synchronized Optional<InetAddress> assign(String deviceId) {
        if (!routed) {
            return Optional.empty();
        }
        InetAddress a = byDevice.get(deviceId);
        if (a == null) {
            int n = byDevice.size();
            if (n >= MAX_DEVICES) {
                return Optional.empty();
            }
            // Skip .0 and .255 in each /24: 127.0.1.1 .. 127.0.1.254, then 127.0.2.1 ...
            int ip = FIRST + (n / 254) * 256 + (n % 254);
            try {
                a = InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8),
                        (byte) ip});
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
            byDevice.put(deviceId, a);
            byAddress.put(a, deviceId);
        }
        return Optional.of(a);
    }

    /** The device a connection or datagram from {@code address} comes from, if this lab gave it that address. */
    public Optional<String> deviceAt(InetAddress address) {
        return address == null ? Optional.empty() : Optional.ofNullable(byAddress.get(address));
    }

    /** Whether {@code address} is one this lab handed to a device. */
    public boolean isDevice(InetAddress address) {
        return deviceAt(address).isPresent();
    }
}
