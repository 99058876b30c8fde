package org.secureota.workbench.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;

/**
 * Hands items from any thread to the FX thread in batches, at most one batch per pulse: producers
 * only enqueue (never {@code Platform.runLater} per item), and an {@link AnimationTimer} drains the
 * queue once a frame. A flood of 10,000 journal events a second costs 60 small batches, not 10,000
 * runnables, and the FX thread never waits for a producer.
 *
 * @param <T> what is queued (journal events, snapshots)
 */
public final class PulseQueue<T> implements AutoCloseable {

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Consumer<List<T>> consumer;
    private final int maxBatch;
    private long batches;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            drain();
        }
    };

    /**
     * @param maxBatch items handed over in one pulse at most, so one pulse stays short; the rest waits
     *                 for the next pulse
     */
    public PulseQueue(int maxBatch, Consumer<List<T>> consumer) {
        this.maxBatch = maxBatch;
        this.consumer = consumer;
    }

    /** Any thread. */
    public void offer(T item) {
        queue.add(item);
        pending.incrementAndGet();
    }

    /** FX thread. */
    public void start() {
        timer.start();
    }

    /** Drains one batch now (FX thread); the timer calls it once a pulse. */
    void drain() {
        if (pending.get() == 0) {
            return;
        }
        List<T> batch = new ArrayList<>(Math.min(maxBatch, pending.get()));
        T item;
        while (batch.size() < maxBatch && (item = queue.poll()) != null) {
            batch.add(item);
        }
        pending.addAndGet(-batch.size());
        if (!batch.isEmpty()) {
            batches++;
            consumer.accept(batch);
        }
    }

    /** Batches handed over so far. */
    public long batches() {
        return batches;
    }

    public int backlog() {
        return pending.get();
    }

    @Override
    public void close() {
        timer.stop();
    }
}
