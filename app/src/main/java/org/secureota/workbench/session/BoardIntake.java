package org.secureota.workbench.session;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.secureota.workbench.firmware.ReleaseNames;
import org.secureota.workbench.foundation.DeviceId;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.server.ServerState;
import org.secureota.workbench.server.ServerStateException;

/**
 * Brings a real board into a lab, the same way for {@code board add} and the window's Lab > Add a
 * real board: the lab PKI (created on first use), a server URL the board can reach (this machine's
 * LAN address, or the one given) covered by the server certificate's SANs, the device registered
 * with a fresh API key that goes into its factory data only, the factory data file (0600), and the
 * board's port recorded in {@code devices/boards.json} so that the lab attaches it.
 */
public final class BoardIntake {

    /**
     * What to bring in.
     *
     * @param id      the device id it reports
     * @param port    its serial port (/dev/ttyUSB0, COM3)
     * @param url     the server URL it uses, or null for this machine's LAN address at {@link LanServer#DEFAULT_PORT}
     * @param product its product
     * @param rotateKey whether the device is registered already and gets a new key
     */
    public record Request(String id, String port, String url, String product, boolean rotateKey) {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(product, "product");
        }
    }

    /**
     * What was done.
     *
     * @param pkiCreated   the lab had no PKI and now has one
     * @param reissued     the server certificate was reissued to cover the URL's host
     * @param factoryData  the written factory data (its key never leaves that file)
     */
    public record Result(Request request, String url, boolean pkiCreated, boolean reissued,
                         FactoryDataFile factoryData) {

        /** The port the server must listen on for this board. */
        public int serverPort() {
            int p = URI.create(url).getPort();
            return p < 0 ? 443 : p;
        }

        /** The PlatformIO command that flashes the firmware itself, run from esp32-firmware/. */
        public String firmwareCommand() {
            return "pio run -e v1_base -t upload --upload-port " + FactoryDataFile.shellQuote(request.port());
        }

        /** The esptool.py command and its PlatformIO form that flash the factory data. */
        public List<String> factoryDataCommands() {
            return FactoryDataFile.flashCommands(factoryData.file(), request.port());
        }
    }

    private BoardIntake() {
    }

    /**
     * Does it all, or fails with a {@link LabSessionException} that says what was wrong; a refused
     * id, URL or product changes nothing in the lab.
     */
    public static Result add(LabFolder lab, Request r) {
        String idProblem = DeviceId.problem(r.id());
        if (idProblem != null) {
            throw new LabSessionException(idProblem);
        }
        if (r.port().isBlank()) {
            throw new LabSessionException("Give the board's serial port (/dev/ttyUSB0, COM3).");
        }
        if (!ReleaseNames.isProduct(r.product())) {
            throw new LabSessionException("'" + r.product() + "' is not a product name: use 1 to 32 lowercase letters,"
                    + " digits and dashes (for example shop-display).");
        }
        String url = r.url() == null || r.url().isBlank() ? LanServer.urlOrExplain(LanServer.DEFAULT_PORT) : r.url().strip();
        checkUrl(url);
        ServerState state = ServerState.of(lab);
        // Refused before anything is written: a second board under a taken id would take its key away.
        if (!r.rotateKey() && state.apiKeys().find(r.id()).isPresent()) {
            throw new LabSessionException("Device '" + r.id() + "' is registered already: give it a new key ('board add"
                    + " --rotate-key', or 'New key' in the window; its old factory data stops working), or choose"
                    + " another id.");
        }
        LabPki pki = new LabPki(lab.certs());
        boolean pkiCreated = false;
        if (!pki.initialized()) {
            try {
                pki.init(false, HostIdentity.ofThisMachine(), Clock.systemUTC());
            } catch (IOException e) {
                throw new LabSessionException("Cannot create the lab PKI in " + lab.certs() + ": " + e.getMessage()
                        + ". Check that the folder is writable.", e);
            }
            pkiCreated = true;
        }
        boolean reissued = LanServer.coverHost(lab, url);
        String key;
        try {
            key = r.rotateKey() ? state.apiKeys().rotateKey(r.id(), r.product()) : state.provision(r.id(), r.product());
        } catch (ServerStateException e) {
            throw new LabSessionException(e.getMessage(), e);
        }
        Path target = lab.devices().resolve(r.id()).resolve("factory.bin");
        FactoryDataFile written = FactoryDataFile.write(lab, r.id(), r.product(), url, key, target);
        LabBoards.put(lab, r.id(), new LabBoards.Board(r.port(), url));
        return new Result(r, url, pkiCreated, reissued, written);
    }

    private static void checkUrl(String url) {
        URI parsed;
        try {
            parsed = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new LabSessionException("'" + url + "' is not a URL: give https://ADDRESS:PORT.", e);
        }
        if (!"https".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new LabSessionException("'" + url + "': the board talks HTTPS only; give https://ADDRESS:PORT.");
        }
    }
}
