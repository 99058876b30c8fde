package org.secureota.workbench.device;

import org.secureota.workbench.firmware.OtaState;

/**
 * One bootable partition as the device reports it in its {@code partitions} event: where it is,
 * its otadata state and what image it holds (the device verified it fully: header, chip id,
 * checksum, SHA-256).
 *
 * @param label    partition label ({@code app0})
 * @param slot     partition subtype name ({@code factory}, {@code ota_0} ...)
 * @param offset   flash offset in bytes
 * @param size     partition size in bytes
 * @param state    otadata state of the entry that selects this slot ({@link OtaState#VALID}, {@link OtaState#UNDEFINED} ...)
 * @param running  the device runs from this slot
 * @param nextBoot the bootloader tries this slot first on the next boot
 * @param image    the image in the slot
 */
public record SlotReport(String label, String slot, long offset, long size, OtaState state, boolean running,
                         boolean nextBoot, Image image) {

    /**
     * The image in a slot: a valid one with its descriptor, or an invalid one with the reason.
     *
     * @param valid         the image passed full verification
     * @param version       {@code esp_app_desc_t.version}, null when invalid
     * @param secureVersion {@code esp_app_desc_t.secure_version}, null when invalid
     * @param project       {@code esp_app_desc_t.project_name}, null when invalid
     * @param error         why the image is invalid, null when valid
     */
    public record Image(boolean valid, String version, Long secureVersion, String project, String error) {
    }

    /** {@code app0 (ota_0) valid 1.0.0 [running]}: one line for a table or a log. */
    public String describe() {
        StringBuilder s = new StringBuilder(label).append(" (").append(slot).append(") ").append(state.wireName()).append(' ');
        s.append(image.valid() ? image.version() : "no valid image");
        if (running) {
            s.append(" [running]");
        }
        if (nextBoot) {
            s.append(" [next boot]");
        }
        return s.toString();
    }
}
