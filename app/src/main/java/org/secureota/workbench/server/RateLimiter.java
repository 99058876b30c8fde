package org.secureota.workbench.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed authentications per source in a sliding window (a source is whatever key the caller
 * counts by: an address, or an address and the device id it claims). Once a source has
 * {@code maxFailures} failures inside the window, every further request from it is refused (429)
 * until the oldest failure leaves the window, so online guessing of API keys is slowed to
 * {@code maxFailures} tries per window whatever the attacker's bandwidth. Successes do not erase
 * failures: a source cannot reset its count by interleaving requests for another, valid device.
 *
 * <p>Memory is bounded: at most {@code maxSources} addresses are tracked, the least recently
 * active one being forgotten first, so a flood of spoofed or distinct sources cannot exhaust the heap.
 */
public final class RateLimiter {

    private final int maxFailures;
    private final Duration window;
    private final int maxSources;
    private final Clock clock;
    private final LinkedHashMap<String, ArrayDeque<Instant>> failures;

    public RateLimiter(int maxFailures, Duration window, Clock clock) {
        this(maxFailures, window, 10_000, clock);
    }

    public RateLimiter(int maxFailures, Duration window, int maxSources, Clock clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || maxSources < 1) {
            throw new IllegalArgumentException("maxFailures and maxSources must be at least 1 and the window positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.maxSources = maxSources;
        this.clock = clock;
        // Access order: the eldest entry is the least recently active source.
        this.failures = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
                return size() > RateLimiter.this.maxSources;
            }
        };
    }

    /** How long {@code source} must wait before it may try again, or empty when it may try now. */
    public synchronized Optional<Duration> blockedFor(String source) {
        ArrayDeque<Instant> times = failures.get(source);
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        expire(times, now);
        if (times.isEmpty()) {
            failures.remove(source);
            return Optional.empty();
        }
        if (times.size() < maxFailures) {
            return Optional.empty();
        }
        // At most maxFailures are kept, so the source is free again when its oldest failure leaves the window.
        Instant freeingFailure = times.peekFirst();
        Duration wait = Duration.between(now, freeingFailure.plus(window));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    /** Records one failed attempt from {@code source}; returns the failures now inside the window. */
    public synchronized int recordFailure(String source) {
        Instant now = clock.instant();
        ArrayDeque<Instant> times = failures.computeIfAbsent(source, s -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        // Never keep more than the limit needs: older failures cannot change the verdict.
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
        return times.size();
    }

    public int maxFailures() {
        return maxFailures;
    }

    public Duration window() {
        return window;
    }

    private void expire(ArrayDeque<Instant> times, Instant now) {
        Instant oldestKept = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldestKept)) {
            times.removeFirst();
        }
    }
}
