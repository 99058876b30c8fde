package org.secureota.workbench.session;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.secureota.workbench.foundation.AtomicFiles;
import org.secureota.workbench.foundation.LabFolder;

/**
 * The real boards brought into a lab with {@code board add}: {@code devices/boards.json}, each
 * board's serial port and the server URL its factory data holds. {@code lab} and the window
 * attach them when they start, so the board joins the session that owns its link.
 */
public final class LabBoards {

    public static final String FILE_NAME = "boards.json";

    /** One board: where it is plugged in and the URL it was provisioned with. */
    public record Board(String port, String url) {
        public int serverPort() {
            int p = URI.create(url).getPort();
            return p < 0 ? 443 : p;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LabBoards() {
    }

    public static Path file(LabFolder lab) {
        return lab.devices().resolve(FILE_NAME);
    }

    public static Map<String, Board> read(LabFolder lab) {
        Path file = file(lab);
        if (!Files.isRegularFile(file)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, Board>>() { }));
        } catch (IOException e) {
            throw new LabSessionException(file + " is not a boards file (" + e.getMessage() + "). Fix or delete it and"
                    + " add the boards again with 'board add'.", e);
        }
    }

    public static void put(LabFolder lab, String id, Board board) {
        Map<String, Board> all = read(lab);
        all.put(id, board);
        try {
            Files.createDirectories(lab.devices());
            AtomicFiles.write(file(lab), JSON.writeValueAsBytes(all), AtomicFiles.PUBLIC_READ);
        } catch (IOException e) {
            throw new LabSessionException("Cannot write " + file(lab) + ": " + e.getMessage() + ". Check that the lab folder"
                    + " is writable.", e);
        }
    }

    /**
     * {@code options} for a session that serves the recorded boards: listening on every address, at
     * {@code chosenPort} or else the first board's port, with a certificate that names every board's
     * host. Unchanged when the lab has no board.
     */
    public static SessionSetup serving(SessionSetup options, int chosenPort) {
        Map<String, Board> boards = read(options.lab());
        if (boards.isEmpty()) {
            return options;
        }
        boards.values().forEach(b -> LanServer.coverHost(options.lab(), b.url()));
        int port = chosenPort != 0 ? chosenPort : boards.values().iterator().next().serverPort();
        return options.withBind("0.0.0.0").withServerPort(port);
    }
}
