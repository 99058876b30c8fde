package org.secureota.workbench.network;

/**
 * A fault the attacker arms on the path between the device and its server. The endpoint acts on
 * bytes and TLS record headers only: it never decrypts, never parses HTTP, never holds a key. Every
 * fault counts the bytes flowing from the server to the device on one connection ("downstream").
 */
public sealed interface NetworkFault {

    /** How often a fault strikes. */
    enum Repeat {
        /** The first connection that reaches the fault's point, then the fault is spent. */
        ONCE,
        /** Every connection that reaches the fault's point. */
        EVERY_TIME;
    }

    /** What the journal and the console call this fault. */
    String describe();

    /**
     * Resets both sides after {@code afterBytes} downstream bytes; with {@code random}, at a uniformly drawn
     * offset in {@code [1, afterBytes]}, drawn again for every connection.
     */
    record Cut(long afterBytes, boolean random, Repeat repeat) implements NetworkFault {
        public Cut {
            if (afterBytes < 1) {
                throw new IllegalArgumentException("cut: bytes must be at least 1, got " + afterBytes);
            }
        }

        @Override
        public String describe() {
            return "cut the connection after " + (random ? "a random number of bytes up to " : "") + afterBytes
                    + " bytes from the server, " + (repeat == Repeat.ONCE ? "once" : "every time");
        }
    }

    /**
     * Flips one byte in the body of the first TLS application-data record from the server that starts at or
     * after downstream byte {@code atByte}: the record's authentication tag no longer matches.
     */
    record TamperRecord(long atByte, Repeat repeat) implements NetworkFault {
        public TamperRecord {
            if (atByte < 0) {
                throw new IllegalArgumentException("tamper: offset must be 0 or more, got " + atByte);
            }
        }

        @Override
        public String describe() {
            return "flip one byte of the first TLS application-data record from the server after byte " + atByte
                    + ", " + (repeat == Repeat.ONCE ? "once" : "every time");
        }
    }

    /**
     * Forwards the first {@code afterBytes} downstream bytes at full speed, then only
     * {@code bytesPerSecond} (0: nothing more; the connection stays open and silent).
     */
    record Trickle(long afterBytes, int bytesPerSecond) implements NetworkFault {
        public Trickle {
            if (afterBytes < 0) {
                throw new IllegalArgumentException("trickle: after must be 0 or more, got " + afterBytes);
            }
            if (bytesPerSecond < 0) {
                throw new IllegalArgumentException("trickle: bytes per second must be 0 or more, got " + bytesPerSecond);
            }
        }

        @Override
        public String describe() {
            return "trickle the server's bytes at " + bytesPerSecond + " bytes/s after the first " + afterBytes;
        }
    }

    /** After the server closed its side, sends {@code count} more bytes of garbage to the device before closing. */
    record ExtraBytes(long count) implements NetworkFault {
        public ExtraBytes {
            if (count < 1) {
                throw new IllegalArgumentException("extra bytes: count must be at least 1, got " + count);
            }
        }

        @Override
        public String describe() {
            return "append " + count + " bytes after the server's last byte";
        }
    }
}
