package org.secureota.workbench;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * For tests that need something the machine may lack (the built virtual ESP32, openssl, python3):
 * on a developer's machine a missing prerequisite skips the test, with the message; in CI
 * ({@code CI=true}) it fails it, because there a test that cannot run is a broken build, never a
 * silent pass.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /** Whether this run is CI's ({@code CI=true}, as GitHub Actions and most CI services set it). */
    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips the test when {@code available} is false, or fails it in CI. */
    public static void require(boolean available, String whatIsMissing) {
        require(available, whatIsMissing, inCi());
    }

    static void require(boolean available, String whatIsMissing, boolean ci) {
        if (!available && ci) {
            fail("Cannot run in CI (CI=true), where no test may skip: " + whatIsMissing);
        }
        assumeTrue(available, whatIsMissing);
    }
}
