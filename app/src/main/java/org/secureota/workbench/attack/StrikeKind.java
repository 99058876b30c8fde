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
            case NETWORK -> expected.stoppedBy() == DeviceCheck.TLS_CHAIN || expected.stoppedBy() == DeviceCheck.HOST_NAME
                    ? ROUTE : FAULT;
            case STORE -> expected.stoppedBy() == DeviceCheck.IMAGE_ENCRYPTION ? COPY
                    : expected.stoppedBy() == DeviceCheck.SHA256 || expected.stoppedBy() == DeviceCheck.SIZE_BOUND
                    ? IMAGE : MANIFEST;
        };
    }
}
