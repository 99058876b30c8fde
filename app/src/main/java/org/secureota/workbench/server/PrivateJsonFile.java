package org.secureota.workbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.secureota.workbench.foundation.AtomicFiles;

/**
 * A small JSON state file of the server (devices, deployments) that only the lab's owner may read.
 *
 * <p>Writes go to a temporary file created with mode 0600 and are then renamed into place, so a
 * reader (another {@code ./workbench} process, the running server) never sees half a file and no
 * other user can open it even briefly. {@link #changedSince} lets a long-running server pick up
 * edits made by the CLI in another terminal without a restart.
 */
final class PrivateJsonFile {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What identifies one version of the file on disk; {@code null} fields mean "absent". */
    record Stamp(FileTime modified, long size, Object fileKey) {
        static final Stamp ABSENT = new Stamp(null, -1, null);
    }

    private final Path file;

    PrivateJsonFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the attributes of " + file + ": " + e.getMessage(), e);
        }
    }

    boolean changedSince(Stamp seen) {
        return !Objects.equals(stamp(), seen);
    }

    /** The parsed file, or null when it does not exist yet. */
    JsonNode read() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ServerStateException(file + " is not a JSON object. Fix it by hand or delete it to start over.");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ServerStateException(file + " is not valid JSON (" + e.getOriginalMessage()
                    + "). Fix it by hand or delete it to start over.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void write(JsonNode content) {
        write(content, AtomicFiles.Durability.POWER_LOSS);
    }

    void write(JsonNode content, AtomicFiles.Durability durability) {
        try {
            AtomicFiles.write(file, MAPPER.writeValueAsBytes(content), AtomicFiles.OWNER_ONLY, durability);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage()
                    + ". Check that the lab folder is writable.", e);
        }
    }
}
