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

        ReplayViewModel.Replay replay = model.open(dir).get();
        assertThat(replay.size()).isEqualTo(4);
        assertThat(model.size()).isEqualTo(4);
        assertThat(replay.columns()).as("columns only: the text stays in the file")
                .allSatisfy(e -> assertThat(e.message()).isEmpty());
        assertThat(replay.details().apply(2).message()).as("an event's details read back from the journal")
                .isEqualTo(Telemetry.PARTITIONS);
        assertThat(model.event(4).message()).isEqualTo(Telemetry.VERDICT_HASH);
        assertThat(model.event(5)).isNull();
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
        assertThat(model.size()).isZero();
        assertThat(model.event(2)).isNull();
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
        ReplayViewModel.Replay replay = model.open(zip).get();
        assertThat(replay.size()).isEqualTo(4);
        assertThat(model.devicesAt(Long.MAX_VALUE)).containsKey("esp32-lab-01");
        assertThat(replay.details().apply(3).message()).as("read back from the zip's journal").isEqualTo(Telemetry.DOWNLOAD_HALF);

        Path notAZip = dir.resolve("other.zip");
        Files.writeString(notAZip, "not a zip");
        assertThatThrownBy(() -> model.open(notAZip).get()).hasCauseInstanceOf(java.io.UncheckedIOException.class);
        assertThat(model.size()).as("the replay on screen stays").isEqualTo(4);
        assertThat(model.event(1).message()).isEqualTo(Telemetry.BOOT_V1);
        assertThat(model.fileProperty().get()).isEqualTo(zip);

        model.leave();
        assertThat(replay.details().apply(1)).as("the zip's temporary copy is gone once the replay is left").isNull();
    }
}
