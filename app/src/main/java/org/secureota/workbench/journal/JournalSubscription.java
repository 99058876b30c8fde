package org.secureota.workbench.journal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One subscriber's queue and delivery thread. The queue is unbounded on purpose: dropping events
 * would break the promise that every view sees the whole session, and memory for a session's events
 * is small next to what a slow view would otherwise lose.
 */
public final class JournalSubscription implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JournalSubscription.class.getName());
    private static final JournalEvent END = new JournalEvent(-1, java.time.Instant.EPOCH, 0, Source.WORKBENCH,
            null, "end", "", null);

    private final LinkedBlockingQueue<JournalEvent> queue = new LinkedBlockingQueue<>();
    private final Consumer<JournalEvent> consumer;
    private final Consumer<JournalSubscription> onClose;
    private final Thread thread;
    private volatile boolean closed;

    JournalSubscription(String name, Consumer<JournalEvent> consumer, Consumer<JournalSubscription> onClose) {
        this.consumer = consumer;
        this.onClose = onClose;
        this.thread = new Thread(this::deliver, "journal-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void offer(JournalEvent event) {
        if (!closed) {
            queue.add(event);
        }
    }

    private void deliver() {
        try {
            while (true) {
                JournalEvent event = queue.take();
                if (event == END) {
                    return;
                }
                try {
                    consumer.accept(event);
                } catch (RuntimeException e) {
                    // A broken view must not silence the others, nor stop its own later updates.
                    LOG.log(Level.WARNING, "journal subscriber " + thread.getName() + " failed on event "
                            + event.seq(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events queued but not yet delivered. */
    public int backlog() {
        return queue.size();
    }

    /** Delivers what is already queued, then stops. Waits up to two seconds for the drain. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(END);
        onClose.accept(this);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
