package org.secureota.workbench.firmware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a whole flash dump (the virtual ESP32's 4 MB flash file, or
 * {@code esptool read_flash 0 0x400000}): the partition table at 0x8000, the otadata and each app
 * slot's image. What the GUI draws for a device, and what {@code firmware partitions} prints.
 *
 * @param size     flash size in bytes
 * @param table    the partition table read at 0x8000
 * @param otaData  the otadata partition's contents, or null when the table has none (or it lies outside the dump)
 * @param slots    each app partition in table order
 * @param problems problems of the table (offsets relative to the flash start) and of the otadata layout;
 *                 each slot's image carries its own
 */
public record FlashImage(long size, PartitionTable table, OtaData otaData, List<AppSlot> slots,
                         List<ImageProblem> problems) {

    public static final int SIZE_4MB = 0x400000;

    public FlashImage {
        slots = List.copyOf(slots);
        problems = List.copyOf(problems);
    }

    public static FlashImage read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > AppImage.MAX_SIZE) {
            throw new FirmwareFormatException(file + " is " + size + " bytes; the largest ESP32 flash is 16 MiB");
        }
        return of(Files.readAllBytes(file));
    }

    /** Reads a flash dump; never throws for bad contents, only for a dump too small to hold a table. */
    public static FlashImage of(byte[] flash) {
        if (flash.length < PartitionTable.FLASH_OFFSET + PartitionTable.BINARY_SIZE) {
            throw new FirmwareFormatException("a flash dump of " + flash.length + " bytes is too small to hold the"
                    + " partition table at 0x8000; is it a partition table or an app image instead?");
        }
        int at = (int) PartitionTable.FLASH_OFFSET;
        PartitionTable table = PartitionTable.fromBinary(
                Arrays.copyOfRange(flash, at, at + PartitionTable.BINARY_SIZE));
        List<ImageProblem> problems = new ArrayList<>();
        table.problems().forEach(p -> problems.add(p.shifted(PartitionTable.FLASH_OFFSET)));
        table.problemsOnFlash(flash.length).forEach(p -> problems.add(p.shifted(PartitionTable.FLASH_OFFSET)));
        OtaData otaData = null;
        Optional<PartitionEntry> ota = table.otaData();
        if (ota.isPresent() && fits(ota.get(), flash.length) && ota.get().size() >= OtaData.PARTITION_SIZE) {
            int start = (int) ota.get().offset();
            otaData = OtaData.fromPartition(Arrays.copyOfRange(flash, start, start + OtaData.PARTITION_SIZE));
        }
        List<AppSlot> slots = new ArrayList<>();
        for (PartitionEntry app : table.apps()) {
            if (!fits(app, flash.length)) {
                continue;
            }
            int start = (int) app.offset();
            if (flash[start] == (byte) 0xFF) {
                slots.add(new AppSlot(app, true, null));
            } else {
                slots.add(new AppSlot(app, false,
                        AppImage.parseInPartition(Arrays.copyOfRange(flash, start, (int) app.end()))));
            }
        }
        return new FlashImage(flash.length, table, otaData, slots, problems);
    }

    private static boolean fits(PartitionEntry e, long flashSize) {
        return e.size() > 0 && e.end() <= flashSize;
    }

    public Optional<OtaData> otaDataPartition() {
        return Optional.ofNullable(otaData);
    }

    public Optional<AppSlot> slot(String label) {
        return slots.stream().filter(s -> s.partition().label().equals(label)).findFirst();
    }

    /**
     * What the bootloader would run: its otadata choice if that slot holds a valid image, else the
     * first valid one in {@code bootloader_utility_load_boot_image}'s fallback order (this ignores
     * otadata): the slots below the chosen one down to factory, then the slots above it, then test.
     * Empty when no slot holds a bootable image.
     */
    public Optional<AppSlot> bootSlot() {
        List<PartitionEntry> ota = table.otaSlots();
        BootChoice choice = bootChoice();
        // Index -1 is factory, 0..n-1 the OTA slots, as in the bootloader.
        int start = choice.factory() ? -1 : choice.otaSlot().getAsInt();
        List<Optional<PartitionEntry>> order = new ArrayList<>();
        order.add(partitionAt(start, ota));
        for (int i = start - 1; i >= -1; i--) {
            order.add(partitionAt(i, ota));
        }
        for (int i = start + 1; i < ota.size(); i++) {
            order.add(partitionAt(i, ota));
        }
        order.add(table.entries().stream()
                .filter(e -> e.isApp() && e.subtype() == PartitionTypes.APP_TEST).findFirst());
        for (Optional<PartitionEntry> candidate : order) {
            Optional<AppSlot> slot = candidate.flatMap(p -> slot(p.label()));
            if (slot.isPresent() && slot.get().bootable()) {
                return slot;
            }
        }
        return Optional.empty();
    }

    private Optional<PartitionEntry> partitionAt(int index, List<PartitionEntry> ota) {
        if (index == -1) {
            return table.factory();
        }
        return index < ota.size() ? Optional.of(ota.get(index)) : Optional.empty();
    }

    /** The otadata choice as the bootloader computes it, before images are checked. */
    public BootChoice bootChoice() {
        return (otaData == null ? OtaData.erased() : otaData)
                .selectForBoot(table.otaSlots().size(), table.factory().isPresent());
    }
}
