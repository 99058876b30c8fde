package org.secureota.workbench.firmware;

import java.util.Objects;
import java.util.Optional;

/**
 * One app partition of a flash image and what it holds.
 *
 * @param partition the partition (factory, ota_N or test)
 * @param erased    true when the slot's first byte is 0xFF (nothing written, or an update that never
 *                  wrote its header, as Arduino's {@code Update} holds it back until the end)
 * @param image     the image read from the start of the slot; null when erased
 */
public record AppSlot(PartitionEntry partition, boolean erased, AppImage image) {

    public AppSlot {
        Objects.requireNonNull(partition, "partition");
    }

    public Optional<AppImage> appImage() {
        return Optional.ofNullable(image);
    }

    /** The image is there and passes every check the bootloader makes. */
    public boolean bootable() {
        return image != null && image.valid();
    }

    public Optional<String> version() {
        return appImage().flatMap(AppImage::version);
    }

    /** "empty", "2.0.0 valid", "1.0.0 INVALID (2 problems)". */
    public String summary() {
        if (erased) {
            return "empty (erased)";
        }
        String version = version().orElse("no version");
        return image.valid() ? version + " valid" : version + " INVALID (" + image.problems().size() + " problem(s))";
    }
}
