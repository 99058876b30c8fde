package org.secureota.workbench.cli;

import java.nio.file.Path;
import org.secureota.workbench.foundation.LabFolder;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The global {@code --lab DIR} option. Without it, the lab is {@code $WORKBENCH_LAB}, else the folder
 * named by {@code workbench.userLab} in the user's home (the installed package's launcher sets it: its
 * own folder is read-only), else the project root that the launcher passes as {@code workbench.home},
 * else the current folder.
 */
public final class LabFolderOption {

    @Option(names = "--lab", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Lab folder holding certs/, releases/, devices/ and sessions/ (default: the project root).")
    private Path lab;

    public LabFolder lab() {
        if (lab != null) {
            return new LabFolder(lab);
        }
        String env = System.getenv("WORKBENCH_LAB");
        if (env != null && !env.isBlank()) {
            return new LabFolder(Path.of(env));
        }
        String inHome = System.getProperty("workbench.userLab");
        if (inHome != null && !inHome.isBlank()) {
            // $HOME first, as desktop programs do (the JVM's user.home comes from the password database).
            String home = System.getenv("HOME");
            return new LabFolder(Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")).resolve(inHome));
        }
        return new LabFolder(Path.of(System.getProperty("workbench.home", ".")));
    }
}
