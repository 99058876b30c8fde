package org.secureota.workbench.device;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The defence profile a virtual device's factory firmware was built with (esp32-firmware's
 * {@code secure_ota/defence_profile.h}). {@link #SECURE} carries every check and is always the
 * default; every other variant is the same core with one check compiled out ({@link #NAIVE}: all of
 * them, what a copy-pasted Arduino OTA sketch does), built for the lab only: the real board's build
 * refuses them. Each weakened variant names the catalogue attacks its missing check exists for.
 */
public enum FirmwareVariant {
    SECURE("secure", "", "", List.of()),
    NO_PINNING("no-pinning", "certificate pinning", "l'épinglage du certificat",
            List.of("rogue-server", "wrong-host-cert", "expired-cert")),
    NO_SIGNATURE("no-signature", "manifest signature", "la signature du manifeste",
            List.of("wrong-signing-key", "alg-confusion", "stolen-server-key")),
    NO_HASH("no-hash", "image hash", "l'empreinte de l'image", List.of("flipped-byte", "resealed-image")),
    NO_SIZE_CHECK("no-size-check", "size check", "le contrôle de taille",
            List.of("truncated-image", "padded-image", "endless-data")),
    NO_ANTI_REPLAY("no-anti-replay", "anti-replay counter", "le compteur anti-rejeu", List.of("replayed-manifest")),
    NO_ANTI_DOWNGRADE("no-anti-downgrade", "anti-downgrade", "l'anti-retour de version", List.of("downgrade")),
    NO_TIME_FLOOR("no-time-floor", "time floor", "le plancher de temps", List.of("time-rollback")),
    NO_ROLLBACK("no-rollback", "rollback", "le retour arrière", List.of()),
    NAIVE("naive", "every check", "tous les contrôles", List.of());

    private final String wireName;
    private final String missingEn;
    private final String missingFr;
    private final List<String> provenBy;

    FirmwareVariant(String wireName, String missingEn, String missingFr, List<String> provenBy) {
        this.wireName = wireName;
        this.missingEn = missingEn;
        this.missingFr = missingFr;
        this.provenBy = provenBy;
    }

    /** As the firmware's boot report and the command line name it: {@code no-hash}. */
    public String wireName() {
        return wireName;
    }

    public boolean weakened() {
        return this != SECURE;
    }

    /** What this variant lacks, in English ("image hash"); empty for {@link #SECURE}. */
    public String missingEn() {
        return missingEn;
    }

    public String missingFr() {
        return missingFr;
    }

    /**
     * The catalogue attacks this variant's missing check exists for: at least one of them must get
     * through against it (the defence matrix checks that). Empty for {@link #SECURE}, {@link #NAIVE}
     * and a check no catalogue attack needs ({@link #NO_ROLLBACK}: no attack delivers a broken but
     * validly signed image; the rollback demo deploys one).
     */
    public List<String> provenBy() {
        return provenBy;
    }

    /**
     * Why no attack of the catalogue proves this variant's check necessary, as the measured matrix found it
     * (docs/defence-matrix.html): a gap in the catalogue, said in the matrix instead of failing it; null when
     * an attack proves it.
     */
    public String knownGap() {
        return switch (this) {
            case NO_SIZE_CHECK -> "truncated-image, padded-image and endless-data all change the bytes the signed hash"
                    + " covers, so the hash refuses them where the size check is missing";
            case NO_ROLLBACK -> "no attack delivers a broken but validly signed image (the V4 rollback demo deploys one)";
            default -> null;
        };
    }

    /** The factory image of this variant in the firmware build, relative to its images folder. */
    public String imagePath(String image) {
        return this == SECURE ? image + ".bin" : "profiles/" + wireName + "/" + image + ".bin";
    }

    /** A loud one-line label for panels, reports and journals: "NAIVE firmware: lacks every check". */
    public String label() {
        return this == SECURE ? "secure firmware" : wireName.toUpperCase(Locale.ROOT) + " firmware (lab only): lacks " + missingEn;
    }

    public static FirmwareVariant fromWireName(String name) {
        for (FirmwareVariant v : values()) {
            if (v.wireName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown firmware variant '" + name + "'; expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(FirmwareVariant::wireName).collect(Collectors.joining(", "));
    }
}
