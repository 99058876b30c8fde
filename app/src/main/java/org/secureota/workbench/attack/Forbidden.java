package org.secureota.workbench.attack;

import java.util.Locale;

/** What must not happen while a secure device faces an attack; the judge looks for each in the journal. */
public enum Forbidden {
    /** The attacker's server received an HTTP request: the device talked to it after the handshake. */
    ANY_HTTP_REQUEST,
    /** Image bytes were served to the device (the manifest should have stopped it first). */
    IMAGE_SERVED,
    /** The device ended up running another version. */
    VERSION_CHANGED,
    /** The attacker's copy of the served image holds a run of 64 bytes or more of the built image. */
    PLAINTEXT_STOLEN,
    /** The device took an unsigned "no update" at its word (what a silent server wants). */
    NO_UPDATE_ACCEPTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
