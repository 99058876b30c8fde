package org.secureota.workbench.firmware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.secureota.workbench.foundation.AtomicFiles;

/**
 * The lab's firmware releases, one folder per product:
 *
 * <pre>
 * releases/
 *   shop-display/
 *     shop-display-2.0.0.bin    the image, byte for byte what was validated
 *     shop-display-2.0.0.jws    its signed manifest (compact JWS)
 *     shop-display-2.1.0.enc    an encrypted release: only the esp_encrypted_img ciphertext is stored
 *     counter                   the last manifest counter issued for this product (decimal)
 *     .lock                     serializes publishes, also across processes
 * </pre>
 *
 * <p>Lookups never build a path from request input: {@link #byFileName} and {@link #find} compare
 * against the names of releases that exist, so {@code ../certs/ca-key.pem} simply matches nothing.
 * Files are written to a temporary file in the same folder and moved into place atomically, so the
 * OTA server never serves a half-written image or manifest.
 */
public final class ReleaseStore {

    static final String COUNTER_FILE = "counter";
    static final String LOCK_FILE = ".lock";
    private static final int MAX_MANIFEST_FILE = JwsCompact.MAX_LENGTH;

    /**
     * A {@link java.nio.channels.FileLock} keeps other processes out, but within one JVM a second lock on the same file
     * throws instead of waiting; so threads of this JVM (the server and the GUI publishing at once)
     * first meet on this monitor.
     */
    private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path releasesDir;

    /**
     * The releases as last read, and the state of the files they were read from. The OTA server
     * looks a release up on every request; reading and decoding every manifest each time cost more
     * than the rest of a 1 MiB download's request handling, so the list is kept until a file it came
     * from changes (see {@link StoreStamp}).
     */
    private volatile Cached cached;

    private record Cached(StoreStamp stamp, List<Release> releases) {
    }

    public ReleaseStore(Path releasesDir) {
        this.releasesDir = releasesDir.toAbsolutePath().normalize();
    }

    public Path directory() {
        return releasesDir;
    }

    /** Publishes a new version; refuses one that is already published. */
    public Release publish(Path image, String product, PrivateKey signingKey, Duration validity, Clock clock) {
        return publish(image, product, signingKey, validity, clock, false);
    }

    /**
     * Validates {@code image}, copies it to {@code releases/<product>/<product>-<version>.bin} and
     * writes its manifest, signed with {@code signingKey} and valid for {@code validity} from now.
     * The version and secure_version come from the image's {@code esp_app_desc_t}, so a manifest can
     * never disagree with its image.
     *
     * @param replace publish again a version that exists (a new manifest with a new counter)
     * @throws ReleaseException when the product name, the image or the version is refused, with the
     *                          reason and, for a bad image, every validation problem
     */
    public Release publish(Path image, String product, PrivateKey signingKey, Duration validity, Clock clock,
                           boolean replace) {
        return publish(image, product, signingKey, validity, clock, replace, null);
    }

    /**
     * As {@link #publish(Path, String, PrivateKey, Duration, Clock, boolean)}, but when {@code encryptFor} is
     * the product's decryption public key, the store receives only the esp_encrypted_img ciphertext
     * ({@code <product>-<version>.enc}) and a format-2 manifest that binds both the plaintext (size, SHA-256,
     * checked before activation) and the served file (size, SHA-256, checked as it arrives). The plaintext
     * image is never written into the store.
     */
    public Release publish(Path image, String product, PrivateKey signingKey, Duration validity, Clock clock,
                           boolean replace, PublicKey encryptFor) {
        Objects.requireNonNull(signingKey, "signingKey");
        if (encryptFor != null) {
            try {
                EncryptionScheme.of(encryptFor);
            } catch (IllegalArgumentException e) {
                throw new ReleaseException(e.getMessage());
            }
        }
        if (!ReleaseNames.isProduct(product)) {
            throw new ReleaseException("product name '" + product + "' is not allowed: use 1 to 32 lowercase letters,"
                    + " digits and dashes, starting with a letter or digit (e.g. shop-display)");
        }
        if (validity == null || validity.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ReleaseException("the manifest validity must be positive, got " + validity);
        }
        byte[] bytes = readImage(image);
        AppImage parsed = AppImage.parse(bytes);
        if (!parsed.valid()) {
            throw new ReleaseException(image + " is not a valid app image (" + parsed.problems().size()
                    + " problem(s)); nothing was published:\n" + parsed.problems().stream()
                    .map(p -> "  " + p).collect(Collectors.joining("\n")), parsed.problems(), null);
        }
        AppDescriptor app = parsed.descriptor().orElseThrow();
        if (!ReleaseNames.isVersion(app.version())) {
            throw new ReleaseException(image + ": esp_app_desc_t.version is '" + app.version() + "', not a semantic"
                    + " version MAJOR.MINOR.PATCH. Set the app version (PROJECT_VER in ESP-IDF) to e.g. 2.0.0.");
        }
        ManifestSigner signer;
        try {
            signer = new ManifestSigner(signingKey);
        } catch (IllegalArgumentException e) {
            throw new ReleaseException(e.getMessage());
        }
        String version = app.version();
        Path productDir = releasesDir.resolve(product);
        Path plainFile = productDir.resolve(ReleaseNames.imageFileName(product, version));
        Path encryptedFile = productDir.resolve(ReleaseNames.encryptedFileName(product, version));
        Path manifestFile = productDir.resolve(ReleaseNames.manifestFileName(product, version));
        synchronized (JVM_LOCKS.computeIfAbsent(productDir, p -> new Object())) {
            try {
                return publishLocked(bytes, parsed, app, signer, product, productDir, plainFile, encryptedFile,
                        manifestFile, validity, clock, replace, encryptFor);
            } finally {
                cached = null; // this store's own change is seen at once, whatever the file times say
            }
        }
    }

    private Release publishLocked(byte[] bytes, AppImage parsed, AppDescriptor app, ManifestSigner signer,
                                  String product, Path productDir, Path plainFile, Path encryptedFile, Path manifestFile,
                                  Duration validity, Clock clock, boolean replace, PublicKey encryptFor) {
        String version = app.version();
        Path imageFile = encryptFor == null ? plainFile : encryptedFile;
        Path otherFile = encryptFor == null ? encryptedFile : plainFile;
        try {
            Files.createDirectories(productDir);
            try (FileChannel lockChannel = FileChannel.open(productDir.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                lockChannel.lock();  // held until the channel closes; other processes wait here
                if (!replace && (Files.exists(plainFile) || Files.exists(encryptedFile) || Files.exists(manifestFile))) {
                    throw new ReleaseException(product + " " + version + " is already published (" + imageFile
                            + "). Bump the version in the image, or use --force to publish it again with a new manifest.");
                }
                long counter = nextCounter(productDir, product);
                // The counter is written before the manifest that uses it: a crash in between burns a
                // number but can never issue the same counter twice.
                AtomicFiles.write(productDir.resolve(COUNTER_FILE), (counter + "\n").getBytes(StandardCharsets.US_ASCII),
                        AtomicFiles.PUBLIC_READ);
                Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                Instant expiresAt = issuedAt.plus(validity).truncatedTo(ChronoUnit.SECONDS);
                byte[] served = bytes;
                ManifestEncryption encryption = null;
                if (encryptFor != null) {
                    served = ImageCipher.encrypt(bytes, encryptFor, new SecureRandom());
                    encryption = new ManifestEncryption(EncryptionScheme.of(encryptFor), DecryptionKeys.keyId(encryptFor),
                            served.length, java.util.HexFormat.of().formatHex(AppImage.sha256(served, 0, served.length)));
                }
                Manifest manifest = new Manifest(encryption == null ? Manifest.FORMAT_VERSION
                        : Manifest.ENCRYPTED_FORMAT_VERSION, product, version, app.secureVersion(),
                        encryption == null ? ReleaseNames.imageUrl(product, version)
                                : ReleaseNames.encryptedUrl(product, version),
                        bytes.length, parsed.sha256(), issuedAt, expiresAt, counter, encryption);
                SignedManifest signed = signer.sign(manifest);
                // The bytes written are the bytes validated and hashed: the source file is never read twice.
                // The image goes first, so a manifest on disk never names an image that is not there yet.
                AtomicFiles.write(imageFile, served, AtomicFiles.PUBLIC_READ);
                AtomicFiles.write(manifestFile, (signed.compact() + "\n").getBytes(StandardCharsets.US_ASCII),
                        AtomicFiles.PUBLIC_READ);
                // Re-publishing a version the other way round: the store keeps one served file per version,
                // and after 'publish --encrypt' no plaintext copy of it is left behind.
                Files.deleteIfExists(otherFile);
                return new Release(product, version, app.secureVersion(), imageFile, manifestFile, bytes.length,
                        parsed.sha256(), counter, issuedAt, expiresAt, signed.compact(), encryption);
            }
        } catch (IOException e) {
            throw new ReleaseException("cannot write the release store " + productDir + ": " + e.getMessage()
                    + ". Check that the folder is writable.", List.of(), e);
        }
    }

    /**
     * Every release whose manifest file can be decoded, by product, then counter: as the files are
     * now, whoever changed them (this store, another process, an attack on the store).
     */
    public List<Release> list() {
        Cached c = cached;
        if (c != null && c.stamp().unchanged()) {
            return c.releases();
        }
        // Stamped before reading: a change made while reading shows up as a change next time.
        StoreStamp stamp = StoreStamp.of(releasesDir);
        List<Release> all = new ArrayList<>();
        for (Path productDir : productDirs()) {
            all.addAll(releasesOf(productDir));
        }
        all.sort(Comparator.comparing(Release::product).thenComparingLong(Release::counter));
        List<Release> releases = List.copyOf(all);
        cached = new Cached(stamp, releases);
        return releases;
    }

    public List<Release> list(String product) {
        if (!ReleaseNames.isProduct(product)) {
            return List.of();
        }
        return list().stream().filter(r -> r.product().equals(product)).toList();
    }

    public Optional<Release> find(String product, String version) {
        return list().stream()
                .filter(r -> r.product().equals(product) && r.version().equals(version))
                .findFirst();
    }

    /** The release with the highest manifest counter for {@code product}: the one to offer devices. */
    public Optional<Release> latest(String product) {
        return list(product).stream().max(Comparator.comparingLong(Release::counter));
    }

    /**
     * The release whose image file is named {@code fileName} (e.g. {@code shop-display-2.0.0.bin}), for
     * {@code GET /firmware/<file>}. An allow-list lookup: the name is compared with the releases that
     * exist and never joined to a path, so traversal attempts find nothing.
     */
    public Optional<Release> byFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        return list().stream().filter(r -> r.imageFileName().equals(fileName)).findFirst();
    }

    private List<Path> productDirs() {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(releasesDir)) {
            return dirs;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(releasesDir)) {
            for (Path p : stream) {
                if (Files.isDirectory(p) && ReleaseNames.isProduct(p.getFileName().toString())) {
                    dirs.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the release store " + releasesDir + ": " + e.getMessage(), e);
        }
        return dirs;
    }

    private List<Release> releasesOf(Path productDir) {
        String product = productDir.getFileName().toString();
        List<Release> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(productDir, product + "-*.jws")) {
            for (Path manifestFile : stream) {
                String name = manifestFile.getFileName().toString();
                String version = name.substring(product.length() + 1, name.length() - ".jws".length());
                if (!ReleaseNames.isVersion(version) || !Files.isRegularFile(manifestFile)) {
                    continue;
                }
                readRelease(product, version, productDir, manifestFile).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + productDir + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** Empty when the manifest file is too large or cannot be decoded: no device could use it either. */
    private static Optional<Release> readRelease(String product, String version, Path productDir, Path manifestFile)
            throws IOException {
        if (Files.size(manifestFile) > MAX_MANIFEST_FILE) {
            return Optional.empty();
        }
        String jws;
        try {
            jws = Files.readString(manifestFile, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
        Manifest m;
        try {
            m = SignedManifest.parseUnverified(jws).manifest();
        } catch (FirmwareFormatException e) {
            // A rewritten header (alg none, HS256, another kid) is still served as stored, as a compromised
            // store would serve it: refusing it is the device's job. Only an unreadable payload hides it.
            Optional<Manifest> payload = payloadOf(jws);
            if (payload.isEmpty()) {
                return Optional.empty();
            }
            m = payload.get();
        }
        String served = m.encrypted() ? ReleaseNames.encryptedFileName(product, version)
                : ReleaseNames.imageFileName(product, version);
        return Optional.of(new Release(product, version, m.secureVersion(), productDir.resolve(served), manifestFile,
                m.size(), m.sha256(), m.counter(), m.issuedAt(), m.expiresAt(), jws, m.encryption()));
    }

    private static Optional<Manifest> payloadOf(String jws) {
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(Manifest.fromJson(java.util.Base64.getUrlDecoder().decode(parts[1])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Issues the product's next manifest counter without publishing anything (recorded in the counter file, so
     * no later manifest of this store reuses it): for a manifest signed outside the store, which every honest
     * manifest published after it must outnumber.
     */
    public long issueCounter(String product) {
        Path productDir = releasesDir.resolve(product);
        synchronized (JVM_LOCKS.computeIfAbsent(productDir, p -> new Object())) {
            try {
                Files.createDirectories(productDir);
                try (FileChannel lockChannel = FileChannel.open(productDir.resolve(LOCK_FILE),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    lockChannel.lock();
                    long counter = nextCounter(productDir, product);
                    AtomicFiles.write(productDir.resolve(COUNTER_FILE), (counter + "\n").getBytes(StandardCharsets.US_ASCII),
                            AtomicFiles.PUBLIC_READ);
                    return counter;
                }
            } catch (IOException e) {
                throw new ReleaseException("cannot write the release store " + productDir + ": " + e.getMessage()
                        + ". Check that the folder is writable.", List.of(), e);
            } finally {
                cached = null;
            }
        }
    }

    /**
     * Signs a published release's manifest again, unchanged but for a new counter and a fresh validity as long
     * as the old one: devices that accepted a higher counter than the release had take it again. The served
     * file is not touched.
     */
    public Release resign(String product, String version, PrivateKey signingKey, Clock clock) {
        Release r = find(product, version).orElseThrow(() -> new ReleaseException(product + " " + version
                + " is not published; nothing to sign again"));
        Manifest m = SignedManifest.parseUnverified(r.jws()).manifest();
        long counter = issueCounter(product);
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Duration validity = Duration.between(m.issuedAt(), m.expiresAt());
        Manifest fresh = new Manifest(m.formatVersion(), m.product(), m.version(), m.secureVersion(), m.url(), m.size(),
                m.sha256(), issuedAt, issuedAt.plus(validity), counter, m.encryption());
        String jws = new ManifestSigner(signingKey).sign(fresh).compact();
        synchronized (JVM_LOCKS.computeIfAbsent(releasesDir.resolve(product), p -> new Object())) {
            try {
                AtomicFiles.write(r.manifestFile(), (jws + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
            } catch (IOException e) {
                throw new ReleaseException("cannot write " + r.manifestFile() + ": " + e.getMessage(), List.of(), e);
            } finally {
                cached = null;
            }
        }
        return find(product, version).orElseThrow();
    }

    /** One more than the highest counter ever issued for the product: the counter file or any manifest on disk. */
    private long nextCounter(Path productDir, String product) throws IOException {
        long highest = 0;
        Path counterFile = productDir.resolve(COUNTER_FILE);
        if (Files.exists(counterFile)) {
            String text = Files.readString(counterFile, StandardCharsets.US_ASCII).strip();
            try {
                highest = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ReleaseException(counterFile + " holds '" + text + "', not a number. It records the last"
                        + " manifest counter of " + product + "; restore it (devices refuse a counter that goes down).");
            }
        }
        for (Release r : releasesOf(productDir)) {
            highest = Math.max(highest, r.counter());
        }
        if (highest >= Manifest.MAX_JSON_INTEGER) {
            throw new ReleaseException("the manifest counter of " + product + " is exhausted");
        }
        return highest + 1;
    }

    private static byte[] readImage(Path image) {
        try {
            if (!Files.isRegularFile(image)) {
                throw new ReleaseException(image + " does not exist or is not a file.");
            }
            long size = Files.size(image);
            if (size > AppImage.MAX_SIZE) {
                throw new ReleaseException(image + " is " + size + " bytes, larger than the largest ESP32 flash (16 MiB);"
                        + " it is not an app image.");
            }
            return Files.readAllBytes(image);
        } catch (IOException e) {
            throw new ReleaseException("cannot read " + image + ": " + e.getMessage(), List.of(), e);
        }
    }
}
