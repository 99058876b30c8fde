package org.secureota.workbench.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.firmware.ReleaseStore;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.Source;

/**
 * {@code GET|HEAD /firmware/<release file>}: streams a published image with {@code Content-Length},
 * {@code ETag}, {@code Accept-Ranges} and single-range requests (206, 416).
 *
 * <p>Access: a download needs a provisioned device's API key by default, as hawkBit's artifact
 * downloads do (the device already sends it with its manifest request), and the release must be of
 * that device's product; {@code serve --public-downloads} lifts this for labs that want to fetch
 * images with a plain browser. Slots are shared out ({@link DownloadSlots}): in all, per source
 * address and per device. A reader that takes nothing for {@link ServerLimits#downloadStallTimeout}
 * is dropped, so a client that stops reading cannot keep its slot for the whole idle timeout.
 *
 * <p>Security: the file name is looked up in the release store's list of published images
 * ({@link ReleaseStore#byFileName}); no part of the request is ever joined to a file system path, so
 * nothing but a published image can be reached. The file is opened without following symbolic links.
 *
 * <p>Memory: the image is copied from its file channel to the connection through Jetty's pooled
 * buffers of {@value #CHUNK} bytes, asynchronously, so a 64 MiB image costs a few buffers and no
 * thread while the client is slow, whatever the number of downloads.
 *
 * <p>The server serves what is on disk, byte for byte, even if someone altered the file after it was
 * published: detecting that is the device's job (the manifest's size and SHA-256), and the lab's
 * store-tampering attack depends on the server not hiding it. The ETag is therefore derived from the
 * file as it is now (size and modification time, like nginx's), not from the manifest, so a resumed
 * download with {@code If-Range} restarts from zero when the file changed under it.
 */
final class FirmwareDownloads {

    /** Large enough to amortize the per-chunk callbacks (16 TLS records each), small enough that 64 downloads cost 16 MiB. */
    static final int CHUNK = 256 * 1024;

    private final ReleaseStore releases;
    private final Journal journal;
    private final DeviceAuthenticator authenticator;
    private final boolean publicDownloads;
    private final DownloadSlots slots;
    private final long stallTimeoutMs;
    private final ByteBufferPool.Sized buffers;

    FirmwareDownloads(ReleaseStore releases, Journal journal, DeviceAuthenticator authenticator,
                      boolean publicDownloads, ServerLimits limits, ByteBufferPool pool) {
        this.releases = releases;
        this.journal = journal;
        this.authenticator = authenticator;
        this.publicDownloads = publicDownloads;
        this.slots = new DownloadSlots(limits.maxConcurrentDownloads(), limits.maxDownloadsPerAddress(),
                limits.maxDownloadsPerDevice());
        this.stallTimeoutMs = limits.downloadStallTimeout().toMillis();
        // Heap buffers: the JDK's TLS engine encrypts from a heap array directly, while a direct buffer
        // costs it one more copy per record; large downloads were clearly faster this way on loopback.
        this.buffers = new ByteBufferPool.Sized(pool, false, CHUNK);
    }

    /** Downloads being served right now. */
    int active() {
        return slots.active();
    }

    void handle(String fileName, Request request, Response response, Callback callback) {
        ApiKeyRegistry.Device device = null;
        if (!publicDownloads) {
            // Before the lookup: without a key, nobody learns which file names exist.
            Optional<ApiKeyRegistry.Device> authenticated =
                    authenticator.authenticate(request, response, callback, null, "firmware");
            if (authenticated.isEmpty()) {
                return;
            }
            device = authenticated.get();
        }
        Optional<Release> release = releases.byFileName(fileName);
        if (release.isEmpty()) {
            notFound(request, response, callback, "no published release has the file " + fileName);
            return;
        }
        if (device != null && !release.get().product().equals(device.product())) {
            RequestRecord.of(request).note("device " + device.id() + " of product " + device.product()
                    + " asked for an image of " + release.get().product());
            JsonResponses.error(response, callback, 403, "wrong_product", "Device '" + device.id()
                    + "' is provisioned for product '" + device.product() + "' and may download only that product's images.");
            return;
        }
        String deviceId = device == null ? null : device.id();
        Path image = release.get().imageFile();
        FileChannel channel;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(image, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new NoSuchFileException(image + " is not a regular file");
            }
            channel = FileChannel.open(image, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            journal.append(EventType.SERVER_ERROR, null, "published image " + fileName
                    + " cannot be opened: " + e.getMessage(), Map.of("file", image.toString()));
            notFound(request, response, callback, "the image of release " + release.get().product() + " "
                    + release.get().version() + " is missing from the store");
            return;
        }
        boolean handedOver = false;
        try {
            long size = channel.size();
            String etag = "\"" + Long.toHexString(size) + "-"
                    + Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.MICROSECONDS)) + "\"";
            ByteRange.Request range = ByteRange.parse(Optional.ofNullable(request.getHeaders().get(HttpHeader.RANGE)), size);
            String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
            if (ifRange != null && !ifRange.trim().equals(etag)) {
                // RFC 9110 13.1.5: the client's copy is not this file any more; send the whole new one.
                range = new ByteRange.Whole();
            }
            response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
            response.getHeaders().put(HttpHeader.ETAG, etag);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            if (range instanceof ByteRange.Unsatisfiable bad) {
                RequestRecord.of(request).note(bad.reason());
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                JsonResponses.error(response, callback, 416, "range_not_satisfiable",
                        "Range '" + request.getHeaders().get(HttpHeader.RANGE) + "': " + bad.reason()
                        + ". Ask for bytes=FIRST-LAST within 0-" + (size - 1) + ".");
                return;
            }
            String address = Request.getRemoteAddr(request);
            Optional<DownloadSlots.Refusal> refused = slots.tryAcquire(address, deviceId);
            if (refused.isPresent()) {
                RequestRecord.of(request).note("no download slot: " + refused.get().description);
                response.getHeaders().remove(HttpHeader.ETAG);
                response.getHeaders().put(HttpHeader.RETRY_AFTER, 10);
                JsonResponses.error(response, callback, 503, "too_many_downloads", "No download slot: "
                        + refused.get().description + ". Retry after 10 seconds.");
                return;
            }
            long first = 0;
            long length = size;
            if (range instanceof ByteRange.Partial partial) {
                first = partial.range().first();
                length = partial.range().length();
                response.setStatus(206);
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, partial.range().contentRange(size));
            } else {
                response.setStatus(200);
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            long idleTimeout = endPoint.getIdleTimeout();
            // The idle timeout counts from the last progress in either direction; while the body
            // streams, no progress means the reader took nothing.
            endPoint.setIdleTimeout(stallTimeoutMs);
            Callback done = release(channel, request, callback, address, deviceId, endPoint, idleTimeout);
            handedOver = true;
            if (HttpMethod.HEAD.is(request.getMethod())) {
                response.write(true, null, done);
            } else {
                Content.copy(Content.Source.from(buffers, channel, first, length), response, done);
            }
        } catch (IOException e) {
            callback.failed(e);
        } finally {
            if (!handedOver) {
                IO.close(channel);
            }
        }
    }

    /** Frees the download slot and closes the file exactly once, however the transfer ends. */
    private Callback release(FileChannel channel, Request request, Callback callback, String address, String device,
                             EndPoint endPoint, long idleTimeout) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable free = () -> {
            if (released.compareAndSet(false, true)) {
                IO.close(channel);
                slots.release(address, device);
                endPoint.setIdleTimeout(idleTimeout);
            }
        };
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                free.run();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                free.run();
                // A cut connection or a client that went away: the access journal shows how far it got.
                RequestRecord.of(request).note(stalled(x)
                        ? "dropped: the reader took nothing for " + stallTimeoutMs + " ms"
                        : "transfer aborted: " + x);
                super.failed(x);
            }
        };
    }

    private static boolean stalled(Throwable x) {
        for (Throwable t = x; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void notFound(Request request, Response response, Callback callback, String why) {
        RequestRecord.of(request).note(why);
        JsonResponses.error(response, callback, 404, "not_found", "No published firmware image has this name."
                + " Use the url from the signed manifest.");
    }
}
