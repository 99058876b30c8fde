package org.secureota.workbench.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.EventType;

/**
 * At most {@code perAddress} open connections from one source address: a connection beyond that is
 * closed as soon as it is accepted, before its TLS handshake costs anything. Without it, one client
 * holding and reopening hundreds of idle connections takes every one of the server's connection
 * slots, and devices and health checks from other addresses wait in the accept queue.
 *
 * <p>It counts the TLS connection, the lowest one on each socket. Refusals are journaled at most
 * once per address every {@value #JOURNAL_EVERY_S} seconds, so a reconnect loop cannot flood the journal.
 *
 * <p>A connection that the session's device endpoint forwards for a lab device (its {@code peers} say
 * which, from the socket's address and port) counts as that device's, not its address's: where every
 * device comes from 127.0.0.1, a flood from that address then has its own share and devices keep theirs.
 */
final class AddressConnectionLimit implements Connection.Listener {

    private static final long JOURNAL_EVERY_S = 10;

    private final int perAddress;
    private final Journal journal;
    private final Function<SocketAddress, Optional<String>> peers;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    /** The address each counted connection was counted under: once closed, a socket no longer knows its peer. */
    private final Map<Connection, String> counted = new ConcurrentHashMap<>();
    private final Map<String, Long> lastJournaled = new ConcurrentHashMap<>();

    AddressConnectionLimit(int perAddress, Journal journal) {
        this(perAddress, journal, peer -> Optional.empty());
    }

    /** {@code peers}: the lab device an accepted connection is forwarded for, if any (see {@code OtaServer.Builder#peers}). */
    AddressConnectionLimit(int perAddress, Journal journal, Function<SocketAddress, Optional<String>> peers) {
        this.perAddress = perAddress;
        this.journal = journal;
        this.peers = peers;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection)) {
            return;
        }
        String address = keyOf(connection);
        counted.put(connection, address);
        int now = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (now > perAddress) {
            journalRefusal(address, addressOf(connection.getEndPoint().getRemoteSocketAddress()));
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String address = counted.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
        }
    }

    /** Connections open from {@code address} right now ({@code "device ID"} for a device behind the endpoint). */
    int openFrom(String address) {
        AtomicInteger c = open.get(address);
        return c == null ? 0 : c.get();
    }

    private void journalRefusal(String address, String remote) {
        long now = System.nanoTime();
        Long last = lastJournaled.get(address);
        if (last != null && now - last < TimeUnit.SECONDS.toNanos(JOURNAL_EVERY_S)) {
            return;
        }
        lastJournaled.put(address, now);
        if (lastJournaled.size() > 10_000) {
            lastJournaled.clear(); // bounded memory; at worst one more journal line per address
        }
        // tryAppend: while the server shuts down the journal may be closed; the connection is refused all the same.
        String device = address.startsWith(DEVICE) ? address.substring(DEVICE.length()) : null;
        journal.tryAppend(EventType.SERVER_CONNECTION_LIMIT, device, "closed a connection from " + address
                + ": it already has " + perAddress + " open (further refusals from it are journaled every "
                + JOURNAL_EVERY_S + " s at most)", device == null ? Map.of("remote", address, "max_per_address", perAddress)
                : Map.of("remote", remote, "device", device, "max_per_address", perAddress));
    }

    private static final String DEVICE = "device ";

    /** The device the endpoint forwards this connection for ("device ID"), else the remote address. */
    private String keyOf(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        Optional<String> device = peers.apply(remote);
        if (device.isPresent()) {
            return DEVICE + device.get();
        }
        return addressOf(remote);
    }

    private static String addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }
}
