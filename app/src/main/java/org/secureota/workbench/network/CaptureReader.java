package org.secureota.workbench.network;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what a {@link CaptureRecorder} wrote: the connections in the order they opened, each with its events. */
public final class CaptureReader {

    /** One recorded connection. */
    public record Connection(long id, long openedMicros, String deviceHost, int devicePort, int endpointPort,
                             String upstreamName, String upstreamHost, int upstreamPort, List<Event> events) {
    }

    /**
     * One event of a connection: bytes one way ({@code data} non-null), a side that finished sending
     * ({@code fin}), or a reset.
     */
    public record Event(long micros, boolean fromDevice, byte[] data, boolean fin, boolean reset) {
    }

    /** What was read; {@code truncated} when the file ends inside a record (a session still writing, or cut short). */
    public record Result(List<Connection> connections, boolean truncated) {
    }

    private CaptureReader() {
    }

    public static Result read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = new byte[CaptureRecorder.MAGIC.length];
            try {
                in.readFully(magic);
            } catch (EOFException e) {
                throw new IOException(file + " is not a workbench capture (too short)");
            }
            if (!Arrays.equals(magic, CaptureRecorder.MAGIC)) {
                throw new IOException(file + " is not a workbench capture (no OTACAP1 header)");
            }
            Map<Long, Connection> connections = new LinkedHashMap<>();
            boolean truncated = false;
            for (;;) {
                int type = in.read();
                if (type < 0) {
                    break;
                }
                try {
                    long id = in.readLong();
                    long micros = in.readLong();
                    switch (type) {
                        case CaptureRecorder.OPEN -> {
                            String deviceHost = in.readUTF();
                            int devicePort = in.readUnsignedShort();
                            int endpointPort = in.readUnsignedShort();
                            String name = in.readUTF();
                            String host = in.readUTF();
                            int port = in.readUnsignedShort();
                            connections.put(id, new Connection(id, micros, deviceHost, devicePort, endpointPort, name,
                                    host, port, new ArrayList<>()));
                        }
                        case CaptureRecorder.DATA -> {
                            boolean up = in.readByte() != 0;
                            int len = in.readInt();
                            if (len < 0 || len > (1 << 24)) {
                                throw new IOException(file + " is damaged: a block of " + len + " bytes");
                            }
                            byte[] b = new byte[len];
                            in.readFully(b);
                            add(connections, id, new Event(micros, up, b, false, false));
                        }
                        case CaptureRecorder.FIN -> add(connections, id, new Event(micros, in.readByte() != 0, null,
                                true, false));
                        case CaptureRecorder.RESET -> add(connections, id, new Event(micros, false, null, false, true));
                        default -> throw new IOException(file + " is damaged: unknown record type " + type);
                    }
                } catch (EOFException e) {
                    truncated = true;
                    break;
                }
            }
            return new Result(List.copyOf(connections.values()), truncated);
        }
    }

    private static void add(Map<Long, Connection> connections, long id, Event e) {
        Connection c = connections.get(id);
        if (c != null) {
            c.events().add(e);
        }
    }
}
