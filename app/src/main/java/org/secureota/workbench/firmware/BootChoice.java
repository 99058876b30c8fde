package org.secureota.workbench.firmware;

import java.util.OptionalInt;

/**
 * What the bootloader decides from otadata (see {@link OtaData#selectForBoot}).
 *
 * @param otaDataAfter otadata as the bootloader leaves it (PENDING_VERIFY → ABORTED, NEW → PENDING_VERIFY)
 * @param otaSlot      the ota_N slot to boot, or empty for the factory app
 * @param reason       the steps taken, for a person
 */
public record BootChoice(OtaData otaDataAfter, OptionalInt otaSlot, String reason) {

    public boolean factory() {
        return otaSlot.isEmpty();
    }

    /** "factory" or "ota_1". */
    public String target() {
        return otaSlot.isEmpty() ? "factory" : "ota_" + otaSlot.getAsInt();
    }
}
