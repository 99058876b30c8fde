package org.secureota.workbench.network;

import java.time.Duration;
import java.time.Instant;

/**
 * One forwarded connection, as the journal records it when it ends.
 *
 * @param id               the endpoint's connection number, from 1
 * @param upstream         the name of the upstream it went to
 * @param opened           when the device connected
 * @param duration         how long it stayed open
 * @param bytesUp          bytes from the device to the upstream
 * @param bytesDown        bytes from the upstream to the device (after any fault)
 * @param recordsDown      TLS records the upstream sent, counted by their headers
 * @param alertsUp         TLS alert records the device sent (a device aborting a tampered stream sends one)
 * @param end              how it ended
 * @param fault            the fault armed for it, or null
 * @param tamperedAt       downstream offset of a flipped byte, or -1
 */
public record ConnectionRecord(long id, String upstream, Instant opened, Duration duration, long bytesUp,
                               long bytesDown, long recordsDown, long alertsUp, ConnectionEnd end, String fault,
                               long tamperedAt) {
}
