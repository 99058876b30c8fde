package org.secureota.workbench.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both durabilities replace a file whole, with its permissions from the start, and leave no temporary file. */
@Tag("unit")
class AtomicFilesTest {

    @Test
    void eachDurabilityReplacesTheFileWholeWithItsPermissionsAndNoTemporaryFileLeft(@TempDir Path dir) throws Exception {
        for (AtomicFiles.Durability d : AtomicFiles.Durability.values()) {
            Path file = dir.resolve(d.name() + ".json");
            AtomicFiles.write(file, "{\"a\":1}".getBytes(), AtomicFiles.OWNER_ONLY, d);
            AtomicFiles.write(file, "{\"b\":22}".getBytes(), AtomicFiles.OWNER_ONLY, d);
            assertThat(Files.readString(file)).isEqualTo("{\"b\":22}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("POWER_LOSS.json", "PROCESS_DEATH.json");
        }
    }
}
