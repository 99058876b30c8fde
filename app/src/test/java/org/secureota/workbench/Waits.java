package org.secureota.workbench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting on a state instead of sleeping for a guess: a test that sleeps "long enough" fails on a
 * loaded machine and wastes time on a quiet one. Models that can be awaited directly
 * ({@code Device.await}, {@code Journal.await}) should be; this is for the rest.
 */
public final class Waits {

    private static final long POLL_MILLIS = 10;

    private Waits() {
    }

    /** Returns as soon as {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        until(condition, timeout, () -> what);
    }

    /** As above, with a description computed at the failure (for example, what was printed so far). */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + what.get() + ", in vain");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
