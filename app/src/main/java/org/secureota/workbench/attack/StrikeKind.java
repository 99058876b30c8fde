package org.secureota.workbench.attack;

/**
 * How an attack reaches a device, and so what the judge looks for to say that it struck during an attempt
 * (docs/attacks.md, "What counts as struck").
 */
enum StrikeKind {
    /** The endpoint leads to a look-alike server: the device opened a connection while it was routed there. */
    ROUTE,
    /** The lab time source runs ahead: the device booted (and read the time) after the arming. */
    CLOCK,
    /** A fault on the endpoint: it struck one of the device's own connections. */
    FAULT,
    /** An altered image in the store: the device was answered (2xx) for that very file. */
    IMAGE,
    /** An altered manifest in the store: the server offered that release to the device. */
    MANIFEST,
    /** The image thief: judged by its copy, not by a device's attempt. */
    COPY;

    static StrikeKind of(Attack a, ExpectedOutcome expected) {
        return switch (a.surface()) {
            case TIME -> CLOCK;
            // A fault acts on the bytes of a connection; every other network attack leads the endpoint
            // elsewhere (a look-alike, a stolen key's server, a silent server).
            case NETWORK -> expected.stoppedBy() == DeviceCheck.TLS_RECORD_INTEGRITY
                    || expected.stoppedBy() == DeviceCheck.RANGE_RESUME || expected.stoppedBy() == DeviceCheck.READ_TIMEOUT
                    ? FAULT : ROUTE;
            case STORE -> expected.stoppedBy() == DeviceCheck.IMAGE_ENCRYPTION ? COPY
                    : expected.stoppedBy() == DeviceCheck.SHA256 || expected.stoppedBy() == DeviceCheck.SIZE_BOUND
                    ? IMAGE : MANIFEST;
        };
    }
}
