package org.secureota.workbench.server;

/**
 * The server's state or its input is wrong in a way the user can fix: a damaged devices.json, an
 * unknown device, a deployment naming a release that was never published. The message says which
 * and what to do; the CLI maps it to exit code 2.
 */
public class ServerStateException extends RuntimeException {
    public ServerStateException(String message) {
        super(message);
    }

    public ServerStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
