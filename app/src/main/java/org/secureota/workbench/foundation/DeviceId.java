package org.secureota.workbench.foundation;

import java.util.regex.Pattern;

/**
 * The one rule for a device id. Ids end up in folder names, URLs, journals and the device's boot
 * report, so they are kept plain: 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a
 * letter or digit, and never "..", which would read as a parent folder in a path.
 * The session, the CLI, the server and the demo scripts all ask this class, so an id that one of
 * them accepts is never refused later by another.
 */
public final class DeviceId {

    public static final int MAX_LENGTH = 64;
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    /** What a user is told whenever an id is refused. */
    public static final String RULE = "use 1 to " + MAX_LENGTH + " letters, digits, '.', '_' or '-', starting with a"
            + " letter or digit, without '..' (for example esp32-lab-01)";

    private DeviceId() {
    }

    public static boolean isValid(String id) {
        return id != null && SYNTAX.matcher(id).matches() && !id.contains("..");
    }

    /** Null when {@code id} is valid, otherwise one sentence saying what is wrong and what to do. */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "A device id is needed: " + RULE + ".";
        }
        if (isValid(id)) {
            return null;
        }
        return "'" + id + "' is not a usable device id: " + RULE + ".";
    }
}
