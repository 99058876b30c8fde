package org.secureota.workbench.server;

import java.time.Duration;

/**
 * The resource limits of the OTA server: what one client, or many, may cost it.
 *
 * @param maxRequestHeaderBytes   request line plus headers; larger gets 431 (Jetty's status for it)
 * @param maxReportBytes          body of a device report; larger gets 413
 * @param requestReadTimeout      a request (headers, and body for reports) must have fully arrived
 *                                this long after the connection opened or the previous response
 *                                ended; otherwise the connection is closed. This is what drops a
 *                                slowloris client, which an idle timeout alone does not, because
 *                                every dripped byte resets it.
 * @param idleTimeout             a connection with no traffic in either direction is closed
 * @param maxConcurrentDownloads  firmware downloads served at once; more get 503 with Retry-After,
 *                                which the device's retry loop handles, rather than a queue that
 *                                would hold sockets and memory while the client may already have
 *                                timed out
 * @param maxConnections          open TCP connections; beyond it, Jetty stops accepting until one closes
 * @param maxAuthFailures         failed API key checks per source address inside {@code authFailureWindow}
 *                                before that source gets 429
 * @param authFailureWindow       the sliding window of {@code maxAuthFailures}
 */
public record ServerLimits(int maxRequestHeaderBytes, int maxReportBytes, Duration requestReadTimeout,
                           Duration idleTimeout, int maxConcurrentDownloads, int maxConnections,
                           int maxAuthFailures, Duration authFailureWindow) {

    /**
     * Defaults sized for a lab with tens of devices: 8 KiB of headers (an ESP32 sends well under
     * 1 KiB), 16 KiB reports, 10 s to send a request, 30 s idle, 64 downloads, 256 connections,
     * 10 failed keys per minute per address.
     */
    public static ServerLimits defaults() {
        return new ServerLimits(8 * 1024, 16 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30),
                64, 256, 10, Duration.ofMinutes(1));
    }

    public ServerLimits {
        if (maxRequestHeaderBytes < 1024 || maxReportBytes < 1 || maxConcurrentDownloads < 1
                || maxConnections < 1 || maxAuthFailures < 1) {
            throw new IllegalArgumentException("server limits must be positive (and headers at least 1024 bytes)");
        }
        if (requestReadTimeout.isNegative() || requestReadTimeout.isZero() || idleTimeout.isNegative()
                || idleTimeout.isZero() || authFailureWindow.isNegative() || authFailureWindow.isZero()) {
            throw new IllegalArgumentException("server timeouts and windows must be positive");
        }
    }

    public ServerLimits withMaxConcurrentDownloads(int n) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, requestReadTimeout, idleTimeout, n,
                maxConnections, maxAuthFailures, authFailureWindow);
    }

    public ServerLimits withRequestReadTimeout(Duration d) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, d, idleTimeout, maxConcurrentDownloads,
                maxConnections, maxAuthFailures, authFailureWindow);
    }

    public ServerLimits withAuthFailures(int max, Duration window) {
        return new ServerLimits(maxRequestHeaderBytes, maxReportBytes, requestReadTimeout, idleTimeout,
                maxConcurrentDownloads, maxConnections, max, window);
    }
}
