package org.secureota.workbench.attack;

import static org.secureota.workbench.attack.ExpectedOutcome.of;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.firmware.Manifest;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.firmware.ReleaseStore;
import org.secureota.workbench.firmware.SignedManifest;
import org.secureota.workbench.network.NetworkFault;
import org.secureota.workbench.network.Upstream;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerIdentity;
import org.secureota.workbench.server.ServerState;

/**
 * The attacker's catalogue: every attack the workbench can arm, in the order the panel lists them. Each
 * acts where a real attacker stands (the network path, the server's store, the time source), never inside
 * the device; what a secure device must show is docs/telemetry.md's verdict code for it.
 */
public final class AttackCatalog {

    /** The same image looks longer than any ESP32 app slot (16 MiB is the largest flash). */
    static final long ENDLESS_BYTES = 16L * 1024 * 1024;

    private static final List<ParameterSpec> RELEASE = List.of(
            ParameterSpec.text("product", "default"), ParameterSpec.text("version", "deployed"));

    private static final Map<String, Attack> ATTACKS = new LinkedHashMap<>();
    /** replayed-manifest's default: the newest manifest older than the one the devices accepted last. */
    static final String REPLAY_DEFAULT = "before-accepted";
    /** downgrade's default: the highest published version below the one the devices run. */
    static final String DOWNGRADE_DEFAULT = "below-running";

    static {
        add(new Attack("rogue-server", AttackSurface.NETWORK, List.of(),
                p -> of("TLS_CERT_UNTRUSTED", DeviceCheck.TLS_CHAIN, Forbidden.ANY_HTTP_REQUEST,
                        Forbidden.VERSION_CHANGED),
                (t, p) -> lookAlike(t, ServerIdentity.rogue(t.pki()), "rogue server")));
        add(new Attack("wrong-host-cert", AttackSurface.NETWORK, List.of(ParameterSpec.text("host", "updates.example.net")),
                p -> of("TLS_HOSTNAME_MISMATCH", DeviceCheck.HOST_NAME, Forbidden.ANY_HTTP_REQUEST,
                        Forbidden.VERSION_CHANGED),
                (t, p) -> lookAlike(t, ServerIdentity.otherHost(t.pki(), p.text("host")),
                        "server with a lab-CA certificate for " + p.text("host"))));
        // A network attacker who also holds the server's TLS key (stolen from the server, or a certificate
        // mis-issued for its name) passes every TLS check; only the manifest signature is left to stop it.
        add(new Attack("stolen-server-key", AttackSurface.NETWORK, RELEASE,
                p -> of("MANIFEST_SIGNATURE_INVALID", DeviceCheck.MANIFEST_SIGNATURE, Forbidden.IMAGE_SERVED,
                        Forbidden.VERSION_CHANGED),
                AttackCatalog::stolenServerKey));
        add(new Attack("expired-cert", AttackSurface.TIME, List.of(ParameterSpec.integer("days", 730, 1)),
                p -> new ExpectedOutcome(Set.of("TLS_CERT_EXPIRED"), DeviceCheck.CERTIFICATE_EXPIRY,
                        Set.of(Forbidden.ANY_HTTP_REQUEST, Forbidden.VERSION_CHANGED), false),
                AttackCatalog::shiftTime));
        add(new Attack("flipped-byte", AttackSurface.STORE, withRelease(ParameterSpec.integerOr("offset", "random", 0)),
                p -> of("HASH_MISMATCH", DeviceCheck.SHA256, Forbidden.VERSION_CHANGED),
                AttackCatalog::flipByte));
        // Who can rewrite the stored file can also seal it again: the image's own checksum and appended SHA-256
        // (what esp_ota_end() checks) are computed over the altered bytes, as esptool does. Only the hash in the
        // signed manifest, which the attacker cannot sign, still tells it from the genuine image.
        add(new Attack("resealed-image", AttackSurface.STORE, withRelease(ParameterSpec.text("idf_ver", "patched-and-resealed")),
                p -> of("HASH_MISMATCH", DeviceCheck.SHA256, Forbidden.VERSION_CHANGED),
                AttackCatalog::reseal));
        add(new Attack("truncated-image", AttackSurface.STORE, withRelease(ParameterSpec.integer("bytes", 4096, 1)),
                p -> of("SIZE_MISMATCH", DeviceCheck.SIZE_BOUND, Forbidden.VERSION_CHANGED),
                (t, p) -> resize(t, p, "truncated-image", -p.number("bytes"))));
        add(new Attack("padded-image", AttackSurface.STORE, withRelease(ParameterSpec.integer("bytes", 4096, 1)),
                p -> of("SIZE_MISMATCH", DeviceCheck.SIZE_BOUND, Forbidden.VERSION_CHANGED),
                (t, p) -> resize(t, p, "padded-image", p.number("bytes"))));
        add(new Attack("tampered-record", AttackSurface.NETWORK, List.of(ParameterSpec.integer("at", 4096, 0),
                        ParameterSpec.choice("repeat", "every", "once", "every")),
                p -> p.is("repeat", "once")
                        ? of("UPDATED", DeviceCheck.TLS_RECORD_INTEGRITY)
                        : of("CONNECTION_LOST", DeviceCheck.TLS_RECORD_INTEGRITY, Forbidden.VERSION_CHANGED),
                (t, p) -> networkFault(t, new NetworkFault.TamperRecord(p.number("at"), repeat(p)))));
        add(new Attack("dropped-connection", AttackSurface.NETWORK, List.of(ParameterSpec.integer("bytes", 65536, 1),
                        ParameterSpec.choice("at", "fixed", "fixed", "random"),
                        ParameterSpec.choice("repeat", "once", "once", "every")),
                AttackCatalog::dropExpectation,
                (t, p) -> networkFault(t, new NetworkFault.Cut(p.number("bytes"), p.is("at", "random"), repeat(p)))));
        add(new Attack("slow-retrieval", AttackSurface.NETWORK, List.of(ParameterSpec.integer("after", 4096, 0),
                        ParameterSpec.integer("bytes_per_second", 16, 0)),
                p -> of("TIMEOUT", DeviceCheck.READ_TIMEOUT, Forbidden.VERSION_CHANGED),
                (t, p) -> networkFault(t, new NetworkFault.Trickle(p.number("after"),
                        (int) Math.min(Integer.MAX_VALUE, p.number("bytes_per_second"))))));
        add(new Attack("endless-data", AttackSurface.STORE, withRelease(ParameterSpec.integer("bytes", ENDLESS_BYTES, 1)),
                p -> of("SIZE_MISMATCH", DeviceCheck.SIZE_BOUND, Forbidden.VERSION_CHANGED),
                (t, p) -> resize(t, p, "endless-data", p.number("bytes"))));
        add(new Attack("replayed-manifest", AttackSurface.STORE, withRelease(ParameterSpec.text("from", REPLAY_DEFAULT)),
                p -> of("MANIFEST_REPLAYED", DeviceCheck.COUNTER, Forbidden.IMAGE_SERVED, Forbidden.VERSION_CHANGED),
                AttackCatalog::replay));
        add(new Attack("downgrade", AttackSurface.STORE, withRelease(ParameterSpec.text("to", DOWNGRADE_DEFAULT)),
                p -> of("DOWNGRADE_REFUSED", DeviceCheck.VERSION, Forbidden.IMAGE_SERVED, Forbidden.VERSION_CHANGED),
                AttackCatalog::downgrade));
        add(new Attack("freeze", AttackSurface.STORE, withRelease(ParameterSpec.integer("expired_days", 30, 1)),
                p -> of("MANIFEST_EXPIRED", DeviceCheck.MANIFEST_EXPIRY, Forbidden.IMAGE_SERVED,
                        Forbidden.VERSION_CHANGED),
                AttackCatalog::freeze));
        add(new Attack("wrong-signing-key", AttackSurface.STORE, RELEASE,
                p -> of("MANIFEST_SIGNATURE_INVALID", DeviceCheck.MANIFEST_SIGNATURE, Forbidden.IMAGE_SERVED,
                        Forbidden.VERSION_CHANGED),
                AttackCatalog::wrongKey));
        add(new Attack("alg-confusion", AttackSurface.STORE, withRelease(ParameterSpec.choice("alg", "HS256", "HS256", "none")),
                p -> of("MANIFEST_ALG_REJECTED", DeviceCheck.ALGORITHM, Forbidden.IMAGE_SERVED, Forbidden.VERSION_CHANGED),
                AttackCatalog::confuseAlgorithm));
        add(new Attack("mix-and-match", AttackSurface.STORE, withRelease(ParameterSpec.text("other", "any")),
                p -> of("MANIFEST_WRONG_PRODUCT", DeviceCheck.PRODUCT, Forbidden.IMAGE_SERVED, Forbidden.VERSION_CHANGED),
                AttackCatalog::mixAndMatch));
        // Confidentiality, not authenticity: the device is not touched and updates as usual; only the copy
        // is judged.
        add(new Attack("steal-image", AttackSurface.STORE, RELEASE,
                p -> of("UPDATED", DeviceCheck.IMAGE_ENCRYPTION, Forbidden.PLAINTEXT_STOLEN),
                ImageTheft::steal));
        // Back, not forward: to make an expired manifest (or certificate) look valid. The device's time floor
        // (the latest trusted time it has seen) refuses the time; were the floor below it, the manifest's
        // own expiry would still be checked. Never UPDATED.
        add(new Attack("time-rollback", AttackSurface.TIME, List.of(ParameterSpec.integer("days", 1, 1)),
                p -> new ExpectedOutcome(Set.of("NO_VALID_TIME", "MANIFEST_EXPIRED"), DeviceCheck.TIME_FLOOR,
                        Set.of(Forbidden.IMAGE_SERVED, Forbidden.VERSION_CHANGED), false),
                AttackCatalog::rollTimeBack));
        // A server (or whoever holds its TLS key) that answers every check with a bare 204, to keep devices
        // on their release. A device that has had a signed "nothing newer" refuses the unsigned answer
        // (SERVER_ERROR) and, once that statement has expired, reports FREEZE_SUSPECTED.
        add(new Attack("silent-server", AttackSurface.NETWORK, List.of(),
                p -> new ExpectedOutcome(Set.of("FREEZE_SUSPECTED", "SERVER_ERROR"), DeviceCheck.FRESHNESS,
                        Set.of(Forbidden.IMAGE_SERVED, Forbidden.VERSION_CHANGED, Forbidden.NO_UPDATE_ACCEPTED), false),
                (t, p) -> routeTo(t, OtaServer.builder(t.state(), t.journal()).identity(ServerIdentity.labServer(t.pki()))
                        .port(0).silentManifests(true).start(), "silent server", "lab server identity, a bare 204 to every check")));
        // Forward, but by less than the certificate's validity: TLS and manifests still pass, while the server's
        // signed "nothing newer" (valid one day) now looks stale. From the device's side that is exactly a server
        // replaying an old statement to freeze it, and it says so: FREEZE_SUSPECTED (MANIFEST_EXPIRED when it never
        // had a statement to compare with). It never takes the stale statement as "up to date".
        add(new Attack("time-forward", AttackSurface.TIME, List.of(ParameterSpec.integer("days", 2, 1)),
                p -> new ExpectedOutcome(Set.of("FREEZE_SUSPECTED", "MANIFEST_EXPIRED"), DeviceCheck.FRESHNESS,
                        Set.of(Forbidden.VERSION_CHANGED), false),
                AttackCatalog::pushTimeForward));
    }

    private AttackCatalog() {
    }

    private static void add(Attack a) {
        ATTACKS.put(a.id(), a);
    }

    /** Every attack, in catalogue order. */
    public static List<Attack> all() {
        return List.copyOf(ATTACKS.values());
    }

    public static Optional<Attack> find(String id) {
        return Optional.ofNullable(ATTACKS.get(id));
    }

    /** The attack named {@code id}; an unknown id is refused with the list of known ones. */
    public static Attack require(String id) {
        Attack a = ATTACKS.get(id);
        if (a == null) {
            throw new AttackException("unknown attack '" + id + "'; the attacks are: " + String.join(", ", ATTACKS.keySet()));
        }
        return a;
    }

    private static List<ParameterSpec> withRelease(ParameterSpec own) {
        return List.of(own, RELEASE.get(0), RELEASE.get(1));
    }

    private static NetworkFault.Repeat repeat(AttackParameters p) {
        return p.is("repeat", "once") ? NetworkFault.Repeat.ONCE : NetworkFault.Repeat.EVERY_TIME;
    }

    private static ExpectedOutcome dropExpectation(AttackParameters p) {
        if (!p.is("repeat", "once")) {
            return of("CONNECTION_LOST", DeviceCheck.RANGE_RESUME, Forbidden.VERSION_CHANGED);
        }
        // A random cut may fall in the manifest exchange, which is not resumed: the device gives up for
        // this check, installs nothing, and asks again at the next one.
        return new ExpectedOutcome(p.is("at", "random") ? Set.of("UPDATED", "CONNECTION_LOST") : Set.of("UPDATED"),
                DeviceCheck.RANGE_RESUME, Set.of(), false);
    }

    // ---- network ----

    private static Attack.ArmedChange lookAlike(AttackTarget t, ServerIdentity identity, String name) throws Exception {
        return routeTo(t, OtaServer.builder(t.state(), t.journal()).identity(identity).port(0).start(), name, identity.name());
    }

    private static Attack.ArmedChange routeTo(AttackTarget t, OtaServer server, String name, String what) {
        String notice;
        try {
            notice = t.endpoint().route(Upstream.loopback(name, server.port()));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new Attack.ArmedChange("the endpoint now leads to a " + name + " (" + what + "); " + notice,
                () -> {
                    t.endpoint().routeToLabServer();
                    server.close();
                });
    }

    private static Attack.ArmedChange stolenServerKey(AttackTarget t, AttackParameters p) throws Exception {
        Release offered = StoreEdit.offered(t, "stolen-server-key", p);
        // The rogue server answers from its own copy of the release files, in which the attacker replaced the
        // manifest: the lab's store is never touched, so a store attack armed beside this one stays independent.
        Path copy = Files.createTempDirectory("rogue-store-");
        OtaServer server = null;
        try {
            Path store = t.state().releases().directory();
            copyTree(store, copy);
            String jws = ManifestForgery.sign(manifestOf(offered), ManifestForgery.attackerKey());
            Files.writeString(copy.resolve(store.relativize(offered.manifestFile()).toString()), jws.strip() + "\n",
                    StandardCharsets.US_ASCII);
            // Read only now, after the forgery: the copy's store never saw the genuine manifest.
            ServerState rogueState = new ServerState(new ReleaseStore(copy), t.state().apiKeys(),
                    t.state().deployments(), t.state().deviceStatuses());
            server = OtaServer.builder(rogueState, t.journal()).identity(ServerIdentity.labServer(t.pki())).port(0).start();
            String notice = t.endpoint().route(Upstream.loopback("rogue server holding the stolen server key",
                    server.port()));
            OtaServer started = server;
            return new Attack.ArmedChange("the endpoint now leads to a rogue server holding the stolen server key ("
                    + "lab server certificate (certs/server.pem)); it answers " + offered.product() + " "
                    + offered.version() + " with the same manifest signed with the attacker's own P-256 key (it has"
                    + " the server's TLS key, not the signing key); " + notice, () -> {
                        try {
                            t.endpoint().routeToLabServer();
                            started.close();
                        } finally {
                            deleteTree(copy);
                        }
                    });
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            }
            deleteTree(copy);
            throw e;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static Attack.ArmedChange networkFault(AttackTarget t, NetworkFault fault) {
        String notice = t.endpoint().arm(fault);
        return new Attack.ArmedChange(notice, () -> t.endpoint().disarm());
    }

    // ---- time ----

    private static Attack.ArmedChange shiftTime(AttackTarget t, AttackParameters p) {
        Duration shift = Duration.ofDays(p.number("days"));
        Instant notAfter = t.pki().certificate(PkiFile.SERVER_CERT).getNotAfter().toInstant();
        Instant shifted = Instant.now().plus(shift);
        if (!shifted.isAfter(notAfter)) {
            long needed = Duration.between(Instant.now(), notAfter).toDays() + 1;
            throw new AttackException("expired-cert: parameter 'days' is " + p.number("days") + ", which stays within"
                    + " the server certificate's validity (until " + notAfter + "); use days=" + needed + " or more");
        }
        Duration before = t.time().offset();
        t.time().offset(shift);
        return new Attack.ArmedChange("the lab time source now runs " + shift.toDays() + " days ahead (the server"
                + " certificate expires " + notAfter.truncatedTo(ChronoUnit.DAYS) + "); the device asks the time"
                + " before each check", () -> t.time().offset(before));
    }

    private static Attack.ArmedChange pushTimeForward(AttackTarget t, AttackParameters p) {
        Duration shift = Duration.ofDays(p.number("days"));
        Instant notAfter = t.pki().certificate(PkiFile.SERVER_CERT).getNotAfter().toInstant();
        if (!Instant.now().plus(shift).isBefore(notAfter)) {
            throw new AttackException("time-forward: parameter 'days' is " + p.number("days") + ", which is past the server"
                    + " certificate's expiry (" + notAfter + "); that is expired-cert: arm it instead, or use fewer days");
        }
        Duration before = t.time().offset();
        t.time().offset(before.plus(shift));
        return new Attack.ArmedChange("the lab time source now runs " + shift.toDays() + " day(s) ahead, within the"
                + " server certificate's validity: every signed \"nothing newer\" the server sends (valid one day) looks"
                + " stale to the device, as a replayed one would; the device asks the time before each check",
                () -> t.time().offset(before));
    }

    private static Attack.ArmedChange rollTimeBack(AttackTarget t, AttackParameters p) {
        Duration back = Duration.ofDays(p.number("days"));
        Duration before = t.time().offset();
        t.time().offset(before.minus(back));
        return new Attack.ArmedChange("the lab time source now runs " + back.toDays() + " day(s) behind, so that a"
                + " manifest that expired less than that ago would look valid; the device asks the time before each"
                + " check and compares it with its time floor", () -> t.time().offset(before));
    }

    // ---- store: image ----

    private static Attack.ArmedChange flipByte(AttackTarget t, AttackParameters p) throws Exception {
        Release r = StoreEdit.offered(t, "flipped-byte", p);
        byte[] image = Files.readAllBytes(r.imageFile());
        long offset = p.is("offset", "random") ? new SecureRandom().nextInt(image.length) : p.number("offset");
        if (offset >= image.length) {
            throw new AttackException("flipped-byte: parameter 'offset' is " + offset + ", past the end of the image of "
                    + r.product() + " " + r.version() + " (" + image.length + " bytes: offsets 0 to "
                    + (image.length - 1) + ")");
        }
        byte before = image[(int) offset];
        image[(int) offset] ^= 0x01;
        Undo undo = StoreEdit.replace(r.imageFile(), image);
        return new Attack.ArmedChange(String.format("flipped the low bit of byte %d of %s (0x%02x -> 0x%02x); its"
                + " signed manifest is unchanged", offset, r.imageFileName(), before & 0xff, image[(int) offset] & 0xff),
                undo);
    }

    private static Attack.ArmedChange reseal(AttackTarget t, AttackParameters p) throws Exception {
        Release r = StoreEdit.offered(t, "resealed-image", p);
        if (r.encrypted()) {
            // Without the product key the attacker cannot make ciphertext that decrypts to a valid image.
            throw new AttackException("resealed-image: " + r.product() + " " + r.version() + " is served encrypted"
                    + " for the product's key, which the store does not hold: there is no plain image to rewrite and"
                    + " seal again (flipped-byte alters ciphertext instead)");
        }
        byte[] resealed;
        try {
            resealed = AppImage.withIdfVersion(Files.readAllBytes(r.imageFile()), p.text("idf_ver"));
        } catch (IllegalArgumentException e) {
            throw new AttackException("resealed-image: cannot alter " + r.imageFileName() + " of " + r.product() + " "
                    + r.version() + ": " + e.getMessage());
        }
        Undo undo = StoreEdit.replace(r.imageFile(), resealed);
        return new Attack.ArmedChange(r.imageFileName() + " rewritten (its esp_app_desc_t.idf_ver now reads \""
                + p.text("idf_ver") + "\", standing for any patch of the program) and sealed again: checksum byte and"
                + " appended SHA-256 computed over the altered bytes, as esptool does; its signed manifest is unchanged",
                undo);
    }

    private static Attack.ArmedChange resize(AttackTarget t, AttackParameters p, String id, long delta) throws Exception {
        Release r = StoreEdit.offered(t, id, p);
        byte[] image = Files.readAllBytes(r.imageFile());
        if (delta < 0 && -delta >= image.length) {
            throw new AttackException(id + ": parameter 'bytes' is " + -delta + ", not less than the image of "
                    + r.product() + " " + r.version() + " (" + image.length + " bytes)");
        }
        if (delta > Integer.MAX_VALUE - image.length) {
            throw new AttackException(id + ": parameter 'bytes' is " + delta + ", more than a file can take here;"
                    + " use at most " + (Integer.MAX_VALUE - image.length));
        }
        byte[] changed = Arrays.copyOf(image, (int) (image.length + delta));
        if (delta > 0) {
            // Plausible-looking padding: the erased-flash value, as a sloppy build script would append.
            Arrays.fill(changed, image.length, changed.length, (byte) 0xFF);
        }
        Undo undo = StoreEdit.replace(r.imageFile(), changed);
        return new Attack.ArmedChange(r.imageFileName() + " now has " + changed.length + " bytes instead of "
                + image.length + " (" + (delta < 0 ? "cut by " + -delta : "padded with " + delta) + "); its signed"
                + " manifest still says " + r.size(), undo);
    }

    // ---- store: manifests ----

    private static Manifest manifestOf(Release r) {
        return SignedManifest.parseUnverified(r.jws()).manifest();
    }

    private static Attack.ArmedChange serveManifest(Release offered, String jws, String what) throws Exception {
        Undo undo = StoreEdit.replace(offered.manifestFile(), (jws.strip() + "\n").getBytes(StandardCharsets.US_ASCII));
        return new Attack.ArmedChange("the server now answers with " + what + " for " + offered.product() + " "
                + offered.version(), undo);
    }

    private static Release pick(AttackTarget t, String attackId, String parameter, String version, Release offered,
                                String hint) {
        return t.state().releases().find(offered.product(), version).orElseThrow(() -> new AttackException(attackId
                + ": parameter '" + parameter + "' names " + offered.product() + " " + version + ", which is not"
                + " published; " + hint));
    }

    private static Attack.ArmedChange replay(AttackTarget t, AttackParameters p) throws Exception {
        Release offered = StoreEdit.offered(t, "replayed-manifest", p);
        List<Release> history = StoreEdit.history(t, offered.product());
        Release old;
        if (p.is("from", REPLAY_DEFAULT)) {
            // Older than what every device of the product accepted last (the manifest of the release it runs):
            // a manifest a device has not seen yet would be no replay at all.
            Map.Entry<String, String> least = leastRunning(t, "replayed-manifest", offered.product(), "from");
            long accepted = history.stream().filter(r -> r.version().equals(least.getValue()))
                    .mapToLong(Release::counter).findFirst().orElse(0);
            old = history.stream().filter(r -> r.counter() < accepted).reduce((a, b) -> b).orElseThrow(() ->
                    new AttackException("replayed-manifest: " + least.getKey() + " runs " + least.getValue() + " and"
                            + (accepted == 0 ? " has accepted no published manifest" : " accepted no published manifest"
                            + " older than that of " + least.getValue()) + ", so there is no older manifest to replay:"
                            + " deploy and install a newer release first"));
        } else {
            old = pick(t, "replayed-manifest", "from", p.text("from"), offered,
                    "published: " + history.stream().map(Release::version).toList());
        }
        return serveManifest(offered, old.jws(), "the old, genuinely signed manifest of " + old.version()
                + " (counter " + old.counter() + ")");
    }

    /** The device of the product running the lowest version, and that version; refuses when none reported. */
    private static Map.Entry<String, String> leastRunning(AttackTarget t, String attackId, String product,
                                                         String parameter) {
        Map<String, String> running = StoreEdit.runningVersions(t, product);
        return running.entrySet().stream().min((a, b) -> StoreEdit.compareVersions(a.getValue(), b.getValue()))
                .orElseThrow(() -> new AttackException(attackId + ": no device of " + product + " has reported the"
                        + " version it runs, so there is no default to choose; connect a device first, or name a"
                        + " version with " + parameter + "=X.Y.Z"));
    }

    private static Attack.ArmedChange downgrade(AttackTarget t, AttackParameters p) throws Exception {
        Release offered = StoreEdit.offered(t, "downgrade", p);
        List<Release> history = StoreEdit.history(t, offered.product());
        Release to;
        if (p.is("to", DOWNGRADE_DEFAULT)) {
            Map.Entry<String, String> least = leastRunning(t, "downgrade", offered.product(), "to");
            to = history.stream().filter(r -> StoreEdit.compareVersions(r.version(), least.getValue()) < 0)
                    .max((a, b) -> StoreEdit.compareVersions(a.version(), b.version())).orElseThrow(() -> new AttackException(
                            "downgrade: " + least.getKey() + " runs " + least.getValue() + ", the lowest release: deploy"
                            + " and install a newer one first"));
        } else {
            to = pick(t, "downgrade", "to", p.text("to"), offered,
                    "published: " + history.stream().map(Release::version).toList());
        }
        // From the store's own sequence: every honest manifest published or signed after this one outnumbers it.
        long counter = t.state().releases().issueCounter(offered.product());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Manifest m = manifestOf(to);
        Manifest fresh = new Manifest(m.formatVersion(), m.product(), m.version(), m.secureVersion(), m.url(), m.size(),
                m.sha256(), now, now.plus(Duration.ofDays(30)), counter, m.encryption());
        return serveManifest(offered, ManifestForgery.sign(fresh, t.pki().signingKey()),
                "a genuinely signed manifest for the older " + to.version() + " with the new counter " + counter);
    }

    private static Attack.ArmedChange freeze(AttackTarget t, AttackParameters p) throws Exception {
        Release offered = StoreEdit.offered(t, "freeze", p);
        Manifest m = manifestOf(offered);
        Instant expired = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(p.number("expired_days")));
        Manifest old = new Manifest(m.formatVersion(), m.product(), m.version(), m.secureVersion(), m.url(), m.size(),
                m.sha256(), expired.minus(Duration.ofDays(30)), expired, m.counter(), m.encryption());
        return serveManifest(offered, ManifestForgery.sign(old, t.pki().signingKey()),
                "a genuinely signed manifest that expired " + p.number("expired_days") + " days ago (the one a"
                + " freeze attacker kept)");
    }

    private static Attack.ArmedChange wrongKey(AttackTarget t, AttackParameters p) throws Exception {
        Release offered = StoreEdit.offered(t, "wrong-signing-key", p);
        return serveManifest(offered, ManifestForgery.sign(manifestOf(offered), ManifestForgery.attackerKey()),
                "the same manifest signed with the attacker's own P-256 key");
    }

    private static Attack.ArmedChange confuseAlgorithm(AttackTarget t, AttackParameters p) throws Exception {
        Release offered = StoreEdit.offered(t, "alg-confusion", p);
        String alg = p.text("alg");
        return serveManifest(offered, ManifestForgery.confuse(offered.jws(), alg,
                        Files.readAllBytes(t.pki().path(PkiFile.SIGNING_PUB))),
                "the genuine payload under alg " + alg + ("none".equals(alg) ? " (genuine signature kept)"
                        : " (HMAC keyed with the manifest-signing public key every device holds)"));
    }

    private static Attack.ArmedChange mixAndMatch(AttackTarget t, AttackParameters p) throws Exception {
        Release offered = StoreEdit.offered(t, "mix-and-match", p);
        List<Release> others = t.state().releases().list().stream()
                .filter(r -> !r.product().equals(offered.product())).toList();
        Optional<Release> other = p.is("other", "any") ? others.stream().reduce((a, b) -> b)
                : others.stream().filter(r -> r.product().equals(p.text("other"))).reduce((a, b) -> b);
        Release o = other.orElseThrow(() -> new AttackException("mix-and-match: "
                + (p.is("other", "any") ? "no other product has a release" : "parameter 'other' names "
                + p.text("other") + ", which has no release") + "; publish a release of another product first"
                + " (products with releases: " + others.stream().map(Release::product).distinct().toList() + ")"));
        return serveManifest(offered, o.jws(), "the genuine manifest of " + o.product() + " " + o.version());
    }
}
