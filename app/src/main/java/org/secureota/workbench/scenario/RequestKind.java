package org.secureota.workbench.scenario;

import java.util.Locale;

/** The kinds of HTTP request the server journals, by path (README, OTA server). */
public enum RequestKind {
    MANIFEST("/api/v1/manifest"), FIRMWARE("/firmware/"), REPORT("/api/v1/devices/"), ANY("/");

    private final String pathPrefix;

    RequestKind(String pathPrefix) {
        this.pathPrefix = pathPrefix;
    }

    public boolean matches(String path) {
        return path != null && path.startsWith(pathPrefix);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
