package org.secureota.workbench.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;

/**
 * Drops slowloris clients: a connection must deliver a complete request within
 * {@code requestReadTimeout} of being opened (TLS handshake included) or of its previous response
 * ending, or it is closed.
 *
 * <p>An idle timeout alone does not stop slowloris, since each byte dripped every few seconds resets
 * it, and Jetty has no deadline for receiving a whole request. So this guard arms a deadline per
 * HTTP connection when it opens and after each response, and disarms it once the request has fully
 * arrived: at dispatch for requests without a body, after the body is read for device reports.
 * Downloads in progress are never affected; slow readers are bounded by the idle timeout instead.
 */
final class SlowClientGuard extends AbstractLifeCycle implements Connection.Listener {

    private final Duration timeout;
    private final Journal journal;
    /** When a connection must have delivered its request, and how much it had sent when armed. */
    private record Deadline(long nanos, long bytesInAtArm, boolean servedBefore) {
    }

    private final Map<Connection, Deadline> deadlines = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    SlowClientGuard(Duration timeout, Journal journal) {
        this.timeout = timeout;
        this.journal = journal;
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ota-server-slow-client-guard");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
        deadlines.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof ConnectionMetaData) { // the HTTP/1.1 connection, not the TLS layer below it
            arm(connection, false);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        deadlines.remove(connection);
    }

    /** The request has fully arrived: it no longer has to beat the deadline. */
    void requestReceived(Request request) {
        deadlines.remove(request.getConnectionMetaData().getConnection());
    }

    /** The response is done: the next request on this connection must arrive in time too. */
    void responseCompleted(Request request) {
        Connection c = request.getConnectionMetaData().getConnection();
        if (c.getEndPoint().isOpen()) {
            arm(c, true);
        }
    }

    private void arm(Connection connection, boolean servedBefore) {
        deadlines.put(connection, new Deadline(System.nanoTime() + timeout.toNanos(), connection.getBytesIn(), servedBefore));
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<Connection, Deadline> e : deadlines.entrySet()) {
            if (now - e.getValue().nanos() < 0) {
                continue;
            }
            Connection c = e.getKey();
            if (!deadlines.remove(c, e.getValue()) || !c.getEndPoint().isOpen()) {
                continue;
            }
            // A kept-alive connection that simply sent nothing more after its last response is closed
            // quietly: that is an idle client, not an attack. A partial request, or a connection that
            // never sent a whole request at all, is what slowloris looks like, and is journaled.
            boolean idleKeepAlive = e.getValue().servedBefore() && c.getBytesIn() == e.getValue().bytesInAtArm();
            if (!idleKeepAlive) {
                journalDrop(c, e.getValue().servedBefore() ? "sent only part of its next request"
                        : "did not send a complete request");
            }
            c.getEndPoint().close();
        }
    }

    private void journalDrop(Connection c, String what) {
        SocketAddress remote = c.getEndPoint().getRemoteSocketAddress();
        String address = remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        // The server may be shutting down with the journal already closed; the client is dropped anyway.
        journal.tryAppend(EventType.SERVER_SLOW_CLIENT, null, "closed a connection from " + address
                + " that " + what + " within " + timeout.toMillis() + " ms",
                Map.of("remote", address, "timeout_ms", timeout.toMillis()));
    }
}
