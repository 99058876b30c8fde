package org.secureota.workbench.firmware;

import java.util.Random;

/** Small valid app images for tests, built with the production builder. */
final class TestImages {

    private TestImages() {
    }

    /** A host image: descriptor segment + one 64-byte code segment, SHA-256 appended. */
    static byte[] small(String version, long secureVersion) {
        byte[] code = new byte[64];
        new Random(42).nextBytes(code);
        return AppImageBuilder.forChip(ChipId.HOST)
                .descriptor(new AppDescriptor(secureVersion, version, "shop-display", "12:00:00", "Nov 24 2026",
                        "v5.1.4", new byte[32]))
                .segment(0x4008_0000L, code)
                .build();
    }

    static byte[] small() {
        return small("2.0.0", 1);
    }

    /** An ESP32 image with a few segments of the given total code size. */
    static byte[] esp32(String version, int codeBytes) {
        Random random = new Random(codeBytes);
        byte[] rodata = new byte[codeBytes / 4];
        byte[] iram = new byte[codeBytes / 2];
        byte[] dram = new byte[codeBytes - rodata.length - iram.length];
        random.nextBytes(rodata);
        random.nextBytes(iram);
        random.nextBytes(dram);
        return AppImageBuilder.forChip(ChipId.ESP32)
                .descriptor(AppDescriptor.of("shop-display", version, 0))
                .rodata(rodata)
                .segment(0x3FFB_0000L, dram)
                .segment(0x4008_0000L, iram)
                .build();
    }
}
