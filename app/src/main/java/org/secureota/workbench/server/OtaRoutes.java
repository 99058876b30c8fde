package org.secureota.workbench.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one handler of the OTA server: reads the raw path strictly ({@link RequestPath}) and sends each
 * request to its endpoint.
 *
 * <pre>
 * GET       /api/v1/health
 * GET       /api/v1/manifest?product=NAME&amp;device=ID&amp;current=VERSION   (API key)
 * POST      /api/v1/devices/{id}/report                                 (API key)
 * GET, HEAD /firmware/{release file}
 * </pre>
 */
final class OtaRoutes extends Handler.Abstract {

    private final ManifestApi manifests;
    private final FirmwareDownloads downloads;
    private final DeviceReports reports;
    private final SlowClientGuard guard;

    OtaRoutes(ManifestApi manifests, FirmwareDownloads downloads, DeviceReports reports, SlowClientGuard guard) {
        this.manifests = manifests;
        this.downloads = downloads;
        this.reports = reports;
        this.guard = guard;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // Captured now, from the request as the TLS customizer made it, for the access journal.
        request.setAttribute(AccessJournal.TLS_ATTRIBUTE, AccessJournal.tlsOf(request));
        RequestRecord.of(request);
        Request.addCompletionListener(request, failure -> guard.responseCompleted(request));
        String method = request.getMethod();
        boolean hasBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (!hasBody) {
            guard.requestReceived(request);
        }
        response.getHeaders().put("X-Content-Type-Options", "nosniff");

        Optional<List<String>> parsed = RequestPath.segments(request.getHttpURI().getPath());
        if (parsed.isEmpty()) {
            RequestRecord.of(request).note("path refused: not a plain path");
            notFound(response, callback);
            return true;
        }
        List<String> p = parsed.get();
        if (p.equals(List.of("api", "v1", "health"))) {
            if (allow(method, response, callback, "GET")) {
                JsonResponses.json(response, callback, 200, Map.of("status", "ok"));
            }
        } else if (p.equals(List.of("api", "v1", "manifest"))) {
            if (allow(method, response, callback, "GET")) {
                manifests.handle(request, response, callback);
            }
        } else if (p.size() == 5 && p.get(0).equals("api") && p.get(1).equals("v1") && p.get(2).equals("devices")
                && p.get(4).equals("report") && Names.isValid(p.get(3))) {
            if (allow(method, response, callback, "POST")) {
                reports.handle(p.get(3), request, response, callback);
            }
        } else if (p.size() == 2 && p.get(0).equals("firmware")) {
            if (allow(method, response, callback, "GET", "HEAD")) {
                downloads.handle(p.get(1), request, response, callback);
            }
        } else {
            notFound(response, callback);
        }
        return true;
    }

    private static boolean allow(String method, Response response, Callback callback, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return true;
            }
        }
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
        JsonResponses.error(response, callback, 405, "method_not_allowed",
                "This endpoint accepts " + String.join(" or ", allowed) + " only.");
        return false;
    }

    private static void notFound(Response response, Callback callback) {
        JsonResponses.error(response, callback, 404, "not_found", "There is nothing at this path. The OTA server"
                + " serves /api/v1/health, /api/v1/manifest, /api/v1/devices/ID/report and /firmware/FILE.");
    }
}
