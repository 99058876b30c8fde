package org.secureota.workbench.ui.widget;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.SlotReport;
import org.secureota.workbench.device.TelemetryLine;

/**
 * The flash of one device as the flash map draws it: every region at its offset and size, the app
 * slots with their image, otadata state and markers, and the download filling its target slot.
 * Plain data computed from a {@link DeviceSnapshot}, so tests check it without a screen.
 *
 * @param flashSize  bytes of flash the map spans (the partition table's end, rounded up to a power of two)
 * @param regions    bootloader, partition table, then the table's partitions, by offset
 * @param bricked    the device said its running image failed its self-test and cannot be rolled back
 *                   (telemetry error {@code BRICKED}, a weakened build without rollback): it boots it again
 */
public record FlashMap(long flashSize, List<Region> regions, boolean bricked) {

    /** Telemetry error code of a board whose failed image boots again (esp32-firmware firmware.cpp). */
    public static final String BRICKED = "BRICKED";

    public FlashMap(long flashSize, List<Region> regions) {
        this(flashSize, regions, false);
    }

    /** What kind of region it is; the themes colour each kind. */
    public enum Kind { BOOTLOADER, PARTITION_TABLE, OTADATA, APP, DATA }

    /**
     * One region of flash.
     *
     * @param label     partition label, or {@code bootloader}/{@code partition table}
     * @param kind      its kind
     * @param offset    bytes
     * @param size      bytes
     * @param slot      the app slot's report; null for other regions
     * @param downloaded bytes of a running download written into this slot; negative when none
     * @param imageSize  size of the image being downloaded (the manifest's), 0 when unknown
     */
    public record Region(String label, Kind kind, long offset, long size, SlotReport slot, long downloaded,
                         long imageSize) {

        /** The otadata state in the words of esp_ota_img_states_t: {@code PENDING_VERIFY}. */
        public Optional<String> otaState() {
            return slot == null ? Optional.empty() : Optional.of(String.valueOf(slot.state()).toUpperCase(java.util.Locale.ROOT));
        }

        public boolean running() {
            return slot != null && slot.running();
        }

        public boolean downloading() {
            return downloaded >= 0;
        }
    }

    private static final long BOOTLOADER_OFFSET = 0x1000;
    private static final long TABLE_OFFSET = 0x8000;
    private static final long TABLE_SIZE = 0x1000;
    private static final long MIN_FLASH = 4L << 20;

    public static final FlashMap EMPTY = new FlashMap(MIN_FLASH, List.of());

    public static FlashMap of(DeviceSnapshot device) {
        return of(device, true);
    }

    /**
     * @param downloadActive false once the attempt that sent the last progress event has its verdict
     *                       (the snapshot keeps the last progress until the next boot)
     */
    public static FlashMap of(DeviceSnapshot device, boolean downloadActive) {
        if (device.partitions().isEmpty()) {
            return EMPTY;
        }
        List<Region> regions = new ArrayList<>();
        regions.add(new Region("bootloader", Kind.BOOTLOADER, BOOTLOADER_OFFSET, TABLE_OFFSET - BOOTLOADER_OFFSET, null, -1, 0));
        regions.add(new Region("partition table", Kind.PARTITION_TABLE, TABLE_OFFSET, TABLE_SIZE, null, -1, 0));
        String targetSlot = downloadActive ? downloadTarget(device) : null;
        TelemetryLine.OtaProgress progress = device.lastProgress();
        long end = TABLE_OFFSET + TABLE_SIZE;
        for (TelemetryLine.PartitionRow p : device.partitions()) {
            end = Math.max(end, p.offset() + p.size());
            SlotReport slot = device.slot(p.label()).orElse(null);
            Kind kind = p.type() == 0 ? Kind.APP : p.kind().equals("data/ota") ? Kind.OTADATA : Kind.DATA;
            boolean target = slot != null && slot.slot().equals(targetSlot);
            regions.add(new Region(p.label(), kind, p.offset(), p.size(), slot,
                    target ? Math.min(progress.bytes(), p.size()) : -1, target ? progress.total() : 0));
        }
        long flash = MIN_FLASH;
        while (flash < end) {
            flash <<= 1;
        }
        return new FlashMap(flash, regions, device.lastError() != null && BRICKED.equals(device.lastError().code()));
    }

    /**
     * The slot a running download writes to: the OTA slot after the running one, as ESP-IDF's
     * {@code esp_ota_get_next_update_partition} chooses it (factory and the last slot wrap to ota_0).
     * Null when no download is under way.
     */
    static String downloadTarget(DeviceSnapshot device) {
        TelemetryLine.OtaProgress p = device.lastProgress();
        if (p == null || !(p.phase().equals("download") || p.phase().equals("verify") || p.phase().equals("activate"))) {
            return null;
        }
        List<String> otaSlots = device.slots().stream().map(SlotReport::slot).filter(s -> s.startsWith("ota_")).toList();
        if (otaSlots.isEmpty()) {
            return null;
        }
        int running = otaSlots.indexOf(device.runningSlot());
        return otaSlots.get(running < 0 ? 0 : (running + 1) % otaSlots.size());
    }
}
