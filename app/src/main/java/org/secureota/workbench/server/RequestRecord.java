package org.secureota.workbench.server;

import org.eclipse.jetty.server.Request;

/**
 * What the handlers learn about one request that the access journal needs afterwards: the device
 * it turned out to come from, and a short outcome. Kept as a request attribute.
 */
final class RequestRecord {

    static final String ATTRIBUTE = RequestRecord.class.getName();

    private volatile String deviceId;
    private volatile String note;
    /** What the connection had written before this response, to count what this response wrote. */
    private final long bytesOutBefore;

    RequestRecord() {
        this(-1);
    }

    private RequestRecord(long bytesOutBefore) {
        this.bytesOutBefore = bytesOutBefore;
    }

    /** The record of {@code request}, made on first use, before anything of the response is written. */
    static RequestRecord of(Request request) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing instanceof RequestRecord r) {
            return r;
        }
        RequestRecord r = new RequestRecord(request.getConnectionMetaData().getConnection().getBytesOut());
        request.setAttribute(ATTRIBUTE, r);
        return r;
    }

    /**
     * The bytes this response wrote to the connection (status line, headers and body, before TLS),
     * counted by the connection itself; -1 when unknown. A body handed to Jetty but never flushed,
     * because the client went away, is not counted.
     */
    long bytesWritten(Request request) {
        if (bytesOutBefore < 0) {
            return -1;
        }
        return request.getConnectionMetaData().getConnection().getBytesOut() - bytesOutBefore;
    }

    String deviceId() {
        return deviceId;
    }

    void deviceId(String id) {
        this.deviceId = id;
    }

    String note() {
        return note;
    }

    void note(String text) {
        this.note = text;
    }
}
