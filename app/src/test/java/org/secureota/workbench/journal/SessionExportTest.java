package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class SessionExportTest {

    @Test
    void zipHoldsJournalTranscriptAndAnEscapedReport(@TempDir Path lab) throws Exception {
        Path sessions = lab.resolve("sessions");
        SessionLog older = SessionLog.create(sessions, Instant.parse("2026-01-01T00:00:00Z"));
        older.close();
        SessionLog log = SessionLog.create(sessions, Instant.parse("2026-11-24T10:00:00Z"));
        try (Journal journal = new Journal(log)) {
            journal.append(Source.DEVICE, "esp32-01", SessionExport.SERIAL_RX, "I (312) boot: ESP-IDF v5.1", Map.of());
            journal.append(Source.ATTACKER, null, "attack.armed", "<script>alert(1)</script>", Map.of("attack", "rogue"));
            journal.append(Source.DEVICE, "esp32-01", SessionExport.SERIAL_TX, "check", Map.of());
            journal.append(Source.SERVER, "esp32-01", "device.report", "esp32-01 reports refused: bad\u0000 \u202Edesufer",
                    Map.of("reason", "bad\u0000 \u202Edesufer"));
        }
        log.close();
        Files.writeString(log.journalFile(), "{broken\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(SessionExport.latestSession(sessions)).contains(log.directory());
        Path zip = lab.resolve("out/export.zip");
        SessionReader.Result read = SessionExport.export(log.directory(), zip);
        assertThat(read.events()).hasSize(4);
        assertThat(read.errors()).hasSize(1);

        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        String name = log.directory().getFileName().toString();
        assertThat(entries).containsOnlyKeys(name + "/journal.jsonl", name + "/serial.log", name + "/report.html");
        assertThat(entries.get(name + "/journal.jsonl")).isEqualTo(Files.readString(log.journalFile()));
        assertThat(entries.get(name + "/serial.log")).hasLineCount(2);
        assertThat(entries.get(name + "/serial.log")).contains("esp32-01 < I (312) boot: ESP-IDF v5.1")
                .contains("esp32-01 > check").doesNotContain("script");
        String report = entries.get(name + "/report.html");
        assertThat(report).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(report).contains("Damaged lines").contains("4 events");
        // A NUL and a right-to-left override from the network are shown as escapes, never as themselves.
        assertThat(report).doesNotContain("\u0000", "\u202E").contains("bad<span class=\"esc\">\\u0000</span> <span class=\"esc\">\\u202E</span>desufer");
    }
}
