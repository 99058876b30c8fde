package org.secureota.workbench.network;

/**
 * Follows the TLS record layer of one direction of a connection from the 5-byte record headers alone
 * (type, version, length; RFC 8446 section 5.1, RFC 5246 section 6.2): it counts records by type and
 * can mark the first body byte of one application-data record for tampering. It never decrypts.
 * If the stream is not TLS it simply counts nonsense: nothing depends on it being right.
 */
final class TlsRecordScanner {

    static final int HEADER = 5;
    static final int ALERT = 21;
    static final int APPLICATION_DATA = 23;

    /** Decides, when a record header completes, whether to flip the first byte of this record's body. */
    interface TamperChoice {
        boolean tamper(int type, long recordStartOffset);
    }

    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private int bodyLeft;
    private int bodyLength;
    private long offset;
    private boolean tamperNext;
    private long records;
    private long applicationData;
    private long alerts;
    private long tampered = -1;

    /**
     * Scans {@code buf[from, from+len)} and, if {@code choice} picks a record whose body starts in this chunk,
     * flips its first body byte in place. Returns the stream offset of the flipped byte, or -1.
     */
    long scan(byte[] buf, int from, int len, TamperChoice choice) {
        long flipped = -1;
        int i = from;
        int end = from + len;
        while (i < end) {
            if (bodyLeft > 0) {
                if (tamperNext && bodyLeft == bodyLength) {
                    buf[i] ^= 0x01;
                    flipped = offset + (i - from);
                    tampered = flipped;
                    tamperNext = false;
                }
                int n = Math.min(bodyLeft, end - i);
                bodyLeft -= n;
                i += n;
                continue;
            }
            header[headerFill++] = buf[i++];
            if (headerFill == HEADER) {
                headerFill = 0;
                int type = header[0] & 0xff;
                bodyLength = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                bodyLeft = bodyLength;
                records++;
                if (type == APPLICATION_DATA) {
                    applicationData++;
                } else if (type == ALERT) {
                    alerts++;
                }
                long recordStart = offset + (i - from) - HEADER;
                tamperNext = bodyLength > 0 && choice != null && choice.tamper(type, recordStart);
            }
        }
        offset += len;
        return flipped;
    }

    long records() {
        return records;
    }

    long applicationData() {
        return applicationData;
    }

    long alerts() {
        return alerts;
    }

    /** The stream offset of the byte this scanner flipped, or -1. */
    long tampered() {
        return tampered;
    }
}
