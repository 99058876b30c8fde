package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * The shipped scripts form a course (README, "Demo scripts"): numbered without gaps, each summary ending
 * with what a student should be able to explain (in both languages), no seed numbering in the titles, and
 * the README listing every script in the same order. Running them is DemoScriptsTest's job.
 */
@Tag("unit")
class DemoScriptCourseTest {

    static final Path ROOT = DemoScriptsTest.ROOT;

    @Test
    void theScriptsAreACourseNumberedInOrderEachSayingWhatAStudentShouldBeAbleToExplain() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(ROOT.resolve("demo-scripts"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(23);
        ScriptReader reader = ScenarioRun.reader();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i).getFileName().toString().replace(".yaml", "");
            names.add(name);
            assertThat(name).as("script number").startsWith(String.format("%02d-", i + 1));
            DemoScript s = reader.read(files.get(i));
            assertThat(s.summary().en()).as(name + " summary (en)").contains("A student should then be able to explain");
            assertThat(s.summary().fr()).as(name + " summary (fr)").contains("Un étudiant doit ensuite savoir expliquer");
            assertThat(s.title().en() + s.title().fr()).as(name + " title").doesNotContainIgnoringCase("seed")
                    .doesNotContainPattern("Sc[ée]nario \\d");
        }
        assertThat(names).anyMatch(n -> n.endsWith("-stolen-server-key"));

        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int at = readme.indexOf("| script | what it shows |");
        assertThat(at).as("the README's script table").isPositive();
        for (String name : names) {
            int next = readme.indexOf("| `" + name + "` |", at);
            assertThat(next).as("README lists " + name + " after the scripts before it").isGreaterThan(at);
            at = next;
        }
    }
}
