package org.secureota.workbench.ui;

import java.util.Locale;
import java.util.Map;

/** Whether a window can open here, asked before JavaFX starts (its own failure is a stack trace). */
public final class DisplayCheck {

    private DisplayCheck() {
    }

    /** Null when a display is available, else why not, in one line. */
    public static String problem(Map<String, String> env, String osName) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        if (isSet(env, "DISPLAY") || isSet(env, "WAYLAND_DISPLAY")) {
            return null;
        }
        return "No display (neither DISPLAY nor WAYLAND_DISPLAY is set): run the lab headless with"
                + " './workbench lab', or the window under a virtual display with 'xvfb-run -a ./workbench'.";
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
