package org.secureota.workbench.firmware;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One published firmware release in the lab's release store: the image file, its signed manifest,
 * and the manifest's fields for display and lookup.
 *
 * <p>The store does not verify signatures when it lists releases: it serves what is on disk, and the
 * device verifies. So if an attacker rewrote a {@code .jws} file, this record shows the rewritten
 * values, exactly what a device would receive.
 *
 * @param product       device class, the folder name under {@code releases/}
 * @param version       semantic version, from the image's {@code esp_app_desc_t}
 * @param secureVersion anti-rollback counter, from the image's {@code esp_app_desc_t}
 * @param imageFile     {@code releases/<product>/<product>-<version>.bin}
 * @param manifestFile  {@code releases/<product>/<product>-<version>.jws}
 * @param size          image size in bytes, as the manifest states it
 * @param sha256        lowercase hex SHA-256 of the image, as the manifest states it
 * @param counter       the manifest's per-product counter
 * @param issuedAt      when the manifest was signed
 * @param expiresAt     when the manifest stops being accepted
 * @param jws           the compact JWS text, exactly as stored (serve it as {@code application/jose})
 * @param encryption    for a release served encrypted, what its format-2 manifest says of the served file
 *                      ({@code imageFile} is then {@code <product>-<version>.enc} and holds only ciphertext); else null
 */
public record Release(String product, String version, long secureVersion, Path imageFile, Path manifestFile,
                      long size, String sha256, long counter, Instant issuedAt, Instant expiresAt, String jws,
                      ManifestEncryption encryption) {

    /** A release served as plaintext. */
    public Release(String product, String version, long secureVersion, Path imageFile, Path manifestFile,
                   long size, String sha256, long counter, Instant issuedAt, Instant expiresAt, String jws) {
        this(product, version, secureVersion, imageFile, manifestFile, size, sha256, counter, issuedAt, expiresAt, jws,
                null);
    }

    /** True when the store holds and serves only the ciphertext of this release. */
    public boolean encrypted() {
        return encryption != null;
    }

    public Release {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(imageFile, "imageFile");
        Objects.requireNonNull(manifestFile, "manifestFile");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(jws, "jws");
    }

    /** {@code shop-display-2.0.0.bin}: the name under which the OTA server serves the image. */
    public String imageFileName() {
        return imageFile.getFileName().toString();
    }

    /** The served file's path on the OTA server, {@code /firmware/<product>-<version>.bin} (or {@code .enc}). */
    public String url() {
        return "/firmware/" + imageFileName();
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
