package org.secureota.workbench.firmware;

/** An encrypted image was refused: {@link #refusal()} says which rule, the message says what was found. */
public final class DecryptionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient DecryptionRefusal refusal;

    public DecryptionException(DecryptionRefusal refusal, String reason) {
        super(refusal + ": " + reason);
        this.refusal = refusal;
    }

    public DecryptionRefusal refusal() {
        return refusal;
    }
}
