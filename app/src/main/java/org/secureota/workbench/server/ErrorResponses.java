package org.secureota.workbench.server;

import java.util.Locale;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors that Jetty raises before a request reaches {@link OtaRoutes} (a malformed
 * request, headers over the limit, a path that climbs above the root) with the same JSON body as
 * every other refusal, and without Jetty's HTML page, version or stack trace.
 *
 * <p>Jetty's parser rejects a request target that cannot be normalized or holds forbidden
 * characters ({@code /firmware/../../etc/passwd}, {@code %2E%2E/%2E%2E/}, {@code %00}) with 400
 * before any handler runs. For the client that is a traversal attempt like any other, so it gets
 * the same 404 as {@code ..%2f}: which layer stopped it is for the journal, not for the attacker.
 */
final class ErrorResponses implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Throwable cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        RequestRecord record = RequestRecord.of(request);
        if (status == 400 && (badRequestTarget(cause)
                || RequestPath.segments(request.getHttpURI().getPath()).isEmpty())) {
            record.note("path refused before routing: " + describe(message, cause));
            JsonResponses.error(response, callback, 404, "not_found", "There is nothing at this path.");
            return true;
        }
        record.note(describe(message, cause));
        String text = switch (status) {
            case 431 -> "The request headers are too large. An OTA request needs only Host, Authorization and Range.";
            case 413 -> "The request body is too large.";
            case 400 -> "The request is not valid HTTP/1.1 (" + describe(message, cause) + ").";
            default -> HttpStatus.getMessage(status) + ".";
        };
        JsonResponses.error(response, callback, status, "http_" + status, text);
        return true;
    }

    /** Jetty reports an unparseable request target as an IllegalArgumentException about the URI or path. */
    private static boolean badRequestTarget(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                String m = t.getMessage().toLowerCase(Locale.ROOT);
                if (m.contains("uri") || m.contains("path")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(Object message, Throwable cause) {
        Throwable root = cause;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        if (root != null && root.getMessage() != null) {
            return root.getMessage();
        }
        return message == null ? "bad request" : String.valueOf(message);
    }
}
