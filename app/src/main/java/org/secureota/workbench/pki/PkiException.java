package org.secureota.workbench.pki;

/** A lab PKI file is missing, damaged or inconsistent; the message says which and what to do. */
public class PkiException extends RuntimeException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
