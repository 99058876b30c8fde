package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

        List<ScriptChoiceViewModel.Row> en = ScriptChoiceViewModel.rows(List.of(lifecycle, broken), Language.EN);
        List<ScriptChoiceViewModel.Row> fr = ScriptChoiceViewModel.rows(List.of(lifecycle, broken), Language.FR);
        assertThat(en).extracting(ScriptChoiceViewModel.Row::file).containsExactly(lifecycle, broken);
        ScriptChoiceViewModel.Row english = en.get(0);
        ScriptChoiceViewModel.Row french = fr.get(0);
        assertThat(english.title()).isNotBlank().isNotEqualTo(french.title());
        assertThat(english.summary()).isNotBlank().doesNotContain("\n").isNotEqualTo(french.summary());
        assertThat(french.summary()).isNotBlank().doesNotContain("\n");
        assertThat(en.get(1)).isEqualTo(new ScriptChoiceViewModel.Row("99-broken.yaml", "", broken));
    }
}
