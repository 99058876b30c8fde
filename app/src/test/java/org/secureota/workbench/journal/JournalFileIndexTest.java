package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal file indexed once and its events read back by sequence number: a file, a zip, bad lines. */
@Tag("unit")
class JournalFileIndexTest {

    @TempDir
    Path dir;

    private static JournalEvent event(long seq, String message) {
        return new JournalEvent(seq, Instant.parse("2026-12-07T10:00:00Z").plusMillis(seq), seq * 1000, Source.DEVICE,
                "esp32-lab-01", "serial.rx", message, Map.of("n", seq));
    }

    private List<String> lines() {
        // Multi-byte text (É, €) moves the byte offsets away from the character counts.
        return List.of(JournalJson.toLine(event(1, "boot")), JournalJson.toLine(event(2, "MISE À JOUR É € 5 %")),
                "", "{not json", JournalJson.toLine(event(3, "done")));
    }

    @Test
    void eventsAreReadBackFromTheFileNotKept() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Files.write(file, lines(), StandardCharsets.UTF_8);
        List<JournalEvent> seen = new ArrayList<>();
        try (JournalFileIndex index = JournalFileIndex.read(file, seen::add)) {
            assertThat(seen).extracting(JournalEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(index.size()).isEqualTo(3);
            assertThat(index.badLines()).as("the line that is not JSON is skipped, not fatal").isEqualTo(1);
            JournalEvent second = index.event(2);
            assertThat(second.message()).isEqualTo("MISE À JOUR É € 5 %");
            assertThat(second.seq()).isEqualTo(2);
            assertThat(second.deviceId()).isEqualTo("esp32-lab-01");
            assertThat(index.event(3).message()).isEqualTo("done");
            assertThat(index.event(1).field("n")).contains("1");
            assertThat(index.event(4)).isNull();
        }
        assertThat(file).as("a journal of its own is not deleted").exists();
    }

    @Test
    void anExportedZipIsReadThroughATemporaryCopyThatCloseDeletes() throws IOException {
        Path zip = dir.resolve("session.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("session-1/journal.jsonl"));
            out.write(String.join("\n", lines()).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        JournalFileIndex index = JournalFileIndex.readExport(zip, e -> { });
        assertThat(index.event(3).message()).isEqualTo("done");
        index.close();
        assertThat(index.event(3)).as("the copy is gone").isNull();

        Path empty = dir.resolve("empty.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.closeEntry();
        }
        assertThatThrownBy(() -> JournalFileIndex.readExport(empty, e -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("holds no journal.jsonl");
    }
}
