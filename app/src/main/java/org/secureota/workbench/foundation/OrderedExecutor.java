package org.secureota.workbench.foundation;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in the order they were given, on a shared pool of daemon threads. This
 * is how models hand changes to their listeners: the model enqueues under its lock (which never
 * blocks), the listeners run later on a pool thread without any lock, and a slow listener delays
 * only later deliveries of the same executor, never the thread that made the change.
 *
 * <p>A task that throws is reported to the failure handler and the next task runs.
 */
public final class OrderedExecutor implements Executor {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService SHARED = Executors.newCachedThreadPool(daemon("listeners"));

    private final Executor pool;
    private final Consumer<RuntimeException> onFailure;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    public OrderedExecutor(Executor pool, Consumer<RuntimeException> onFailure) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** An ordered executor on the process-wide pool of listener threads. */
    public static OrderedExecutor onSharedPool(Consumer<RuntimeException> onFailure) {
        return new OrderedExecutor(SHARED, onFailure);
    }

    /** A factory of daemon threads named {@code workbench-NAME-N}. */
    public static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, "workbench-" + name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (queue) {
            queue.addLast(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.pollFirst();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                try {
                    onFailure.accept(e);
                } catch (RuntimeException ignored) {
                    // The failure handler failed too; the next task still runs.
                }
            }
        }
    }

    /** Tasks waiting, not counting the one running. */
    public int backlog() {
        synchronized (queue) {
            return queue.size();
        }
    }
}
