package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Our bytes against an independent reader: {@code esp32_formats_check.py}, a standard-library-only
 * Python parser written from gen_esp32part.py's and esptool's definitions. It reads what we write,
 * and we read what it writes, byte for byte. Skipped when python3 is not installed.
 */
@Tag("integration")
class PythonFormatCheckTest {

    static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPythonAndScript() throws Exception {
        require(pythonAvailable(), "python3 is not installed");
        script = Path.of(PythonFormatCheckTest.class.getResource("/esp32_formats_check.py").toURI());
    }

    static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String python(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    JsonNode pythonReads(String kind, byte[] bytes) throws Exception {
        Path file = dir.resolve(kind + ".bin");
        Files.write(file, bytes);
        return new ObjectMapper().readTree(python(kind, file.toString()));
    }

    @Test
    void pythonReadsOurPartitionTablesAsGenEsp32partWould() throws Exception {
        for (PartitionTable table : List.of(PartitionTable.espIdfTwoOta(), PartitionTable.arduinoDefault())) {
            JsonNode read = pythonReads("table", table.toBinary());
            assertThat(read.get("md5_ok").asBoolean()).isTrue();
            assertThat(read.get("md5").asText()).isEqualTo(table.md5Hex());
            assertThat(read.get("entries")).hasSize(table.entries().size());
            for (int i = 0; i < table.entries().size(); i++) {
                PartitionEntry e = table.entries().get(i);
                JsonNode p = read.get("entries").get(i);
                assertThat(p.get("label").asText()).isEqualTo(e.label());
                assertThat(p.get("type").asInt()).isEqualTo(e.type());
                assertThat(p.get("subtype").asInt()).isEqualTo(e.subtype());
                assertThat(p.get("offset").asLong()).isEqualTo(e.offset());
                assertThat(p.get("size").asLong()).isEqualTo(e.size());
                assertThat(p.get("flags").asInt()).isEqualTo(e.flags());
            }
        }
    }

    @Test
    void weWriteTheSameTableBytesAsAnIndependentWriter() throws Exception {
        Path file = dir.resolve("python-table.bin");
        python("write-table", file.toString());
        byte[] theirs = Files.readAllBytes(file);
        assertThat(PartitionTable.espIdfTwoOta().toBinary()).isEqualTo(theirs);
        PartitionTable read = PartitionTable.fromBinary(theirs);
        assertThat(read.problems()).isEmpty();
        assertThat(read.entries()).isEqualTo(PartitionTable.espIdfTwoOta().entries());
    }

    @Test
    void otadataAgreesBothWays() throws Exception {
        OtaData ours = OtaData.erased().withBootSlot(0, 2, OtaState.VALID).withBootSlot(1, 2, OtaState.NEW);
        JsonNode read = pythonReads("otadata", ours.toBytes());
        assertThat(read.at("/crc_of/1").asLong()).isEqualTo(OtaDataEntry.crcOf(1)).isEqualTo(0x4743989AL);
        assertThat(read.at("/crc_of/2").asLong()).isEqualTo(OtaDataEntry.crcOf(2)).isEqualTo(0x55F63774L);
        assertThat(read.at("/crc_of/3").asLong()).isEqualTo(OtaDataEntry.crcOf(3)).isEqualTo(0xED4A5011L);
        for (int i = 0; i < 2; i++) {
            JsonNode e = read.get("entries").get(i);
            assertThat(e.get("seq").asLong()).isEqualTo(ours.entry(i).seq());
            assertThat(e.get("state").asLong()).isEqualTo(ours.entry(i).stateRaw());
            assertThat(e.get("crc_ok").asBoolean()).isTrue();
            assertThat(e.get("label_ff").asBoolean()).isTrue();
        }

        Path file = dir.resolve("python-otadata.bin");
        python("write-otadata", file.toString(), "3", "2", "2", "3");
        OtaData theirs = OtaData.fromPartition(Files.readAllBytes(file));
        assertThat(theirs.toBytes()).isEqualTo(Files.readAllBytes(file));
        assertThat(theirs.first()).isEqualTo(OtaDataEntry.of(3, OtaState.VALID));
        assertThat(theirs.second()).isEqualTo(OtaDataEntry.of(2, OtaState.INVALID));
        assertThat(theirs.activeIndex()).hasValue(0);
        assertThat(theirs.bootSlot(2)).hasValue(0);
    }

    @Test
    void pythonReadsOurImagesAsEsptoolWould() throws Exception {
        for (byte[] bytes : List.of(TestImages.small("2.0.0", 1), TestImages.esp32("1.2.3", 5000),
                AppImageBuilder.forChip(ChipId.ESP32_C3).descriptor(AppDescriptor.of("p", "0.0.1", 9)).hashAppended(false).build())) {
            AppImage ours = AppImage.parse(bytes);
            assertThat(ours.problems()).isEmpty();
            JsonNode read = pythonReads("image", bytes);
            assertThat(read.get("magic").asInt()).isEqualTo(0xE9);
            assertThat(read.get("chip_id").asInt()).isEqualTo(ours.header().orElseThrow().chipId());
            assertThat(read.get("wp_pin").asInt()).isEqualTo(0xEE);
            assertThat(read.get("segments")).hasSize(ours.segments().size());
            for (int i = 0; i < ours.segments().size(); i++) {
                assertThat(read.get("segments").get(i).get("load_addr").asLong()).isEqualTo(ours.segments().get(i).loadAddress());
                assertThat(read.get("segments").get(i).get("length").asInt()).isEqualTo(ours.segments().get(i).length());
            }
            assertThat(read.get("checksum_stored").asInt()).isEqualTo(read.get("checksum_computed").asInt())
                    .isEqualTo(ours.storedChecksum());
            if (ours.hashAppended()) {
                assertThat(read.get("sha256_ok").asBoolean()).isTrue();
            } else {
                assertThat(read.get("sha256_ok").isNull()).isTrue();
            }
            assertThat(read.get("image_end").asLong()).isEqualTo(read.get("file_size").asLong()).isEqualTo(bytes.length);
            assertThat(read.get("sha256").asText()).isEqualTo(ours.sha256());
            AppDescriptor d = ours.descriptor().orElseThrow();
            assertThat(read.at("/app/magic").asLong()).isEqualTo(0xABCD5432L);
            assertThat(read.at("/app/version").asText()).isEqualTo(d.version());
            assertThat(read.at("/app/project_name").asText()).isEqualTo(d.projectName());
            assertThat(read.at("/app/secure_version").asLong()).isEqualTo(d.secureVersion());
            assertThat(read.at("/app/idf_ver").asText()).isEqualTo(d.idfVersion());
        }
    }
}
