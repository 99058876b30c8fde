package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** A missing GTK is named with its package and the apt-get line, before the toolkit's stack trace. */
@Tag("unit")
class NativeLibraryCheckTest {

    @Test
    void aHiddenGtkIsNamedWithItsPackageAndTheInstallCommand(@TempDir Path lib) throws Exception {
        // The library hidden: the linker's folders hold everything but it.
        Files.createFile(lib.resolve("libgdk-3.so.0"));
        String problem = NativeLibraryCheck.problem(NativeLibraryCheck.WINDOW, List.of(lib));
        assertThat(problem).contains("libgtk-3.so.0").contains("package libgtk-3-0")
                .contains("sudo apt-get install -y libgtk-3-0").contains("./workbench lab");
        // Put back, it is found.
        Files.createFile(lib.resolve("libgtk-3.so.0"));
        assertThat(NativeLibraryCheck.problem(NativeLibraryCheck.WINDOW, List.of(lib))).isNull();
    }

    @Test
    void theLinkersFoldersComeFromLdLibraryPathAndLdSoConf(@TempDir Path lib) {
        List<Path> folders = NativeLibraryCheck.linkerFolders(Map.of("LD_LIBRARY_PATH", lib + "::/nowhere"));
        assertThat(folders.get(0)).isEqualTo(lib);
        assertThat(folders).contains(Path.of("/usr/lib"));
        if (Files.exists(Path.of("/etc/ld.so.conf.d"))) {
            // Debian's multiarch folder is named in an included file, not in ld.so.conf itself.
            assertThat(folders.size()).isGreaterThan(6);
        }
    }
}
