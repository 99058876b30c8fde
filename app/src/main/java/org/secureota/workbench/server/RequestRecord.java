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

    static RequestRecord of(Request request) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing instanceof RequestRecord r) {
            return r;
        }
        RequestRecord r = new RequestRecord();
        request.setAttribute(ATTRIBUTE, r);
        return r;
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
