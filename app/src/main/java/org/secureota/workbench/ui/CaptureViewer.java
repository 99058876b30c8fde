package org.secureota.workbench.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a capture in Wireshark when it is installed (on the PATH); nothing else stands in for it. */
final class CaptureViewer {

    private CaptureViewer() {
    }

    /** Starts Wireshark on {@code capture} and returns true, or returns false when there is no Wireshark. */
    static boolean open(Path capture) throws IOException {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path wireshark = Path.of(dir, "wireshark");
            if (Files.isExecutable(wireshark)) {
                new ProcessBuilder(wireshark.toString(), capture.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return true;
            }
        }
        return false;
    }
}
