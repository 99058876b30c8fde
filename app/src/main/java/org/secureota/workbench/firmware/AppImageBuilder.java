package org.secureota.workbench.firmware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds a valid app image from an app descriptor and segments, as {@code esptool elf2image} lays
 * one out: segment 0 starts with {@code esp_app_desc_t} (at file offset 0x20), every segment is
 * zero-padded to a multiple of 4, and the checksum and SHA-256 are computed. Tests and the virtual
 * ESP32 tooling use it; the result passes {@link AppImage#parse} without problems.
 *
 * <pre>
 * byte[] image = AppImageBuilder.forChip(ChipId.HOST)
 *         .descriptor(AppDescriptor.of("shop-display", "2.0.0", 1))
 *         .segment(0x4008_0000L, code)
 *         .build();
 * </pre>
 */
public final class AppImageBuilder {

    /** ESP32's flash-mapped DROM window, where ESP-IDF links the app descriptor (0x3F400000 + 0x20). */
    public static final long DEFAULT_DESCRIPTOR_LOAD_ADDRESS = 0x3F40_0020L;
    /** ESP32's IRAM, a plausible entry point. */
    public static final long DEFAULT_ENTRY_ADDRESS = 0x4008_0000L;

    private final ChipId chip;
    private AppDescriptor descriptor;
    private long descriptorLoadAddress = DEFAULT_DESCRIPTOR_LOAD_ADDRESS;
    private byte[] descriptorSegmentTail = new byte[0];
    private long entryAddress = DEFAULT_ENTRY_ADDRESS;
    private boolean hashAppended = true;
    private final List<ImageSegment> segments = new ArrayList<>();

    private AppImageBuilder(ChipId chip) {
        this.chip = Objects.requireNonNull(chip, "chip");
    }

    public static AppImageBuilder forChip(ChipId chip) {
        return new AppImageBuilder(chip);
    }

    public AppImageBuilder descriptor(AppDescriptor descriptor) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        return this;
    }

    /** Where segment 0 (descriptor + rodata) loads. */
    public AppImageBuilder descriptorLoadAddress(long address) {
        this.descriptorLoadAddress = address;
        return this;
    }

    /** Read-only data that follows the descriptor in segment 0 (ESP-IDF's .flash.rodata). */
    public AppImageBuilder rodata(byte[] data) {
        this.descriptorSegmentTail = data.clone();
        return this;
    }

    public AppImageBuilder entryAddress(long address) {
        this.entryAddress = address;
        return this;
    }

    /** Whether to append the SHA-256 (ESP-IDF always does unless Secure Boot V1 is on). Default true. */
    public AppImageBuilder hashAppended(boolean appended) {
        this.hashAppended = appended;
        return this;
    }

    /** Adds a segment after segment 0; its data is zero-padded to a multiple of 4. */
    public AppImageBuilder segment(long loadAddress, byte[] data) {
        segments.add(ImageSegment.of(loadAddress, padTo4(data)));
        return this;
    }

    public ImageHeader header() {
        ImageHeader standard = ImageHeader.standard(chip, segments.size() + 1, entryAddress);
        return hashAppended ? standard : new ImageHeader(standard.magic(), standard.segmentCount(), standard.spiMode(),
                standard.spiSpeedSize(), standard.entryAddress(), standard.wpPin(), 0, 0, 0, standard.chipId(),
                standard.minChipRev(), standard.minChipRevFull(), standard.maxChipRevFull(), 0, 0);
    }

    public byte[] build() {
        if (descriptor == null) {
            throw new IllegalStateException("an app image needs an esp_app_desc_t: call descriptor(...) first");
        }
        if (segments.size() + 1 > ImageHeader.MAX_SEGMENTS) {
            throw new IllegalStateException("an image holds at most 16 segments (the descriptor segment counts as one)");
        }
        byte[] desc = descriptor.toBytes();
        byte[] first = Arrays.copyOf(desc, desc.length + descriptorSegmentTail.length);
        System.arraycopy(descriptorSegmentTail, 0, first, desc.length, descriptorSegmentTail.length);
        List<ImageSegment> all = new ArrayList<>();
        all.add(ImageSegment.of(descriptorLoadAddress, padTo4(first)));
        all.addAll(segments);
        return AppImage.encode(header(), all);
    }

    private static byte[] padTo4(byte[] data) {
        return data.length % 4 == 0 ? data.clone() : Arrays.copyOf(data, (data.length + 3) / 4 * 4);
    }
}
