package org.secureota.workbench.firmware;

import java.util.regex.Pattern;

/**
 * The names a release is stored and served under. Both end up in file names and URLs
 * ({@code releases/<product>/<product>-<version>.bin}, {@code /firmware/<product>-<version>.bin}),
 * so they are checked against an allow-list pattern before any path is built from them: no
 * {@code /}, no {@code ..}, nothing a URL needs to escape.
 */
public final class ReleaseNames {

    /** Lowercase letters, digits and dashes, starting with a letter or digit, at most 32 characters. */
    public static final Pattern PRODUCT = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    /**
     * Semantic version {@code MAJOR.MINOR.PATCH} with an optional pre-release ({@code 2.0.0-rc.1}); no
     * build metadata, since {@code +} is not safe in a URL path. At most 31 characters, so it fits
     * {@code esp_app_desc_t.version} (char[32]) with its NUL.
     */
    public static final Pattern VERSION = Pattern.compile(
            "(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    public static final int MAX_VERSION_LENGTH = 31;

    private ReleaseNames() {
    }

    public static boolean isProduct(String name) {
        return name != null && PRODUCT.matcher(name).matches();
    }

    public static boolean isVersion(String version) {
        return version != null && version.length() <= MAX_VERSION_LENGTH && VERSION.matcher(version).matches();
    }

    /** Throws {@link IllegalArgumentException} naming the rule. */
    public static String requireProduct(String name) {
        if (!isProduct(name)) {
            throw new IllegalArgumentException("product name '" + name + "' is not allowed: use 1 to 32 lowercase"
                    + " letters, digits and dashes, starting with a letter or digit (e.g. shop-display)");
        }
        return name;
    }

    public static String requireVersion(String version) {
        if (!isVersion(version)) {
            throw new IllegalArgumentException("version '" + version + "' is not a semantic version MAJOR.MINOR.PATCH"
                    + " (optionally -prerelease, at most 31 characters), e.g. 2.0.0");
        }
        return version;
    }

    /** {@code shop-display-2.0.0.bin}. */
    public static String imageFileName(String product, String version) {
        return requireProduct(product) + "-" + requireVersion(version) + ".bin";
    }

    /** {@code shop-display-2.0.0.enc}: an encrypted release's served file (esp_encrypted_img format). */
    public static String encryptedFileName(String product, String version) {
        return requireProduct(product) + "-" + requireVersion(version) + ".enc";
    }

    /** {@code shop-display-2.0.0.jws}. */
    public static String manifestFileName(String product, String version) {
        return requireProduct(product) + "-" + requireVersion(version) + ".jws";
    }

    /** The image's path on the OTA server, as the manifest's {@code url} names it. */
    public static String imageUrl(String product, String version) {
        return "/firmware/" + imageFileName(product, version);
    }

    /** An encrypted release's path on the OTA server. */
    public static String encryptedUrl(String product, String version) {
        return "/firmware/" + encryptedFileName(product, version);
    }
}
