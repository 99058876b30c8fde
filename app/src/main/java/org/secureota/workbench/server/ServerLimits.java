package org.secureota.workbench.server;

import java.time.Duration;

/**
 * The resource limits of the OTA server: what one client, or many, may cost it.
 *
 * @param maxRequestHeaderBytes      request line plus headers; larger gets 431 (Jetty's status for it)
 * @param maxReportBytes             body of a device report; larger gets 413
 * @param requestReadTimeout         a request (headers, and body for reports) must have fully arrived
 *                                   this long after the connection opened or the previous response
 *                                   ended; otherwise the connection is closed. This is what drops a
 *                                   slowloris client, which an idle timeout alone does not, because
 *                                   every dripped byte resets it.
 * @param idleTimeout                a connection with no traffic in either direction is closed
 * @param maxConcurrentDownloads     firmware downloads served at once; more get 503 with Retry-After,
 *                                   which the device's retry loop handles, rather than a queue that
 *                                   would hold sockets and memory while the client may already have
 *                                   timed out
 * @param maxConnections             open TCP connections; beyond it, Jetty stops accepting until one closes
 * @param maxAuthFailures            failed API key checks per (source address, claimed device id) inside
 *                                   {@code authFailureWindow} before that pair gets 429: a guesser is
 *                                   slowed down without locking out the good devices behind the same NAT
 * @param authFailureWindow          the sliding window of both failure counts
 * @param maxConnectionsPerAddress   open connections from one source address; more are closed as soon as
 *                                   they are accepted, so that one address cannot take every slot
 * @param maxDownloadsPerAddress     downloads served at once to one source address
 * @param maxDownloadsPerDevice      downloads served at once to one device (by its API key)
 * @param downloadStallTimeout       a download whose reader has taken nothing for this long is dropped,
 *                                   freeing its slot
 * @param maxAuthFailuresPerAddress  failed API key checks per source address, whatever device ids it
 *                                   claims, before the whole address gets 429: the looser ceiling that
 *                                   stops one client from guessing across many device ids
 */
public record ServerLimits(int maxRequestHeaderBytes, int maxReportBytes, Duration requestReadTimeout,
                           Duration idleTimeout, int maxConcurrentDownloads, int maxConnections,
                           int maxAuthFailures, Duration authFailureWindow, int maxConnectionsPerAddress,
                           int maxDownloadsPerAddress, int maxDownloadsPerDevice, Duration downloadStallTimeout,
                           int maxAuthFailuresPerAddress) {

    /**
     * Defaults sized for a lab with tens of devices: 8 KiB of headers (an ESP32 sends well under
     * 1 KiB), 16 KiB reports, 10 s to send a request, 30 s idle, 64 downloads (16 per address, 2 per
     * device), 256 connections (16 per address), 10 failed keys per minute per (address, device id)
     * and 100 per address, and 10 s for a stalled download.
     */
    public static ServerLimits defaults() {
        return new ServerLimits(8 * 1024, 16 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30),
                64, 256, 10, Duration.ofMinutes(1), 16, 16, 2, Duration.ofSeconds(10), 100);
    }

    public ServerLimits {
        if (maxRequestHeaderBytes < 1024 || maxReportBytes < 1 || maxConcurrentDownloads < 1
                || maxConnections < 1 || maxAuthFailures < 1 || maxConnectionsPerAddress < 1
                || maxDownloadsPerAddress < 1 || maxDownloadsPerDevice < 1 || maxAuthFailuresPerAddress < 1) {
            throw new IllegalArgumentException("server limits must be positive (and headers at least 1024 bytes)");
        }
        if (!positive(requestReadTimeout) || !positive(idleTimeout) || !positive(authFailureWindow)
                || !positive(downloadStallTimeout)) {
            throw new IllegalArgumentException("server timeouts and windows must be positive");
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    public ServerLimits withMaxConcurrentDownloads(int n) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, requestReadTimeout, idleTimeout, n,
                maxConnections, maxAuthFailures, authFailureWindow, maxConnectionsPerAddress, maxDownloadsPerAddress,
                maxDownloadsPerDevice, downloadStallTimeout, maxAuthFailuresPerAddress);
    }

    public ServerLimits withRequestReadTimeout(Duration d) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, d, idleTimeout, maxConcurrentDownloads,
                maxConnections, maxAuthFailures, authFailureWindow, maxConnectionsPerAddress, maxDownloadsPerAddress,
                maxDownloadsPerDevice, downloadStallTimeout, maxAuthFailuresPerAddress);
    }

    /** Failures per (address, device id) and per address, inside {@code window}. */
    public ServerLimits withAuthFailures(int perDevice, int perAddress, Duration window) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, requestReadTimeout, idleTimeout,
                maxConcurrentDownloads, maxConnections, perDevice, window, maxConnectionsPerAddress,
                maxDownloadsPerAddress, maxDownloadsPerDevice, downloadStallTimeout, perAddress);
    }

    /** Open connections in all, and from one address. */
    public ServerLimits withConnections(int total, int perAddress) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, requestReadTimeout, idleTimeout,
                maxConcurrentDownloads, total, maxAuthFailures, authFailureWindow, perAddress,
                maxDownloadsPerAddress, maxDownloadsPerDevice, downloadStallTimeout, maxAuthFailuresPerAddress);
    }

    /** Concurrent downloads per address and per device, and how long a stalled download may keep its slot. */
    public ServerLimits withDownloads(int perAddress, int perDevice, Duration stallTimeout) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, requestReadTimeout, idleTimeout,
                maxConcurrentDownloads, maxConnections, maxAuthFailures, authFailureWindow, maxConnectionsPerAddress,
                perAddress, perDevice, stallTimeout, maxAuthFailuresPerAddress);
    }
}
