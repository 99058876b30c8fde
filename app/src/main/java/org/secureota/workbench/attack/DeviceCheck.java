package org.secureota.workbench.attack;

import java.util.Locale;

/**
 * The check on the device that stops an attack (docs/ota-verdicts.md gives their order). IMAGE_ENCRYPTION
 * is the one protection that works before the device: the release is served encrypted for the product's
 * key, which the devices and the publisher hold, never the server.
 */
public enum DeviceCheck {
    TLS_CHAIN, HOST_NAME, CERTIFICATE_EXPIRY, TLS_RECORD_INTEGRITY, READ_TIMEOUT, MANIFEST_SIGNATURE, ALGORITHM,
    PRODUCT, MANIFEST_EXPIRY, COUNTER, VERSION, SIZE_BOUND, SHA256, RANGE_RESUME, IMAGE_ENCRYPTION,
    /** The time floor: the device refuses a time below the latest trusted time it has seen (issue 29). */
    TIME_FLOOR,
    /** Signed freshness: after a signed "nothing newer", an unsigned one is refused (issue 29). */
    FRESHNESS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
