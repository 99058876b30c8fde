package org.secureota.workbench.journal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The one ordered record of a lab session. Every component appends to it; the timeline, the log
 * table, exports and scenario expectations all read it, so nothing keeps a second history.
 *
 * <p>Appending is thread-safe and assigns gap-free sequence numbers. The optional {@link EventSink}
 * (the session file) is written inside the append, so an event that was appended is on disk even if
 * the process dies next. Subscribers are fed from their own queues and threads, so a slow subscriber
 * never holds up a writer.
 */
public final class Journal implements AutoCloseable {

    /** Receives every event synchronously, in order, while the journal lock is held. */
    @FunctionalInterface
    public interface EventSink {
        void write(JournalEvent event);
    }

    private final Object lock = new Object();
    private final List<JournalEvent> events = new ArrayList<>();
    private final List<JournalSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final long originNanos = System.nanoTime();
    private final EventSink sink;
    private boolean closed;

    public Journal() {
        this(Clock.systemUTC(), null);
    }

    public Journal(EventSink sink) {
        this(Clock.systemUTC(), sink);
    }

    public Journal(Clock clock, EventSink sink) {
        this.clock = clock;
        this.sink = sink;
    }

    public JournalEvent append(Source source, String type, String message) {
        return append(source, null, type, message, Map.of());
    }

    public JournalEvent append(Source source, String deviceId, String type, String message,
                               Map<String, ?> fields) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("journal is closed");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) fields;
            JournalEvent event = new JournalEvent(events.size() + 1L, clock.instant(),
                    System.nanoTime() - originNanos, source, deviceId, type, message, f);
            if (sink != null) {
                sink.write(event);
            }
            events.add(event);
            for (JournalSubscription s : subscriptions) {
                s.offer(event);
            }
            lock.notifyAll();
            return event;
        }
    }

    /** A copy of every event so far, in order. */
    public List<JournalEvent> snapshot() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    public int size() {
        synchronized (lock) {
            return events.size();
        }
    }

    /**
     * Delivers every future event to {@code consumer}, in order, on a thread of its own. With
     * {@code replay}, the events already recorded are delivered first, so a late view misses nothing.
     */
    public JournalSubscription subscribe(String name, boolean replay, Consumer<JournalEvent> consumer) {
        synchronized (lock) {
            JournalSubscription s = new JournalSubscription(name, consumer, subscriptions::remove);
            if (replay) {
                events.forEach(s::offer);
            }
            subscriptions.add(s);
            s.start();
            return s;
        }
    }

    /**
     * Waits until an event matching {@code condition} has been recorded (looking at earlier events
     * too) and returns it, or returns empty after {@code timeout}. Scenario expectations and tests wait
     * on the journal this way instead of sleeping.
     */
    public Optional<JournalEvent> await(Predicate<JournalEvent> condition, Duration timeout)
            throws InterruptedException {
        return awaitAfter(0, condition, timeout);
    }

    /** Like {@link #await}, but only considers events whose sequence number is above {@code afterSeq}. */
    public Optional<JournalEvent> awaitAfter(long afterSeq, Predicate<JournalEvent> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = (int) Math.max(0, afterSeq);
        synchronized (lock) {
            while (true) {
                for (; next < events.size(); next++) {
                    if (condition.test(events.get(next))) {
                        return Optional.of(events.get(next));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return Optional.empty();
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Stops every subscriber after it has drained what it was given. Further appends fail. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        for (JournalSubscription s : subscriptions) {
            s.close();
        }
    }
}
