package org.secureota.workbench.device;

/** Whether this JVM is shutting down (Ctrl-C): a port closing then is the end, not a board unplugged. */
final class ShutdownFlag {

    private static volatile boolean shuttingDown;

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true, "shutdown flag"));
        } catch (IllegalStateException already) {
            shuttingDown = true;
        }
    }

    private ShutdownFlag() {
    }

    static boolean isShuttingDown() {
        return shuttingDown;
    }
}
