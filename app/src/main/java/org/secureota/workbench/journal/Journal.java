package org.secureota.workbench.journal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *
 * <p>Memory is bounded: it holds the last {@link #window()} events (default
 * {@value #DEFAULT_WINDOW}) and, per event type and per device, the last
 * {@value #INDEX_KEPT} events of that key, so that a rare event (a boot) stays at hand during a
 * flood of another (requests). The file is complete: {@link #read} and {@link #events} read older
 * events back from it when the sink is an {@link EventStore}.
 *
 * <p>Disk is bounded too, by a {@link #budget(long) budget} on the file's size (the session's default
 * is {@value #DEFAULT_BUDGET} bytes). Once the file reaches it, one {@code journal.budget_reached} event
 * says so, and from then on low-value events (see {@link #lowValue}: what a flood of refused requests,
 * failed key checks, SNTP queries or stray connections produces, none of it tied to a lab device) are
 * counted instead of appended, and summarised by type in a {@code journal.summary} every 10 s at most
 * and at close. Everything else is still appended, so nothing a device or a script needs is lost, and
 * the sequence numbers stay gap-free.
 */
public final class Journal implements AutoCloseable {

    public static final int DEFAULT_WINDOW = 100_000;
    /** A session journal's default disk budget: 1 GiB. */
    public static final long DEFAULT_BUDGET = 1L << 30;
    private static final long SUMMARY_EVERY_NS = 10_000_000_000L;
    private static final java.util.Set<String> LOW_VALUE = java.util.Set.of("http.request", "server.auth",
            "server.slow_client", "server.connection_limit", "time.query", "time.ignored",
            "network.connection_opened", "network.connection_closed", "network.connection_refused");
    /** Events kept per type and per device beyond the window. */
    public static final int INDEX_KEPT = 1_000;

    /** Receives every event synchronously, in order, while the journal lock is held. */
    @FunctionalInterface
    public interface EventSink {
        void write(JournalEvent event);

        /** Bytes written so far, for the budget; -1 when the sink does not know. */
        default long bytesWritten() {
            return -1;
        }
    }

    /** A sink that can give events back: the session file. */
    public interface EventStore extends EventSink {
        /** The events with {@code fromSeq <= seq <= toSeq}, in order, as written. */
        List<JournalEvent> read(long fromSeq, long toSeq);
    }

    private final Object lock = new Object();
    private final ArrayDeque<JournalEvent> window = new ArrayDeque<>();
    private final Map<String, Index> byType = new HashMap<>();
    private final Map<String, Index> byDevice = new HashMap<>();
    private final List<JournalSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final long originNanos = System.nanoTime();
    private final EventSink sink;
    private final int windowSize;
    private long size;
    private boolean closed;
    private long budget = Long.MAX_VALUE;
    private boolean budgetReached;
    private final Map<String, Long> leftOut = new java.util.TreeMap<>();
    private long leftOutTotal;
    private long lastSummary = System.nanoTime();

    public Journal() {
        this(Clock.systemUTC(), null);
    }

    public Journal(EventSink sink) {
        this(Clock.systemUTC(), sink);
    }

    public Journal(Clock clock, EventSink sink) {
        this(clock, sink, DEFAULT_WINDOW);
    }

    /** @param windowSize how many of the latest events memory holds (at least 1) */
    public Journal(Clock clock, EventSink sink, int windowSize) {
        if (windowSize < 1) {
            throw new IllegalArgumentException("a journal window holds at least 1 event, not " + windowSize);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = sink;
        this.windowSize = windowSize;
    }

    /**
     * Caps the file at about {@code bytes}: past it, low-value events are counted and summarised instead
     * of written (see the class comment). Long.MAX_VALUE: no budget.
     */
    public void budget(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a journal budget is at least 1 byte, not " + bytes);
        }
        synchronized (lock) {
            budget = bytes;
        }
    }

    /** Whether the file reached its budget (low-value events are being summarised). */
    public boolean budgetReached() {
        synchronized (lock) {
            return budgetReached;
        }
    }

    /**
     * What a flood produces and nobody needs one by one once the budget is reached: requests, key checks,
     * SNTP queries and endpoint connections that belong to no lab device (an event with a device is kept).
     */
    static boolean lowValue(String type, String deviceId) {
        return deviceId == null && LOW_VALUE.contains(type);
    }

    /** Appends an event of a catalogued type; its source is the type's. Fails once the journal is closed. */
    public JournalEvent append(EventType type, String deviceId, String message, Map<String, ?> fields) {
        return append(type.source(), deviceId, type.wireName(), message, fields);
    }

    /**
     * Appends unless the journal is closed. For threads that may outlive the session (a board's last
     * words, a request finishing during shutdown): they lose nothing anybody still records.
     */
    public Optional<JournalEvent> tryAppend(EventType type, String deviceId, String message, Map<String, ?> fields) {
        synchronized (lock) {
            if (closed) {
                return Optional.empty();
            }
            return Optional.of(append(type, deviceId, message, fields));
        }
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Transition overload: types outside {@link EventType} (scenario files, old readers). Prefer the typed one. */
    public JournalEvent append(Source source, String type, String message) {
        return append(source, null, type, message, Map.of());
    }

    /** Transition overload: prefer {@link #append(EventType, String, String, Map)}. */
    public JournalEvent append(Source source, String deviceId, String type, String message,
                               Map<String, ?> fields) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("journal is closed");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) fields;
            if (budget != Long.MAX_VALUE && sink != null && lowValue(type, deviceId) && overBudget()) {
                leftOut.merge(type, 1L, Long::sum);
                leftOutTotal++;
                if (System.nanoTime() - lastSummary >= SUMMARY_EVERY_NS) {
                    summarise();
                }
                // Not recorded: seq 0 says so to the (rare) caller that looks.
                return new JournalEvent(0, clock.instant(), System.nanoTime() - originNanos, source, deviceId, type,
                        message, f);
            }
            JournalEvent event = new JournalEvent(size + 1, clock.instant(),
                    System.nanoTime() - originNanos, source, deviceId, type, message, f);
            if (sink != null) {
                sink.write(event);
            }
            size++;
            window.addLast(event);
            if (window.size() > windowSize) {
                window.removeFirst();
            }
            byType.computeIfAbsent(type, k -> new Index()).add(event);
            if (deviceId != null) {
                byDevice.computeIfAbsent(deviceId, k -> new Index()).add(event);
            }
            for (JournalSubscription s : subscriptions) {
                s.offer(event);
            }
            lock.notifyAll();
            return event;
        }
    }

    /** Whether the budget is reached; the first time, journals {@code journal.budget_reached}. Under the lock. */
    private boolean overBudget() {
        if (budgetReached) {
            return true;
        }
        long used = sink.bytesWritten();
        if (used < budget) {
            return false;
        }
        budgetReached = true;
        lastSummary = System.nanoTime();
        append(EventType.JOURNAL_BUDGET_REACHED, null, "the journal reached its disk budget of " + budget + " bytes ("
                + used + " written): from now on refused requests, failed key checks, SNTP queries and connections"
                + " that belong to no device are counted and summarised, not written one by one",
                Map.of("budget_bytes", budget, "bytes", used));
        return true;
    }

    /** Journals the counts of the events left out since the last summary. Under the lock. */
    private void summarise() {
        if (leftOutTotal == 0) {
            return;
        }
        Map<String, Object> counts = new LinkedHashMap<>(leftOut);
        long total = leftOutTotal;
        leftOut.clear();
        leftOutTotal = 0;
        lastSummary = System.nanoTime();
        append(EventType.JOURNAL_SUMMARY, null, total + " low-value events left out (journal budget reached): " + counts,
                Map.of("counts", counts, "total", total));
    }

    /** The in-memory tail: the latest events, at most the window size, in order. */
    public List<JournalEvent> window() {
        synchronized (lock) {
            return List.copyOf(window);
        }
    }

    /**
     * The in-memory tail. Kept while callers move to {@link #window()} and {@link #read}; it is no
     * longer "every event" once the session outgrows the window.
     */
    @Deprecated
    public List<JournalEvent> snapshot() {
        return window();
    }

    /** Every event appended so far, including those only on file now. */
    public long size() {
        synchronized (lock) {
            return size;
        }
    }

    public int windowSize() {
        return windowSize;
    }

    /**
     * The events with {@code fromSeq <= seq <= toSeq} (clamped to what exists), in order, from memory
     * when it still holds them, else from the session file.
     *
     * @throws IllegalStateException when they left memory and the journal has no file to read back
     */
    public List<JournalEvent> read(long fromSeq, long toSeq) {
        long from = Math.max(1, fromSeq);
        long first;
        long to;
        synchronized (lock) {
            to = Math.min(toSeq, size);
            if (from > to) {
                return List.of();
            }
            first = window.isEmpty() ? size + 1 : window.peekFirst().seq();
            if (from >= first) {
                return inWindow(from, to);
            }
        }
        List<JournalEvent> out = new ArrayList<>(fromFile(from, Math.min(to, first - 1)));
        if (to >= first) {
            synchronized (lock) {
                out.addAll(inWindow(first, to));
            }
        }
        return out;
    }

    private List<JournalEvent> inWindow(long from, long to) {
        List<JournalEvent> out = new ArrayList<>();
        for (JournalEvent e : window) {
            if (e.seq() >= from && e.seq() <= to) {
                out.add(e);
            }
        }
        return out;
    }

    private List<JournalEvent> fromFile(long from, long to) {
        if (!(sink instanceof EventStore store)) {
            throw new IllegalStateException("events " + from + " to " + to + " left the journal's memory window of "
                    + windowSize + " events and this journal has no session file to read them back from");
        }
        return store.read(from, to);
    }

    /**
     * The events after {@code afterSeq} of {@code type} (null: any) concerning {@code deviceId}
     * (null: any device or none), in order. Answered from the indexes when they reach back far
     * enough, else from the file.
     */
    public List<JournalEvent> events(EventType type, String deviceId, long afterSeq) {
        Predicate<JournalEvent> match = e -> e.seq() > afterSeq && (type == null || type.is(e))
                && (deviceId == null || deviceId.equals(e.deviceId()));
        synchronized (lock) {
            Index index = null;
            if (type != null) {
                index = byType.get(type.wireName());
                if (index == null) {
                    return List.of();
                }
            }
            if (deviceId != null) {
                Index d = byDevice.get(deviceId);
                if (d == null) {
                    return List.of();
                }
                index = index == null || d.events.size() < index.events.size() ? d : index;
            }
            if (index != null && index.covers(afterSeq)) {
                return index.events.stream().filter(match).toList();
            }
            long first = window.isEmpty() ? size + 1 : window.peekFirst().seq();
            if (afterSeq + 1 >= first) {
                return window.stream().filter(match).toList();
            }
        }
        return read(afterSeq + 1, Long.MAX_VALUE).stream().filter(match).toList();
    }

    /**
     * Delivers every future event to {@code consumer}, in order, on a thread of its own. With
     * {@code replay}, the events already recorded are delivered first (read back from the file when
     * they left memory), so a late view misses nothing.
     */
    public JournalSubscription subscribe(String name, boolean replay, Consumer<JournalEvent> consumer) {
        synchronized (lock) {
            JournalSubscription s = new JournalSubscription(name, consumer, subscriptions::remove);
            if (replay) {
                long first = window.isEmpty() ? size + 1 : window.peekFirst().seq();
                if (first > 1) {
                    fromFile(1, first - 1).forEach(s::offer);
                }
                window.forEach(s::offer);
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
        long seen = Math.max(0, afterSeq);
        synchronized (lock) {
            long first = window.isEmpty() ? size + 1 : window.peekFirst().seq();
            if (seen + 1 < first && sink instanceof EventStore) {
                for (JournalEvent e : fromFile(seen + 1, first - 1)) {
                    if (condition.test(e)) {
                        return Optional.of(e);
                    }
                }
                seen = first - 1;
            }
            while (true) {
                if (size > seen) {
                    // Only the events newer than `seen`, walking back from the tail.
                    Iterator<JournalEvent> it = window.descendingIterator();
                    List<JournalEvent> fresh = new ArrayList<>();
                    while (it.hasNext()) {
                        JournalEvent e = it.next();
                        if (e.seq() <= seen) {
                            break;
                        }
                        fresh.add(e);
                    }
                    for (int i = fresh.size() - 1; i >= 0; i--) {
                        if (condition.test(fresh.get(i))) {
                            return Optional.of(fresh.get(i));
                        }
                    }
                    seen = size;
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
            if (!closed) {
                summarise();
            }
            closed = true;
            lock.notifyAll();
        }
        for (JournalSubscription s : subscriptions) {
            s.close();
        }
    }

    /** The latest events of one key, and how far back they are complete. */
    private static final class Index {
        final ArrayDeque<JournalEvent> events = new ArrayDeque<>();
        /** The seq of the newest event dropped from this index, 0 when none was. */
        long droppedUpTo;

        void add(JournalEvent e) {
            events.addLast(e);
            if (events.size() > INDEX_KEPT) {
                droppedUpTo = events.removeFirst().seq();
            }
        }

        /** Holds every event of its key after {@code afterSeq}. */
        boolean covers(long afterSeq) {
            return droppedUpTo <= afterSeq;
        }
    }
}
