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
 */
public record Release(String product, String version, long secureVersion, Path imageFile, Path manifestFile,
                      long size, String sha256, long counter, Instant issuedAt, Instant expiresAt, String jws) {

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

    /** The image's path on the OTA server, {@code /firmware/<product>-<version>.bin}. */
    public String url() {
        return "/firmware/" + imageFileName();
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
