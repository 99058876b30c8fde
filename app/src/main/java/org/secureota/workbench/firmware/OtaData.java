package org.secureota.workbench.firmware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The otadata partition (data/ota, 0x2000 bytes): two 4 KiB sectors, one {@link OtaDataEntry} at
 * the start of each (+0 and +0x1000), the rest erased. Two copies, so that an update that loses
 * power while rewriting one sector still leaves the other one intact.
 *
 * <p>The selection logic mirrors ESP-IDF: {@link #activeIndex()} is
 * {@code bootloader_common_get_active_otadata} (the valid entry with the larger seq; entry 0 on a
 * tie), {@link #bootSlot(int)} is {@code (seq - 1) % ota_app_count} in u32 arithmetic, and
 * {@link #withBootSlot} is {@code esp_rewrite_ota_data} as called by {@code esp_ota_set_boot_partition}.
 */
public record OtaData(OtaDataEntry first, OtaDataEntry second) {

    public static final int PARTITION_SIZE = 0x2000;
    public static final int SECTOR_SIZE = 0x1000;

    /** Both sectors erased: a freshly flashed device, which boots factory (or ota_0). */
    public static OtaData erased() {
        return new OtaData(OtaDataEntry.erased(), OtaDataEntry.erased());
    }

    /**
     * Reads the partition contents. Needs both entries (at least 0x1000 + 32 bytes); a whole 0x2000
     * partition is the usual input.
     */
    public static OtaData fromPartition(byte[] partition) {
        if (partition.length < SECTOR_SIZE + OtaDataEntry.SIZE) {
            throw new FirmwareFormatException("otadata is " + partition.length + " bytes; it is two 4 KiB sectors"
                    + " (0x2000 bytes) with an entry at 0x0 and at 0x1000");
        }
        return new OtaData(OtaDataEntry.read(partition, 0), OtaDataEntry.read(partition, SECTOR_SIZE));
    }

    /** The 0x2000 bytes: each entry at the start of its sector, the rest 0xFF. */
    public byte[] toBytes() {
        byte[] out = new byte[PARTITION_SIZE];
        Arrays.fill(out, (byte) 0xFF);
        System.arraycopy(first.toBytes(), 0, out, 0, OtaDataEntry.SIZE);
        System.arraycopy(second.toBytes(), 0, out, SECTOR_SIZE, OtaDataEntry.SIZE);
        return out;
    }

    public List<OtaDataEntry> entries() {
        return List.of(first, second);
    }

    public OtaDataEntry entry(int index) {
        return switch (index) {
            case 0 -> first;
            case 1 -> second;
            default -> throw new IndexOutOfBoundsException("otadata has entries 0 and 1, not " + index);
        };
    }

    public OtaData withEntry(int index, OtaDataEntry entry) {
        return index == 0 ? new OtaData(entry, second) : new OtaData(entry(0), entry);
    }

    /** The valid entry with the larger seq (entry 0 on a tie), or empty when neither is valid. */
    public OptionalInt activeIndex() {
        boolean v0 = first.isValid();
        boolean v1 = second.isValid();
        if (v0 && v1) {
            return OptionalInt.of(Long.compareUnsigned(first.seq(), second.seq()) >= 0 ? 0 : 1);
        }
        if (v0) {
            return OptionalInt.of(0);
        }
        return v1 ? OptionalInt.of(1) : OptionalInt.empty();
    }

    /** The OTA slot the active entry selects, {@code (seq - 1) % otaSlotCount}; empty when no entry is valid. */
    public OptionalInt bootSlot(int otaSlotCount) {
        if (otaSlotCount < 1) {
            return OptionalInt.empty();
        }
        OptionalInt active = activeIndex();
        if (active.isEmpty()) {
            return OptionalInt.empty();
        }
        long seq = entry(active.getAsInt()).seq();
        return OptionalInt.of((int) (((seq - 1) & 0xFFFF_FFFFL) % otaSlotCount));
    }

    /**
     * What {@code esp_ota_set_boot_partition(ota_<targetSlot>)} writes: the inactive sector (sector 0
     * when none is valid) gets the smallest seq at least the active one with
     * {@code (seq - 1) % otaSlotCount == targetSlot}, and {@code state} (NEW with rollback enabled,
     * UNDEFINED without).
     *
     * @return the new otadata and which entry index was rewritten
     */
    public OtaData withBootSlot(int targetSlot, int otaSlotCount, OtaState state) {
        if (otaSlotCount < 1 || targetSlot < 0 || targetSlot >= otaSlotCount) {
            throw new IllegalArgumentException("slot " + targetSlot + " of " + otaSlotCount + " OTA slots");
        }
        OptionalInt active = activeIndex();
        if (active.isEmpty()) {
            return withEntry(0, OtaDataEntry.of(targetSlot + 1, state));
        }
        long current = entry(active.getAsInt()).seq();
        long base = (targetSlot + 1) % otaSlotCount;
        long i = 0;
        while (current > base + i * otaSlotCount) {
            i++;
        }
        int next = active.getAsInt() ^ 1;
        return withEntry(next, OtaDataEntry.of(base + i * otaSlotCount, state));
    }

    /**
     * The ESP-IDF bootloader's choice with rollback enabled (CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE),
     * before it loads any image: PENDING_VERIFY entries become ABORTED; with no valid entry it boots
     * factory (or ota_0); otherwise the active entry's slot, turning NEW into PENDING_VERIFY. If the
     * chosen image then fails to verify, the bootloader tries the other slots (see {@link FlashImage}).
     */
    public BootChoice selectForBoot(int otaSlotCount, boolean hasFactory) {
        OtaData data = this;
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OtaDataEntry e = data.entry(i);
            if (e.stateRaw() == OtaState.PENDING_VERIFY.value()) {
                data = data.withEntry(i, e.withState(OtaState.ABORTED));
                steps.add("entry " + i + " (seq " + e.seq() + ") was PENDING_VERIFY: never confirmed, so it becomes ABORTED (rollback)");
            }
        }
        OptionalInt active = data.activeIndex();
        if (active.isEmpty() || otaSlotCount == 0) {
            steps.add("no valid otadata entry: boot " + (hasFactory ? "factory" : "ota_0"));
            return new BootChoice(data, hasFactory ? OptionalInt.empty() : OptionalInt.of(0), String.join("; ", steps));
        }
        OtaDataEntry chosen = data.entry(active.getAsInt());
        int slot = data.bootSlot(otaSlotCount).getAsInt();
        if (chosen.stateRaw() == OtaState.NEW.value()) {
            data = data.withEntry(active.getAsInt(), chosen.withState(OtaState.PENDING_VERIFY));
            steps.add("entry " + active.getAsInt() + " is NEW: it becomes PENDING_VERIFY (first boot of an update)");
        }
        steps.add("active entry " + active.getAsInt() + " (seq " + chosen.seq() + "): boot ota_" + slot);
        return new BootChoice(data, OptionalInt.of(slot), String.join("; ", steps));
    }
}
