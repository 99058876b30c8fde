package org.secureota.workbench.ui;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether the native libraries the window needs are installed, asked before JavaFX starts: without
 * GTK 3 the toolkit fails with "Unable to load glass GTK library" and a stack trace, which names
 * neither the package nor the command that installs it.
 */
public final class NativeLibraryCheck {

    /** A shared library the toolkit loads, and the Debian package that installs it. */
    public record Needed(String soname, String debianPackage) {
    }

    /** JavaFX's glass toolkit on Linux links against GTK 3. */
    public static final List<Needed> WINDOW = List.of(new Needed("libgtk-3.so.0", "libgtk-3-0"));

    private NativeLibraryCheck() {
    }

    /** Null when every library is found in the dynamic linker's folders, else one line naming the package. */
    public static String problem(Map<String, String> env, String osName) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        return problem(WINDOW, linkerFolders(env));
    }

    /** The same against given folders (tests hide a library by leaving its folder out). */
    static String problem(List<Needed> needed, List<Path> folders) {
        List<Needed> missing = new ArrayList<>();
        for (Needed n : needed) {
            if (folders.stream().noneMatch(f -> Files.exists(f.resolve(n.soname())))) {
                missing.add(n);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        String names = String.join(", ", missing.stream().map(Needed::soname).toList());
        String packages = String.join(" ", missing.stream().map(Needed::debianPackage).toList());
        return "The window needs " + names + " (package " + packages + "), which is not installed. Install it with:"
                + " sudo apt-get install -y " + packages + "   (or run the lab headless with './workbench lab')";
    }

    /**
     * Where the dynamic linker looks: {@code LD_LIBRARY_PATH}, the folders of {@code /etc/ld.so.conf}
     * (and its includes), then the default ones.
     */
    static List<Path> linkerFolders(Map<String, String> env) {
        Set<Path> folders = new LinkedHashSet<>();
        String ld = env.get("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String p : ld.split(":")) {
                if (!p.isBlank()) {
                    folders.add(Path.of(p));
                }
            }
        }
        readConf(Path.of("/etc/ld.so.conf"), folders, 0);
        for (String p : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64")) {
            folders.add(Path.of(p));
        }
        return new ArrayList<>(folders);
    }

    private static void readConf(Path conf, Set<Path> folders, int depth) {
        if (depth > 4 || !Files.isReadable(conf)) {
            return;
        }
        try {
            for (String raw : Files.readAllLines(conf)) {
                String line = raw.replaceFirst("#.*", "").trim();
                if (line.startsWith("include ")) {
                    String pattern = line.substring("include ".length()).trim();
                    Path p = Path.of(pattern);
                    Path dir = p.isAbsolute() ? p.getParent() : conf.getParent().resolve(p).getParent();
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p.getFileName().toString())) {
                        for (Path f : files) {
                            readConf(f, folders, depth + 1);
                        }
                    } catch (IOException | RuntimeException unreadable) {
                        // An include that cannot be read adds no folder; the defaults still apply.
                    }
                } else if (line.startsWith("/")) {
                    folders.add(Path.of(line));
                }
            }
        } catch (IOException unreadable) {
            // As above: the default folders are still searched.
        }
    }
}
