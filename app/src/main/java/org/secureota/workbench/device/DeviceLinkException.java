package org.secureota.workbench.device;

/** A serial port could not be opened or written; the message says which port, why, and what to do. */
public class DeviceLinkException extends RuntimeException {
    public DeviceLinkException(String message) {
        super(message);
    }
}
