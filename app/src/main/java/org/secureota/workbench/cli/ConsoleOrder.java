package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;

/**
 * Hands journal events to the console in the order they happened, not the order the journal got
 * them. A device's serial line is journaled once the link has read and handled it, which under load
 * is a few hundred ms after the device wrote it, and after the server events it caused (the download
 * lines after "reports installed"). Each event is held for {@code window} and released by the time it
 * happened (a serial line: when the link read it), then by journal sequence; an event later than the
 * window is released at once, never before one already printed.
 */
final class ConsoleOrder implements AutoCloseable {

    /**
     * Longer than the time from a line's read to its journal entry under load (measured with 3 boards
     * updating at load average 33: median 345 ms, at most 670 ms), short enough to read live.
     */
    static final Duration WINDOW = Duration.ofMillis(1000);

    /** A journal event or a line of the console's own (event null), when it happened, and its place in arrival order. */
    private record Held(JournalEvent event, String text, Instant at, long arrival) {
    }

    private static final Comparator<Held> HAPPENED = Comparator.comparing(Held::at).thenComparingLong(Held::arrival);

    /** Device events that come from a serial line (journaled right after its serial.rx), by exclusion. */
    private static final Set<String> NOT_FROM_A_LINE = Set.of(EventType.SERIAL_TX.wireName(),
            EventType.DEVICE_CONNECTED.wireName(), EventType.DEVICE_DISCONNECTED.wireName(),
            EventType.DEVICE_LINK_ERROR.wireName());

    private final BiConsumer<JournalEvent, Instant> out;
    private final Consumer<String> text;
    private long arrivals;
    private final Duration window;
    private final PriorityQueue<Held> held = new PriorityQueue<>(HAPPENED);
    private final ScheduledExecutorService ticker;
    /** Per device, when its last serial line was read: the typed events of that line happened then too. */
    private final Map<String, Instant> lastLine = new HashMap<>();
    private Instant printedUpTo = Instant.MIN;
    private boolean closed;

    /** Releases on its own every 50 ms (the lab console). */
    static ConsoleOrder started(BiConsumer<JournalEvent, Instant> out, Consumer<String> text, Duration window) {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "console order");
            th.setDaemon(true);
            return th;
        });
        ConsoleOrder order = new ConsoleOrder(out, text, window, t);
        t.scheduleWithFixedDelay(() -> order.release(Instant.now()), 50, 50, TimeUnit.MILLISECONDS);
        return order;
    }

    /** Released only by {@link #release} and {@link #close} (tests drive the time). */
    ConsoleOrder(BiConsumer<JournalEvent, Instant> out, Consumer<String> text, Duration window) {
        this(out, text, window, null);
    }

    private ConsoleOrder(BiConsumer<JournalEvent, Instant> out, Consumer<String> text, Duration window,
                         ScheduledExecutorService ticker) {
        this.out = out;
        this.text = text;
        this.window = window;
        this.ticker = ticker;
    }

    /** Takes an event from the journal (any thread). */
    void offer(JournalEvent e) {
        synchronized (held) {
            if (closed) {
                return;
            }
            hold(new Held(e, null, happenedAt(e), arrivals++));
        }
    }

    /**
     * A line of the console's own (a command's answer), said now: it comes after the events that
     * happened before it, which may still be held.
     */
    void say(String line, Instant now) {
        synchronized (held) {
            if (closed) {
                text.accept(line);
                return;
            }
            hold(new Held(null, line, now, arrivals++));
        }
    }

    /** A writer for the console's own lines: each line it is given is {@link #say said} when it ends. */
    PrintWriter writer() {
        return new PrintWriter(new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] chars, int off, int len) {
                synchronized (line) {
                    for (int i = off; i < off + len; i++) {
                        if (chars[i] == '\n') {
                            say(line.toString(), Instant.now());
                            line.setLength(0);
                        } else if (chars[i] != '\r') {
                            line.append(chars[i]);
                        }
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, true);
    }

    /** Under the lock. */
    private void hold(Held h) {
        if (h.at().isBefore(printedUpTo)) {
            // Later than the window: print it now rather than hold it behind what is already out.
            emit(h);
        } else {
            held.add(h);
        }
    }

    private void emit(Held h) {
        if (h.event() != null) {
            out.accept(h.event(), h.at());
        } else {
            text.accept(h.text());
        }
    }

    /**
     * A serial line when the link read it ({@code serial.rx} {@code received_ms}), the typed events of
     * that line with it; anything else when it was journaled. Under the lock.
     */
    private Instant happenedAt(JournalEvent e) {
        if (e.source() != Source.DEVICE || e.deviceId() == null || e.type().startsWith(EventType.BOARD_PREFIX)
                || NOT_FROM_A_LINE.contains(e.type())) {
            return e.wallClock();
        }
        if (EventType.SERIAL_RX.is(e)) {
            Instant read = e.fields().get("received_ms") instanceof Number n ? Instant.ofEpochMilli(n.longValue())
                    : e.wallClock();
            // Never after the journal's own time: the two clocks are the same, read a moment apart.
            read = read.isAfter(e.wallClock()) ? e.wallClock() : read;
            lastLine.put(e.deviceId(), read);
            return read;
        }
        return lastLine.getOrDefault(e.deviceId(), e.wallClock());
    }

    /** Prints every held event that happened at least a window before {@code now}. */
    void release(Instant now) {
        Instant until = now.minus(window);
        // Printed under the lock: a late event offered meanwhile cannot slip between two released ones.
        synchronized (held) {
            while (!held.isEmpty() && !held.peek().at().isAfter(until)) {
                Held h = held.poll();
                printedUpTo = h.at();
                emit(h);
            }
        }
    }

    /** Prints what is still held, in order, and stops. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        synchronized (held) {
            closed = true;
            while (!held.isEmpty()) {
                emit(held.poll());
            }
        }
    }
}
