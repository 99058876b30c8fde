package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.scenario.Language;

/** The script chooser's rows: titles and summaries in the window's language, a broken script by its file name. */
@Tag("unit")
class ScriptChoiceViewModelTest {

    @TempDir
    Path dir;

    @Test
    void eachScriptByItsTitleInTheWindowLanguageAndABrokenOneByItsFileName() throws Exception {
        Path lifecycle = Path.of(System.getProperty("workbench.projectRoot", "."), "demo-scripts", "01-lifecycle.yaml");
        Path broken = dir.resolve("99-broken.yaml");
        Files.writeString(broken, "title: [unclosed\n");
        assertThat(ScriptChoiceViewModel.language(Locale.FRENCH)).isEqualTo(Language.FR);
        assertThat(ScriptChoiceViewModel.language(Locale.ENGLISH)).isEqualTo(Language.EN);

        Map<String, Path> en = ScriptChoiceViewModel.labels(List.of(lifecycle, broken), Language.EN);
        Map<String, Path> fr = ScriptChoiceViewModel.labels(List.of(lifecycle, broken), Language.FR);
        assertThat(en.values()).containsExactly(lifecycle, broken);
        String english = en.keySet().iterator().next();
        String french = fr.keySet().iterator().next();
        assertThat(english).contains(" — ").doesNotContain("\n").isNotEqualTo(french);
        assertThat(french).contains(" — ");
        assertThat(en).containsEntry("99-broken.yaml", broken);
    }
}
