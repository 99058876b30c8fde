package org.secureota.workbench.device;

/** The virtual ESP32 is missing, refused a command or died; the message says what to do. */
public class VirtualBoardException extends RuntimeException {
    public VirtualBoardException(String message) {
        super(message);
    }

    public VirtualBoardException(String message, Throwable cause) {
        super(message, cause);
    }
}
