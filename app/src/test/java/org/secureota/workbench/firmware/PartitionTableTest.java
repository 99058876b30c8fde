package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class PartitionTableTest {

    static final String TWO_OTA_CSV = """
            # Name,   Type, SubType, Offset,   Size, Flags
            # Note: if you have increased the bootloader size, make sure to update the offsets to avoid overlap
            nvs,      data, nvs,     ,        0x4000,
            otadata,  data, ota,     ,        0x2000,
            phy_init, data, phy,     ,        0x1000,
            factory,  app,  factory, ,        1M,
            ota_0,    app,  ota_0,   ,        1M,
            ota_1,    app,  ota_1,   ,        1M,
            """;

    static final String ARDUINO_DEFAULT_CSV = """
            # Name,   Type, SubType, Offset,  Size, Flags
            nvs,      data, nvs,     0x9000,  0x5000,
            otadata,  data, ota,     0xe000,  0x2000,
            app0,     app,  ota_0,   0x10000, 0x140000,
            app1,     app,  ota_1,   0x150000,0x140000,
            spiffs,   data, spiffs,  0x290000,0x160000,
            coredump, data, coredump,0x3F0000,0x10000,
            """;

    @Test
    void goldenVectorEspIdfTwoOta() {
        PartitionTable table = PartitionTable.espIdfTwoOta();
        assertThat(table.problems()).isEmpty();
        assertThat(table.md5Hex()).isEqualTo("bf25822c0fa6d8641bd930251e06b4c4");
        assertThat(PartitionTable.fromCsv(TWO_OTA_CSV).toBinary()).isEqualTo(table.toBinary());
    }

    @Test
    void goldenVectorArduinoDefault() {
        PartitionTable table = PartitionTable.arduinoDefault();
        assertThat(table.problems()).isEmpty();
        assertThat(table.md5Hex()).isEqualTo("972dae2ff872a0142d60bad124c0666b");
        assertThat(PartitionTable.fromCsv(ARDUINO_DEFAULT_CSV).toBinary()).isEqualTo(table.toBinary());
    }

    @Test
    void binaryLayoutIsByteExact() {
        byte[] bin = PartitionTable.espIdfTwoOta().toBinary();
        assertThat(bin).hasSize(0xC00);
        // First entry: AA 50, data(1), nvs(2), offset 0x9000, size 0x4000, "nvs", flags 0.
        assertThat(HexFormat.of().formatHex(bin, 0, 32)).isEqualTo(
                "aa500102" + "00900000" + "00400000" + "6e7673" + "00".repeat(13) + "00000000");
        int md5At = 6 * 32;
        assertThat(HexFormat.of().formatHex(bin, md5At, md5At + 16)).isEqualTo("ebeb" + "ff".repeat(14));
        assertThat(HexFormat.of().formatHex(bin, md5At + 16, md5At + 32)).isEqualTo("bf25822c0fa6d8641bd930251e06b4c4");
        for (int i = md5At + 32; i < bin.length; i++) {
            assertThat(bin[i]).as("filler at %d", i).isEqualTo((byte) 0xFF);
        }
    }

    @Test
    void binaryRoundTrip() {
        for (PartitionTable table : List.of(PartitionTable.espIdfTwoOta(), PartitionTable.arduinoDefault())) {
            byte[] bin = table.toBinary();
            PartitionTable read = PartitionTable.fromBinary(bin);
            assertThat(read.problems()).isEmpty();
            assertThat(read.entries()).isEqualTo(table.entries());
            assertThat(read.toBinary()).isEqualTo(bin);
        }
    }

    @Test
    void csvIsWrittenAsGenEsp32partWritesItAndReadsBack() {
        String csv = PartitionTable.espIdfTwoOta().toCsv();
        assertThat(csv).isEqualTo("""
                # ESP-IDF Partition Table
                # Name, Type, SubType, Offset, Size, Flags
                nvs,data,nvs,0x9000,16K,
                otadata,data,ota,0xd000,8K,
                phy_init,data,phy,0xf000,4K,
                factory,app,factory,0x10000,1M,
                ota_0,app,ota_0,0x110000,1M,
                ota_1,app,ota_1,0x210000,1M,
                """);
        assertThat(PartitionTable.fromCsv(csv).entries()).isEqualTo(PartitionTable.espIdfTwoOta().entries());
        String arduino = PartitionTable.arduinoDefault().toCsv();
        assertThat(arduino).contains("app0,app,ota_0,0x10000,1280K,", "spiffs,data,spiffs,0x290000,1408K,",
                "coredump,data,coredump,0x3f0000,64K,");
        assertThat(PartitionTable.fromCsv(arduino).toBinary()).isEqualTo(PartitionTable.arduinoDefault().toBinary());
    }

    @Test
    void csvCustomTypesFlagsAndSuffixes() {
        PartitionTable table = PartitionTable.fromCsv("""
                nvs, data, nvs, , 20K
                otadata, data, ota, , 8k
                app0, app, ota_0, 0x10000, 1M, readonly
                app1, app, ota_1, , 0x100000, encrypted:readonly
                factory_data, 0x40, 0, 0x3EE000, 8192,
                """);
        assertThat(table.problems()).isEmpty();
        assertThat(table.entries()).extracting(PartitionEntry::offset)
                .containsExactly(0x9000L, 0xE000L, 0x10000L, 0x110000L, 0x3EE000L);
        assertThat(table.entries().get(2).readonly()).isTrue();
        assertThat(table.entries().get(3).flags()).isEqualTo(3);
        assertThat(table.entries().get(4).type()).isEqualTo(0x40);
        assertThat(table.toCsv()).contains("factory_data,64,0,0x3ee000,8K,", "app1,app,ota_1,0x110000,1M,encrypted:readonly");
        assertThat(PartitionTable.fromCsv(table.toCsv()).toBinary()).isEqualTo(table.toBinary());
    }

    @Test
    void badCsvNamesTheLine() {
        assertThatThrownBy(() -> PartitionTable.fromCsv("nvs, data, nvs, 0x9000, lots\n"))
                .isInstanceOf(FirmwareFormatException.class).hasMessageContaining("line 1").hasMessageContaining("Size");
        assertThatThrownBy(() -> PartitionTable.fromCsv("# c\nnvs, data\n"))
                .hasMessageContaining("line 2").hasMessageContaining("columns");
        assertThatThrownBy(() -> PartitionTable.fromCsv("x, data, nvs, , 4K, secret\n")).hasMessageContaining("unknown flag");
        assertThatThrownBy(() -> PartitionTable.fromCsv("x, data, nope, , 4K\n")).hasMessageContaining("SubType");
        assertThatThrownBy(() -> PartitionTable.fromCsv("# only comments\n")).hasMessageContaining("no partition");
        assertThatThrownBy(() -> PartitionTable.fromCsv("app0, app, , , 1M\n")).hasMessageContaining("needs a SubType");
        assertThat(PartitionTable.fromCsv("blob, data, , , 4K\n").entries().get(0).subtypeName()).isEqualTo("undefined");
    }

    @Test
    void md5MismatchMissingMd5AndBadMagicAreReported() {
        byte[] bin = PartitionTable.espIdfTwoOta().toBinary();
        byte[] changed = bin.clone();
        changed[8] = 0x50;  // nvs size 0x4000 -> 0x4050
        PartitionTable read = PartitionTable.fromBinary(changed);
        assertThat(read.problems()).extracting(ImageProblem::field).contains("md5");
        assertThat(read.problems().stream().filter(p -> p.field().equals("md5")).findFirst().orElseThrow().offset())
                .isEqualTo(6 * 32 + 16);

        byte[] noMd5 = bin.clone();
        Arrays.fill(noMd5, 6 * 32, 7 * 32, (byte) 0xFF);
        assertThat(PartitionTable.fromBinary(noMd5).problems()).extracting(ImageProblem::message)
                .anyMatch(m -> m.contains("no MD5 record"));

        byte[] badMagic = bin.clone();
        badMagic[64] = 0x12;
        assertThat(PartitionTable.fromBinary(badMagic).problems()).extracting(ImageProblem::field)
                .contains("entry[2].magic");

        byte[] random = new byte[0xC00];
        new java.util.Random(1).nextBytes(random);
        random[0] = 0x01;
        assertThat(PartitionTable.fromBinary(random).problems().get(0).message()).contains("not a partition table");
    }

    @Test
    void entryLevelProblemsAreReported() {
        byte[] bin = PartitionTable.espIdfTwoOta().toBinary();
        byte[] flags = bin.clone();
        flags[32 + 28] = 0x04;  // otadata: an undefined flag bit
        assertThat(PartitionTable.fromBinary(flags).problems()).extracting(ImageProblem::field)
                .contains("entry[1].flags", "md5");

        byte[] label = bin.clone();
        label[12] = 0x07;  // nvs label starts with BEL
        PartitionTable read = PartitionTable.fromBinary(label);
        assertThat(read.problems()).extracting(ImageProblem::field).contains("entry[0].label");
        assertThat(read.entries().get(0).label()).isEqualTo("?vs");

        byte[] afterMd5 = bin.clone();
        System.arraycopy(PartitionEntry.data("extra", PartitionTypes.DATA_NVS, 0x310000, 0x1000).toBytes(), 0,
                afterMd5, 7 * 32, 32);
        assertThat(PartitionTable.fromBinary(afterMd5).problems()).extracting(ImageProblem::message)
                .anyMatch(m -> m.contains("follows the MD5 record"));

        byte[] noEnd = Arrays.copyOf(bin, 6 * 32);  // entries only, cut before the MD5 record
        assertThat(PartitionTable.fromBinary(noEnd).problems()).extracting(ImageProblem::field).contains("end", "md5");

        byte[] erased = new byte[0xC00];
        Arrays.fill(erased, (byte) 0xFF);
        assertThat(PartitionTable.fromBinary(erased).problems()).extracting(ImageProblem::message)
                .containsExactly("the table is empty (erased flash?)");
    }

    @Test
    void layoutProblemsAreReported() {
        PartitionTable overlap = PartitionTable.of(List.of(
                PartitionEntry.data("nvs", PartitionTypes.DATA_NVS, 0x9000, 0x6000),
                PartitionEntry.data("otadata", PartitionTypes.DATA_OTA, 0xE000, 0x2000),
                PartitionEntry.app("ota_0", PartitionTypes.APP_OTA_MIN, 0x18000, 0x100000),
                PartitionEntry.app("ota_0", PartitionTypes.APP_OTA_MIN, 0x120000, 0x100000),
                PartitionEntry.data("small", PartitionTypes.DATA_OTA, 0x4000, 0)));
        assertThat(overlap.problems()).extracting(ImageProblem::message).anyMatch(m -> m.contains("overlaps 'nvs'"))
                .anyMatch(m -> m.contains("not aligned to 0x10000"))
                .anyMatch(m -> m.contains("used twice"))
                .anyMatch(m -> m.contains("appears twice"))
                .anyMatch(m -> m.contains("bootloader or the partition table"))
                .anyMatch(m -> m.contains("the partition holds nothing"))
                .anyMatch(m -> m.contains("2 data/ota partitions"));
        assertThat(PartitionTable.espIdfTwoOta().problemsOnFlash(0x200000)).extracting(ImageProblem::field)
                .containsExactly("entry[4] (ota_0).size", "entry[5] (ota_1).size");
    }

    @Test
    void queries() {
        PartitionTable table = PartitionTable.espIdfTwoOta();
        assertThat(table.otaSlots()).extracting(PartitionEntry::label).containsExactly("ota_0", "ota_1");
        assertThat(table.factory()).map(PartitionEntry::label).contains("factory");
        assertThat(table.otaData()).map(PartitionEntry::offset).contains(0xD000L);
        assertThat(table.apps()).hasSize(3);
        assertThatThrownBy(() -> table.entries().add(table.entries().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
