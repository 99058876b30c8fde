package org.secureota.workbench.network;

import java.time.Duration;

/**
 * What connections may cost the device endpoint. Each connection it holds costs two threads (one
 * blocking copy loop per direction) and two 64 KiB buffers, so capping connections is capping threads
 * and memory: the thread budget is {@code 2 x (maxOthers + maxPerAddress x devices) + 1}.
 *
 * @param maxOthers     connections held at once from addresses that are not the lab's devices; beyond it
 *                      they are closed as soon as they are accepted. A lab device's own connections do
 *                      not count here, so no other address can take a device's place
 * @param maxPerAddress connections held at once from any one address, a device's included (a device holds
 *                      one or two)
 * @param idleDeadline  a connection that has sent nothing this long after it opened is closed (end
 *                      {@code idle}): an idle or half-open socket cannot hold its two threads for longer
 */
public record EndpointLimits(int maxOthers, int maxPerAddress, Duration idleDeadline) {

    public EndpointLimits {
        if (maxOthers < 1 || maxPerAddress < 1 || idleDeadline == null || idleDeadline.isNegative()
                || idleDeadline.isZero()) {
            throw new IllegalArgumentException("endpoint limits must be positive");
        }
    }

    /** 256 connections from other addresses, 32 per address, 10 s to send a first byte. */
    public static EndpointLimits defaults() {
        return new EndpointLimits(256, 32, Duration.ofSeconds(10));
    }
}
