package org.secureota.workbench.session;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.foundation.LabFolder;

/** What the session tests share: the project root, the build check, and what "V1 running" means. */
final class SessionTestSupport {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    /** Generous: a board boots in well under a second, but CI machines are shared and slow. */
    static final Duration WAIT = Duration.ofSeconds(90);

    private SessionTestSupport() {
    }

    /** The virtual board must be built; in CI a missing build fails the test instead of skipping it. */
    static void requireBoard() {
        String why = "the virtual ESP32 is not built (" + VirtualEsp32.executable(ROOT) + " is missing): run"
                + " esp32-firmware/host-build.sh or mvn package";
        if (!VirtualEsp32.isBuilt(ROOT)) {
            if (System.getenv("CI") != null) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }

    static SessionSetup options(Path root) {
        return SessionSetup.defaults(new LabFolder(root)).withProjectRoot(ROOT);
    }

    static boolean v1Running(DeviceSnapshot s) {
        return "1.0.0".equals(s.version()) && s.runningState() != null && s.runningState().toString().equalsIgnoreCase("valid")
                && !s.slots().isEmpty();
    }
}
