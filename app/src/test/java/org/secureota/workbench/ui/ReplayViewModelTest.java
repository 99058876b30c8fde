package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalJson;
import org.secureota.workbench.journal.Source;

/** The replay's view model on a current-thread executor: a journal, a session folder and an exported zip. */
@Tag("unit")
class ReplayViewModelTest {

    @TempDir
    Path dir;

    private List<String> recording() {
        List<String> lines = List.of(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.DOWNLOAD_HALF, Telemetry.VERDICT_HASH);
        List<String> jsonl = new ArrayList<>();
        long seq = 0;
        for (String line : lines) {
            seq++;
            jsonl.add(JournalJson.toLine(new JournalEvent(seq, Instant.parse("2026-11-30T10:00:00Z").plusSeconds(seq),
                    seq * 1_000_000_000L, Source.DEVICE, "esp32-lab-01", EventType.SERIAL_RX.wireName(), line, Map.of())));
        }
        return jsonl;
    }

    @Test
    void aJournalIsReplayedAndTheDevicesFollowTheCursor() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Files.write(journal, recording());
        ReplayViewModel model = new ReplayViewModel(Runnable::run, Runnable::run);
        model.labPresentProperty().set(true);
        assertThat(model.liveControlsBinding().get()).isTrue();

        List<JournalEvent> events = model.open(dir).get();
        assertThat(events).hasSize(4);
        assertThat(model.replaying()).isTrue();
        assertThat(model.fileProperty().get()).isEqualTo(journal);
        assertThat(model.liveControlsBinding().get()).as("no live control acts on a replay").isFalse();

        DeviceSnapshot before = model.devicesAt(1_000_000_000L).get("esp32-lab-01");
        assertThat(before.version()).isNotNull();
        assertThat(before.lastVerdict()).isNull();
        assertThat(model.consoleAt("esp32-lab-01", 2_000_000_000L)).containsExactly(Telemetry.BOOT_V1, Telemetry.PARTITIONS);
        assertThat(model.devicesAt(Long.MAX_VALUE).get("esp32-lab-01").lastVerdictCode()).contains("HASH_MISMATCH");
        assertThat(model.consoleAt("esp32-lab-02", Long.MAX_VALUE)).isEmpty();

        model.leave();
        assertThat(model.replaying()).isFalse();
        assertThat(model.events()).isEmpty();
        assertThat(model.liveControlsBinding().get()).isTrue();
        model.labPresentProperty().set(false);
        assertThat(model.liveControlsBinding().get()).isFalse();
    }

    @Test
    void anExportedZipIsReplayedAndAnUnreadableFileChangesNothing() throws Exception {
        Path zip = dir.resolve("session-1.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("session-1/journal.jsonl"));
            out.write(String.join("\n", recording()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        ReplayViewModel model = new ReplayViewModel(Runnable::run, Runnable::run);
        assertThat(model.open(zip).get()).hasSize(4);
        assertThat(model.devicesAt(Long.MAX_VALUE)).containsKey("esp32-lab-01");

        Path notAZip = dir.resolve("other.zip");
        Files.writeString(notAZip, "not a zip");
        assertThatThrownBy(() -> model.open(notAZip).get()).hasCauseInstanceOf(java.io.UncheckedIOException.class);
        assertThat(model.events()).as("the replay on screen stays").hasSize(4);
        assertThat(model.fileProperty().get()).isEqualTo(zip);
    }
}
