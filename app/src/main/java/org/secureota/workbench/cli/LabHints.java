package org.secureota.workbench.cli;

import java.nio.file.Path;
import org.secureota.workbench.foundation.LabFolder;

/**
 * Commands and paths that the CLI prints for people to paste: they must work from wherever the
 * person stands, so a lab other than the default one is named with {@code --lab}, and a lab file is
 * given by a path that works from the current folder.
 */
final class LabHints {

    private LabHints() {
    }

    /** {@code ./workbench}, plus {@code --lab DIR} when the lab is not the one the launcher defaults to. */
    static String workbench(LabFolder lab) {
        return isDefaultLab(lab) ? "./workbench" : "./workbench --lab " + DeviceCommand.shellQuote(lab.root());
    }

    /** A lab file as a path that works from the current folder: relative when under it, else absolute. */
    static String path(Path file) {
        Path p = file.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath().normalize();
        return DeviceCommand.shellQuote(p.startsWith(here) && !p.equals(here) ? here.relativize(p) : p);
    }

    /** {@link #path}, as a Path (for printers that quote it themselves). */
    static Path pathOf(Path file) {
        Path p = file.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath().normalize();
        return p.startsWith(here) && !p.equals(here) ? here.relativize(p) : p;
    }

    private static boolean isDefaultLab(LabFolder lab) {
        return lab.root().equals(new LabFolderOption().lab().root());
    }
}
