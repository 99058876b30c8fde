package org.secureota.workbench.session;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.server.ServerLimits;

/**
 * How to open a {@link LabSession}.
 *
 * @param lab                  the lab folder (PKI, releases, devices, sessions)
 * @param projectRoot          the checkout that holds {@code esp32-firmware/build/} (the virtual board)
 * @param bind                 the server's listen address (127.0.0.1; 0.0.0.0 for a real board on the LAN)
 * @param serverPort           the server's port, 0 for any free one
 * @param publishBuiltReleases publish the build's V2, V3 and V4 host images when not yet published
 * @param journalWindow        events the journal keeps in memory (the file keeps all)
 * @param clock                the clock of the journal, the manifests and the PKI
 * @param serverLimits         the server's connection, download and authentication limits
 * @param publicDownloads      serve firmware images without a device's API key (labs that want it)
 * @param capture              record every forwarded connection and the virtual boards' TLS key logs in the
 *                             session folder, for a pcapng export (on by default)
 */
public record SessionSetup(LabFolder lab, Path projectRoot, String bind, int serverPort, boolean publishBuiltReleases,
                                int journalWindow, Clock clock, ServerLimits serverLimits, boolean publicDownloads,
                                boolean capture) {

    /** With capture on, as a lab session has it by default. */
    public SessionSetup(LabFolder lab, Path projectRoot, String bind, int serverPort, boolean publishBuiltReleases,
                             int journalWindow, Clock clock, ServerLimits serverLimits, boolean publicDownloads) {
        this(lab, projectRoot, bind, serverPort, publishBuiltReleases, journalWindow, clock, serverLimits,
                publicDownloads, true);
    }

    public SessionSetup {
        Objects.requireNonNull(lab, "lab");
        Objects.requireNonNull(projectRoot, "projectRoot");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(serverLimits, "serverLimits");
        if (serverPort < 0 || serverPort > 65535) {
            throw new IllegalArgumentException("server port " + serverPort + " is out of range: use 1 to 65535, or 0");
        }
        if (journalWindow < 1) {
            throw new IllegalArgumentException("the journal window holds at least 1 event, not " + journalWindow);
        }
        projectRoot = projectRoot.toAbsolutePath().normalize();
    }

    /**
     * Loopback, any free port, releases published from the build, the default journal window, the
     * system clock, and the project root of the launcher script ({@code workbench.home}, else ".").
     */
    public static SessionSetup defaults(LabFolder lab) {
        return new SessionSetup(lab, Path.of(System.getProperty("workbench.home", ".")), "127.0.0.1", 0, true,
                Journal.DEFAULT_WINDOW, Clock.systemUTC(), ServerLimits.defaults(), false);
    }

    public SessionSetup withProjectRoot(Path root) {
        return new SessionSetup(lab, root, bind, serverPort, publishBuiltReleases, journalWindow, clock, serverLimits, publicDownloads, capture);
    }

    public SessionSetup withBind(String address) {
        return new SessionSetup(lab, projectRoot, address, serverPort, publishBuiltReleases, journalWindow, clock, serverLimits, publicDownloads, capture);
    }

    public SessionSetup withServerPort(int port) {
        return new SessionSetup(lab, projectRoot, bind, port, publishBuiltReleases, journalWindow, clock, serverLimits, publicDownloads, capture);
    }

    public SessionSetup withPublishBuiltReleases(boolean publish) {
        return new SessionSetup(lab, projectRoot, bind, serverPort, publish, journalWindow, clock, serverLimits, publicDownloads, capture);
    }

    public SessionSetup withJournalWindow(int window) {
        return new SessionSetup(lab, projectRoot, bind, serverPort, publishBuiltReleases, window, clock, serverLimits, publicDownloads, capture);
    }

    public SessionSetup withClock(Clock c) {
        return new SessionSetup(lab, projectRoot, bind, serverPort, publishBuiltReleases, journalWindow, c, serverLimits, publicDownloads, capture);
    }

    public SessionSetup withServerLimits(ServerLimits limits) {
        return new SessionSetup(lab, projectRoot, bind, serverPort, publishBuiltReleases, journalWindow, clock,
                limits, publicDownloads, capture);
    }

    public SessionSetup withPublicDownloads(boolean anyoneMayDownload) {
        return new SessionSetup(lab, projectRoot, bind, serverPort, publishBuiltReleases, journalWindow, clock,
                serverLimits, anyoneMayDownload, capture);
    }

    public SessionSetup withCapture(boolean on) {
        return new SessionSetup(lab, projectRoot, bind, serverPort, publishBuiltReleases, journalWindow, clock,
                serverLimits, publicDownloads, on);
    }
}
