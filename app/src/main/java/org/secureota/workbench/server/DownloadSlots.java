package org.secureota.workbench.server;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The download slots of the server: a total, and a share per source address and per device, so that
 * one client that stops reading (or one device that retries in a loop) cannot hold every slot.
 * {@link #tryAcquire} takes all three or none.
 */
final class DownloadSlots {

    /** Why a slot was refused, in words for the 503's message and the journal. */
    enum Refusal {
        SERVER("the server is already serving its maximum of downloads"),
        ADDRESS("this address already has its maximum of downloads in progress"),
        DEVICE("this device already has its maximum of downloads in progress");

        final String description;

        Refusal(String description) {
            this.description = description;
        }
    }

    private final int total;
    private final int perAddress;
    private final int perDevice;
    private final AtomicInteger active = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> byDevice = new ConcurrentHashMap<>();

    DownloadSlots(int total, int perAddress, int perDevice) {
        this.total = total;
        this.perAddress = perAddress;
        this.perDevice = perDevice;
    }

    int active() {
        return active.get();
    }

    int total() {
        return total;
    }

    /** Takes a slot for {@code address} and {@code device} (null for a public download), or says why not. */
    Optional<Refusal> tryAcquire(String address, String device) {
        if (!take(active, total)) {
            return Optional.of(Refusal.SERVER);
        }
        if (!take(byAddress, address, perAddress)) {
            active.decrementAndGet();
            return Optional.of(Refusal.ADDRESS);
        }
        if (device != null && !take(byDevice, device, perDevice)) {
            give(byAddress, address);
            active.decrementAndGet();
            return Optional.of(Refusal.DEVICE);
        }
        return Optional.empty();
    }

    /** Gives back the slot that {@link #tryAcquire} took for the same address and device. */
    void release(String address, String device) {
        if (device != null) {
            give(byDevice, device);
        }
        give(byAddress, address);
        active.decrementAndGet();
    }

    private static boolean take(AtomicInteger counter, int max) {
        while (true) {
            int now = counter.get();
            if (now >= max) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private static boolean take(ConcurrentHashMap<String, AtomicInteger> counters, String key, int max) {
        boolean[] taken = new boolean[1];
        counters.compute(key, (k, c) -> {
            AtomicInteger counter = c == null ? new AtomicInteger() : c;
            if (counter.get() < max) {
                counter.incrementAndGet();
                taken[0] = true;
            }
            return counter.get() == 0 ? null : counter;
        });
        return taken[0];
    }

    private static void give(ConcurrentHashMap<String, AtomicInteger> counters, String key) {
        // Entries at zero are removed, so the maps hold only the addresses and devices downloading now.
        counters.computeIfPresent(key, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }
}
