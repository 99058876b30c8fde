package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Every link a reader can follow stays inside the repository and resolves: Markdown links in the
 * README and docs, and the {@code docs/...} files that code comments cite. A newcomer once followed
 * {@code docs/architecture} and a design file that only existed outside the project.
 */
@Tag("unit")
class DocLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CITED_DOC = Pattern.compile("\\bdocs/[A-Za-z0-9_./-]*[A-Za-z0-9_-]");
    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "build", "node_modules");

    private static List<Path> files(Path start, String... suffixes) throws IOException {
        try (Stream<Path> walk = Files.walk(start)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            if (SKIPPED_FOLDERS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
                    .toList();
        }
    }

    @Test
    void everyMarkdownLinkResolvesInsideTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path md : files(ROOT, ".md")) {
            Matcher link = MARKDOWN_LINK.matcher(Files.readString(md));
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")
                        || target.startsWith("mailto:")) {
                    continue;
                }
                String path = target.replaceAll("#.*$", "");
                Path resolved = md.getParent().resolve(path).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(md) + " -> " + target);
                }
            }
        }
        assertThat(broken).as("Markdown links that lead nowhere in the repository").isEmpty();
    }

    @Test
    void everyDocCitedInCodeExists() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> sources = new ArrayList<>(files(ROOT.resolve("app/src"), ".java", ".properties", ".fxml"));
        sources.addAll(files(ROOT.resolve("esp32-firmware"), ".h", ".cpp", ".txt", ".cmake", ".ini", ".sh", ".md"));
        for (Path source : sources) {
            if (source.endsWith("DocLinksTest.java")) {
                continue; // names the broken citations it looks for
            }
            String text = Files.readString(source);
            if (text.contains("shared/design/")) {
                broken.add(ROOT.relativize(source) + " cites shared/design/, which is outside the repository");
            }
            Matcher doc = CITED_DOC.matcher(text);
            while (doc.find()) {
                String cited = doc.group();
                if (!Files.exists(ROOT.resolve(cited))) {
                    broken.add(ROOT.relativize(source) + " -> " + cited);
                }
            }
        }
        assertThat(broken).as("documents cited in code comments that do not exist").isEmpty();
    }

    @Test
    void theDocsIndexListsEveryDocument() throws IOException {
        String index = Files.readString(ROOT.resolve("docs/README.md"));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.map(p -> p.getFileName().toString())
                    .filter(n -> (n.endsWith(".md") || n.endsWith(".html")) && !n.equals("README.md"))
                    .filter(n -> !index.contains("](" + n + ")"))
                    .forEach(missing::add);
        }
        assertThat(missing).as("documents in docs/ that docs/README.md does not index").isEmpty();
    }
}
