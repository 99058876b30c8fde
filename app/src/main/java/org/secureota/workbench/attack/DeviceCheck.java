package org.secureota.workbench.attack;

import java.util.Locale;

/** The check on the device that stops an attack (docs/ota-verdicts.md gives their order). */
public enum DeviceCheck {
    TLS_CHAIN, HOST_NAME, CERTIFICATE_EXPIRY, TLS_RECORD_INTEGRITY, READ_TIMEOUT, MANIFEST_SIGNATURE, ALGORITHM,
    PRODUCT, MANIFEST_EXPIRY, COUNTER, VERSION, SIZE_BOUND, SHA256, RANGE_RESUME;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
