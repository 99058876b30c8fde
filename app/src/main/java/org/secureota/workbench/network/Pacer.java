package org.secureota.workbench.network;

/** Holds a byte stream to a rate: {@link #pace} sleeps until the bytes sent so far are due. */
final class Pacer {

    private final long bytesPerSecond;
    private final long startNanos = System.nanoTime();
    private long sent;

    Pacer(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Accounts for {@code bytes} about to be sent and waits until they are due at this rate. */
    void pace(long bytes) throws InterruptedException {
        sent += bytes;
        long dueNanos = startNanos + sent * 1_000_000_000L / bytesPerSecond;
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
        }
    }
}
