package org.secureota.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.firmware.AppSlot;
import org.secureota.workbench.firmware.EncryptedImageHeader;
import org.secureota.workbench.firmware.BootChoice;
import org.secureota.workbench.firmware.FirmwareFormatException;
import org.secureota.workbench.firmware.FlashImage;
import org.secureota.workbench.firmware.ImageHeader;
import org.secureota.workbench.firmware.ImageProblem;
import org.secureota.workbench.firmware.ImageSegment;
import org.secureota.workbench.firmware.Manifest;
import org.secureota.workbench.firmware.ManifestKeys;
import org.secureota.workbench.firmware.ManifestVerification;
import org.secureota.workbench.firmware.ManifestVerifier;
import org.secureota.workbench.firmware.OtaData;
import org.secureota.workbench.firmware.OtaDataEntry;
import org.secureota.workbench.firmware.PartitionEntry;
import org.secureota.workbench.firmware.PartitionTable;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.firmware.ReleaseException;
import org.secureota.workbench.firmware.ReleaseNames;
import org.secureota.workbench.firmware.ReleaseStore;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PemFiles;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.pki.ProductKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./workbench firmware ...}: app images, flash layouts, releases and signed manifests. */
@Command(name = "firmware", mixinStandardHelpOptions = true,
        description = "Inspect ESP32 app images and flash layouts; publish and verify signed releases.",
        subcommands = {FirmwareCommand.Inspect.class, FirmwareCommand.Partitions.class,
            FirmwareCommand.Publish.class, FirmwareCommand.Verify.class, EncryptCommand.class, DecryptCommand.class})
final class FirmwareCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw WorkbenchCli.missingSubcommand(spec);
    }

    static byte[] readInput(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new UsageException(file + " does not exist or is not a file; give the path of " + what + ".");
            }
            long size = Files.size(file);
            if (size > AppImage.MAX_SIZE) {
                throw new UsageException(file + " is " + size + " bytes, larger than the largest ESP32 flash (16 MiB);"
                        + " it is not " + what + ".");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String hex32(long value) {
        return String.format("0x%08x", value);
    }

    static void printProblems(PrintWriter out, List<ImageProblem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        out.println("Problems (" + problems.size() + "):");
        problems.forEach(p -> out.println("  " + p));
    }

    // ------------------------------------------------------------------ inspect

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Print an app image's header, segments, checksum, appended SHA-256 and esp_app_desc_t,"
                + " and every problem with its offset.", "An esp_encrypted_img file is recognised by its magic and its"
                + " header fields are printed (nothing is decrypted).", "Exit 1 when the image has problems."})
    static final class Inspect implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The app image (.bin).")
        private Path file;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        private boolean json;

        @Override
        public void run() {
            byte[] bytes = DecryptCommand.readEncrypted(file, "an app image");  // or an encrypted one: 512 bytes more
            PrintWriter out = spec.commandLine().getOut();
            if (EncryptedImageHeader.hasMagic(bytes)) {
                EncryptedFileInspection.print(out, file, bytes, json);
                return;
            }
            AppImage image = AppImage.parse(bytes);
            if (json) {
                out.println(toJson(image));
            } else {
                printText(out, image);
            }
            out.flush();
            if (!image.valid()) {
                throw new CheckFailedException(file + " is not a valid app image: " + image.problems().size()
                        + " problem(s), listed above");
            }
        }

        String toJson(AppImage image) {
            ObjectNode root = JSON.createObjectNode();
            root.put("file", file.toString());
            root.put("size", image.size());
            root.put("sha256", image.sha256());
            root.put("valid", image.valid());
            Optional<ImageHeader> header = image.header();
            // A stable machine name (ChipId: ESP32, ESP32_S3, HOST, or UNKNOWN) and the name esptool prints.
            root.put("chip", header.map(h -> h.chip().map(Enum::name).orElse("UNKNOWN")).orElse(null));
            header.ifPresent(h -> {
                root.put("chip_name", h.chip().map(c -> c.displayName()).orElse("unknown"));
                root.put("chip_id", h.chipId());
                root.put("entry_addr", hex32(h.entryAddress()));
                root.put("spi_mode", h.spiModeName());
                root.put("flash_size", h.flashSizeName());
                root.put("segment_count", h.segmentCount());
            });
            ArrayNode segments = root.putArray("segments");
            for (ImageSegment s : image.segments()) {
                ObjectNode n = segments.addObject();
                n.put("offset", s.fileOffset());
                n.put("load_addr", hex32(s.loadAddress()));
                n.put("length", s.length());
            }
            root.put("checksum_ok", image.checksumOk());
            root.put("checksum_stored", image.storedChecksum() < 0 ? null : String.format("0x%02x", image.storedChecksum()));
            root.put("checksum_computed", String.format("0x%02x", image.computedChecksum()));
            root.put("hash_appended", image.hashAppended());
            root.put("hash_ok", image.hashOk());
            root.put("hash_stored", image.storedHashHex().orElse(null));
            if (image.signatureSectorOffset().isPresent()) {
                root.put("secure_boot_v2_signature_offset", image.signatureSectorOffset().getAsLong());
            }
            Optional<AppDescriptor> app = image.descriptor();
            if (app.isPresent()) {
                ObjectNode a = root.putObject("app");
                a.put("version", app.get().version());
                a.put("project_name", app.get().projectName());
                a.put("secure_version", app.get().secureVersion());
                a.put("date", app.get().date());
                a.put("time", app.get().time());
                a.put("idf_ver", app.get().idfVersion());
                a.put("elf_sha256", app.get().elfSha256Hex());
            } else {
                root.putNull("app");
            }
            ArrayNode problems = root.putArray("problems");
            for (ImageProblem p : image.problems()) {
                problems.addObject().put("offset", p.offset()).put("field", p.field()).put("message", p.message());
            }
            return root.toPrettyString();
        }

        void printText(PrintWriter out, AppImage image) {
            out.println(file + "  (" + image.size() + " bytes)");
            out.println("  SHA-256 of the file: " + image.sha256());
            image.header().ifPresent(h -> {
                out.println("  chip:          " + h.chipName());
                out.println("  entry point:   " + hex32(h.entryAddress()));
                out.println("  flash:         " + h.spiModeName() + ", " + h.flashSizeName());
                out.println("  segments:      " + h.segmentCount());
            });
            for (int i = 0; i < image.segments().size(); i++) {
                ImageSegment s = image.segments().get(i);
                out.printf("    [%2d] file offset 0x%06x  load %s  %7d bytes%n", i, s.fileOffset(),
                        hex32(s.loadAddress()), s.length());
            }
            out.println("  checksum:      " + (image.storedChecksum() < 0 ? "missing"
                    : String.format("0x%02x stored, 0x%02x computed  %s", image.storedChecksum(),
                    image.computedChecksum(), image.checksumOk() ? "OK" : "WRONG")));
            out.println("  SHA-256:       " + (!image.hashAppended() ? "not appended"
                    : image.hashOk() ? "appended, OK" : "appended, WRONG or missing"));
            image.signatureSectorOffset().ifPresent(o -> out.printf(
                    "  Secure Boot V2 signature sector at 0x%x (present; not verified by the workbench)%n", o));
            image.descriptor().ifPresent(d -> {
                out.println("  app (esp_app_desc_t at 0x20):");
                out.println("    project_name:   " + d.projectName());
                out.println("    version:        " + d.version());
                out.println("    secure_version: " + d.secureVersion());
                out.println("    built:          " + (d.date() + " " + d.time()).strip());
                out.println("    idf_ver:        " + d.idfVersion());
                out.println("    elf_sha256:     " + d.elfSha256Hex());
            });
            printProblems(out, image.problems());
            out.println(image.valid() ? "VALID" : "INVALID");
        }
    }

    // ------------------------------------------------------------------ partitions

    @Command(name = "partitions", mixinStandardHelpOptions = true,
            description = {"Print a partition table (binary or ESP-IDF CSV) or a whole flash dump: the table,"
                + " the otadata entries and each app slot's image.", "Exit 1 when anything is invalid."})
    static final class Partitions implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "partitions.bin (0xC00 bytes), partitions.csv, or a flash dump.")
        private Path file;

        @Option(names = "--csv", description = "Also print the table as ESP-IDF CSV.")
        private boolean csv;

        @Override
        public void run() {
            byte[] bytes = readInput(file, "a partition table or flash dump");
            PrintWriter out = spec.commandLine().getOut();
            boolean ok;
            if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
                PartitionTable table;
                try {
                    table = PartitionTable.fromCsv(new String(bytes, StandardCharsets.UTF_8));
                } catch (FirmwareFormatException e) {
                    throw new UsageException(file + ": " + e.getMessage());
                }
                out.println(file + ": ESP-IDF partition CSV");
                printTable(out, table);
                out.println("  MD5 record when written as binary: " + table.md5Hex());
                ok = table.valid();
            } else if (bytes.length <= 0x1000) {
                out.println(file + ": partition table binary (" + bytes.length + " bytes)");
                PartitionTable table = PartitionTable.fromBinary(bytes);
                printTable(out, table);
                ok = table.valid();
            } else if (bytes.length >= PartitionTable.FLASH_OFFSET + PartitionTable.BINARY_SIZE) {
                FlashImage flash = FlashImage.of(bytes);
                out.printf("%s: flash dump, %d bytes (%s), partition table at 0x%x%n", file, bytes.length,
                        bytes.length % 0x100000 == 0 ? (bytes.length >> 20) + " MB" : "not a whole number of MB",
                        PartitionTable.FLASH_OFFSET);
                printFlash(out, flash);
                ok = flash.problems().isEmpty() && flash.slots().stream().allMatch(s -> s.erased() || s.bootable());
            } else {
                throw new UsageException(file + " is " + bytes.length + " bytes: too large for a partition table"
                        + " (0xC00 bytes) and too small for a flash dump (at least 0x8C00 bytes). For an app image,"
                        + " use 'firmware inspect'.");
            }
            out.flush();
            if (!ok) {
                throw new CheckFailedException(file + " has problems, listed above");
            }
        }

        private void printTable(PrintWriter out, PartitionTable table) {
            out.printf("  %-16s %-5s %-9s %-10s %-10s %s%n", "label", "type", "subtype", "offset", "size", "flags");
            for (PartitionEntry e : table.entries()) {
                out.printf("  %-16s %-5s %-9s 0x%-8x 0x%-8x %s%n", e.label(), e.typeName(), e.subtypeName(),
                        e.offset(), e.size(), (e.encrypted() ? "encrypted " : "") + (e.readonly() ? "readonly" : ""));
            }
            printProblems(out, table.problems());
            if (csv) {
                out.println();
                out.print(table.toCsv());
            }
        }

        private void printFlash(PrintWriter out, FlashImage flash) {
            printTable(out, flash.table());
            if (!flash.table().problems().isEmpty()) {
                out.println("  (offsets above are relative to the table at 0x8000)");
            }
            flash.problems().stream().filter(p -> p.field().endsWith(".size") && p.message().contains("past the end"))
                    .forEach(p -> out.println("  " + p));
            Optional<OtaData> otaData = flash.otaDataPartition();
            if (otaData.isPresent()) {
                OtaData d = otaData.get();
                OptionalInt active = d.activeIndex();
                out.println("otadata:");
                for (int i = 0; i < 2; i++) {
                    OtaDataEntry e = d.entry(i);
                    out.printf("  [%d] %s%s%n", i, e.isErased() ? "erased" : String.format("seq %d, %s, crc %s",
                            e.seq(), e.stateName(), e.crcOk() ? "OK" : String.format("WRONG (0x%08x)", e.crc()))
                            + (e.isValid() ? "" : " -> not valid (" + e.whyInvalid().orElse("") + ")"),
                            active.isPresent() && active.getAsInt() == i ? "  <- active" : "");
                }
            } else {
                out.println("otadata: none in this table");
            }
            BootChoice choice = flash.bootChoice();
            out.println("next boot: " + choice.reason());
            out.println("app slots:");
            for (AppSlot slot : flash.slots()) {
                out.printf("  %-16s 0x%06x  %s%s%n", slot.partition().label(), slot.partition().offset(), slot.summary(),
                        slot.appImage().flatMap(AppImage::header).map(h -> ", " + h.chipName()).orElse(""));
                slot.appImage().filter(i -> !i.valid()).ifPresent(i ->
                        i.problems().forEach(p -> out.println("      " + p.shifted(slot.partition().offset()))));
            }
            out.println("boots: " + flash.bootSlot().map(s -> s.partition().label() + " (" + s.summary() + ")")
                    .orElse("nothing: no slot holds a valid image"));
        }
    }

    // ------------------------------------------------------------------ publish

    /**
     * A device refuses an image of another product before activation (IMAGE_WRONG_PRODUCT), so
     * publishing one under {@code product} is almost always a mistake: say both names before
     * anything is written. A bad image is left to the store, which lists all its problems.
     */
    static void requireProductImage(Path image, String product, boolean force) {
        if (force || !Files.isRegularFile(image) || !ReleaseNames.isProduct(product)) {
            return;
        }
        try {
            AppImage parsed = AppImage.parse(Files.readAllBytes(image));
            parsed.descriptor().ifPresent(app -> {
                if (!app.projectName().equals(product)) {
                    throw new UsageException(image + " is an image of project '" + app.projectName() + "', not of"
                            + " product '" + product + "': devices of " + product + " would refuse it"
                            + " (IMAGE_WRONG_PRODUCT). Build it with project name '" + product + "', publish it as"
                            + " --product " + app.projectName() + ", or add --force. Nothing was published.");
                }
            });
        } catch (IOException e) {
            // The store reads it again and reports the error with its own message.
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Validate an app image, copy it into the lab's release store and write its signed manifest"
                + " (ES256, certs/signing-key.pem).")
    static final class Publish implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "IMAGE", description = "The app image (.bin); its esp_app_desc_t gives the version.")
        private Path image;

        @Option(names = "--product", required = true, paramLabel = "NAME",
                description = "Device class, e.g. shop-display (lowercase letters, digits, dashes).")
        private String product;

        @Option(names = "--validity", paramLabel = "DAYS", defaultValue = "30",
                description = "Days until the manifest expires (default: ${DEFAULT-VALUE}).")
        private int validityDays;

        @Option(names = "--force", description = {"Publish again a version that is already published (new manifest, new counter).",
            "Also publishes an image whose project name (esp_app_desc_t.project_name) is not the product."})
        private boolean force;

        @Option(names = "--encrypt", description = {"Store and serve only the esp_encrypted_img ciphertext, encrypted"
            + " with the product's decryption key (certs/products/NAME/decryption-pub.pem; made, P-256, on first use"
            + " unless 'pki init --product NAME [--rsa]' made it first).", "Only devices whose factory data holds the"
            + " product's private key can install it."})
        private boolean encrypt;

        @Override
        public void run() {
            if (validityDays < 1 || validityDays > 3650) {
                throw new UsageException("--validity must be 1 to 3650 days, got " + validityDays);
            }
            LabFolder lab = WorkbenchCli.labOf(spec);
            requireProductImage(image, product, force);
            PrivateKey key = new LabPki(lab.certs()).signingKey();
            PrintWriter out = spec.commandLine().getOut();
            PublicKey encryptFor = null;
            if (encrypt) {
                try {
                    ReleaseNames.requireProduct(product);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                ProductKeys keys = new ProductKeys(lab.certs());
                if (!keys.exists(product)) {
                    try {
                        keys.create(product, ProductKeys.KeyType.P256, false);
                    } catch (IOException e) {
                        throw new UsageException("cannot write the decryption key of " + product + ": " + e.getMessage(), e);
                    }
                    out.println("Created the firmware-decryption key pair of " + product + " (P-256, ECIES):");
                    PkiCommand.printProductKeys(out, keys, product);
                }
                try {
                    encryptFor = keys.publicKey(product);
                } catch (IOException e) {
                    throw new UsageException("cannot read " + keys.publicKeyFile(product) + ": " + e.getMessage(), e);
                }
            }
            Release release;
            try {
                release = new ReleaseStore(lab.releases()).publish(image, product, key, Duration.ofDays(validityDays),
                        Clock.systemUTC(), force, encryptFor);
            } catch (ReleaseException e) {
                throw new UsageException(e.getMessage(), e);
            }
            out.println("Published " + release.product() + " " + release.version() + " (secure_version "
                    + release.secureVersion() + ", manifest counter " + release.counter() + ")");
            if (release.encrypted()) {
                out.println("  stored:   " + release.imageFile() + "  (" + release.encryption().size() + " bytes, "
                        + release.encryption().scheme().id() + " for key " + release.encryption().keyId()
                        + "; no plaintext in the store)");
                out.println("  stored sha256: " + release.encryption().sha256());
                out.println("  image:    " + release.size() + " bytes once decrypted");
            } else {
                out.println("  image:    " + release.imageFile() + "  (" + release.size() + " bytes)");
            }
            out.println("  sha256:   " + release.sha256());
            out.println("  manifest: " + release.manifestFile());
            out.println("  signed:   ES256, kid " + ManifestKeys.keyId(ManifestKeys.publicKeyOf(key)));
            out.println("  valid:    " + release.issuedAt() + " .. " + release.expiresAt());
            out.println("  served:   " + release.url());
        }
    }

    // ------------------------------------------------------------------ verify

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check a signed manifest: envelope, ES256 signature, expiry, and that the image matches it.",
                "Exit 1 when the manifest or the image is refused, with the refusal code and reason."})
    static final class Verify implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "MANIFEST", description = "The manifest (.jws, compact JWS).")
        private Path manifestFile;

        @Option(names = "--key", paramLabel = "PEM",
                description = "Trusted public key (default: the lab's certs/signing-pub.pem).")
        private Path key;

        @Option(names = "--image", paramLabel = "FILE",
                description = "The image to check (default: <product>-<version>.bin beside the manifest).")
        private Path image;

        @Option(names = "--at", paramLabel = "TIME",
                description = "Verify as of this instant (ISO-8601, e.g. 2027-01-01T00:00:00Z) instead of now.")
        private String at;

        @Override
        public void run() {
            Instant now;
            try {
                now = at == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new UsageException("--at '" + at + "' is not an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
            String compact = new String(readInput(manifestFile, "a signed manifest (.jws)"), StandardCharsets.US_ASCII);
            Path keyFile = key != null ? key : new LabPki(WorkbenchCli.labOf(spec).certs()).path(PkiFile.SIGNING_PUB);
            PublicKey publicKey;
            try {
                publicKey = PemFiles.readPublicKey(keyFile);
            } catch (IOException e) {
                throw new UsageException("cannot read " + keyFile + ": " + e.getMessage(), e);
            }
            ManifestVerifier verifier;
            try {
                verifier = new ManifestVerifier(publicKey);
            } catch (IllegalArgumentException e) {
                throw new UsageException(keyFile + ": " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            ManifestVerification result = verifier.verify(compact, now);
            if (!result.isAccepted()) {
                refuse(out, result);
            }
            Manifest m = result.manifest();
            out.println("OK    envelope: JWS compact, alg ES256, typ ota-manifest+jws");
            out.println("OK    signature verifies with " + keyFile + " (kid " + verifier.trustedKeyId() + ")");
            out.println("OK    valid " + m.issuedAt() + " .. " + m.expiresAt() + " (checked at " + now + ")");
            out.println("      " + m.product() + " " + m.version() + ", secure_version " + m.secureVersion()
                    + ", counter " + m.counter() + ", " + m.size() + " bytes, sha256 " + m.sha256());
            if (m.encrypted() && image == null) {
                checkEncryptedFile(out, m);
                return;
            }
            Path imageFile = image != null ? image : besideManifest(m);
            if (!Files.isRegularFile(imageFile)) {
                out.println("FAIL  image: " + imageFile + " not found");
                throw new CheckFailedException("the image could not be checked: " + imageFile + " does not exist."
                        + " Pass it with --image FILE.");
            }
            ManifestVerification imageResult = ManifestVerifier.checkImage(m, readInput(imageFile, "an app image"));
            if (!imageResult.isAccepted()) {
                refuse(out, imageResult);
            }
            out.println("OK    image " + imageFile + " matches: size, SHA-256, version and secure_version");
        }

        /**
         * An encrypted release: the served file beside the manifest must have the signed encrypted size
         * and SHA-256. The plaintext inside is checked by the device (or 'firmware decrypt' then --image).
         */
        private void checkEncryptedFile(PrintWriter out, Manifest m) {
            Path served = manifestFile.toAbsolutePath().getParent()
                    .resolve(ReleaseNames.encryptedFileName(m.product(), m.version()));
            out.println("      encrypted: " + m.encryption().scheme().id() + " for key " + m.encryption().keyId()
                    + ", " + m.encryption().size() + " bytes, sha256 " + m.encryption().sha256());
            if (!Files.isRegularFile(served)) {
                out.println("FAIL  encrypted file: " + served + " not found");
                throw new CheckFailedException("the encrypted file could not be checked: " + served + " does not exist.");
            }
            byte[] bytes = readInput(served, "an encrypted image");
            String sha = EncryptedFileInspection.sha256(bytes);
            if (bytes.length != m.encryption().size() || !java.security.MessageDigest.isEqual(
                    sha.getBytes(StandardCharsets.US_ASCII), m.encryption().sha256().getBytes(StandardCharsets.US_ASCII))) {
                out.println("REFUSED IMAGE_MISMATCH: " + served + " is " + bytes.length + " bytes with sha256 " + sha
                        + "; the manifest signs " + m.encryption().size() + " bytes with sha256 " + m.encryption().sha256());
                out.flush();
                throw new CheckFailedException("manifest refused: IMAGE_MISMATCH");
            }
            out.println("OK    encrypted file " + served + " matches: size and SHA-256 (the plaintext is checked after"
                    + " decryption: 'firmware decrypt' then 'firmware verify --image')");
        }

        /** Product and version passed the manifest's name checks, so the file name is safe to build. */
        private Path besideManifest(Manifest m) {
            Path dir = manifestFile.toAbsolutePath().getParent();
            return dir.resolve(ReleaseNames.imageFileName(m.product(), m.version()));
        }

        private static void refuse(PrintWriter out, ManifestVerification result) {
            out.println("REFUSED " + result.refusal() + ": " + result.reason());
            out.flush();
            throw new CheckFailedException("manifest refused: " + result.refusal());
        }
    }
}
