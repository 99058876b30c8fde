package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.scenario.DemoScript;
import org.secureota.workbench.scenario.ScenarioRun;
import org.secureota.workbench.scenario.Step;
import org.secureota.workbench.scenario.StepAction;
import org.secureota.workbench.scenario.StepSnapshot;
import org.secureota.workbench.scenario.StepStatus;
import org.secureota.workbench.scenario.SweepCut;

/**
 * The step list speaks the window's language: every step of every demo script, rendered from its structure, has
 * no English action word in French ("check now on esp32-lab-01" was shown as such in the French window), and a
 * language switch re-renders the same snapshots.
 */
@Tag("unit")
class StepRowTextTest {

    private final Path root = Path.of(System.getProperty("workbench.projectRoot", "."));

    @Test
    void aFrenchStepListOfEveryDemoScriptHasNoEnglishActionWord() throws Exception {
        ScenarioViewModel french = new ScenarioViewModel(new I18n(Locale.FRENCH));
        List<String> rows = new ArrayList<>();
        for (StepSnapshot s : everyStep()) {
            rows.add(french.row(s));
        }
        // The sweep's running count and its end, as the runner reports them.
        StepSnapshot sweep = everyStep().stream().filter(s -> s.spec() instanceof StepAction.PowerCutSweep).findFirst()
                .orElseThrow();
        rows.add(french.row(withCut(sweep, SweepCut.at(7, 70, "1.0.0"))));
        rows.add(french.row(withCut(sweep, SweepCut.completed(12))));
        assertThat(rows).hasSizeGreaterThan(100);
        assertThat(rows).allSatisfy(r -> assertThat(r).doesNotContain("!scenario."));
        assertThat(englishWords(rows)).as("English words in the French step list").isEmpty();
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("vérifier maintenant sur esp32-lab-01"));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("coupure 7 à l'opération flash 70 : redémarré en 1.0.0"));
    }

    @Test
    void everyActionHasItsOwnWordsInEnglishAndALanguageSwitchRerendersTheSameSnapshot() throws Exception {
        I18n i18n = new I18n(Locale.ENGLISH);
        ScenarioViewModel model = new ScenarioViewModel(i18n);
        StepSnapshot check = snapshot(1, new StepAction.Check("esp32-lab-01"));
        assertThat(model.row(check)).isEqualTo("·  1. check now on esp32-lab-01");
        i18n.setLocale(Locale.FRENCH);
        assertThat(model.row(check)).isEqualTo("·  1. vérifier maintenant sur esp32-lab-01");
        i18n.setLocale(Locale.ENGLISH);
        assertThat(model.row(snapshot(2, new StepAction.Deploy("2.0.0", "shop-display", null))))
                .endsWith("deploy V2.0.0 to product shop-display");
        assertThat(model.row(snapshot(3, new StepAction.Arm("dropped-connection", java.util.Map.of("repeat", "once")))))
                .contains("arm the attack").contains("once");
        // Each kind of action has words of its own: no two render alike, none falls back to a missing key.
        List<String> english = new ArrayList<>();
        for (StepSnapshot s : everyStep()) {
            english.add(model.row(s));
        }
        assertThat(english).allSatisfy(r -> assertThat(r).doesNotContain("!scenario."));
        // A snapshot without its structure (an old report) keeps the runner's words.
        StepSnapshot words = new StepSnapshot(4, "deploy 2.0.0", "n", StepStatus.PASSED, "", List.of(), null, Duration.ZERO);
        assertThat(model.row(words)).isEqualTo("✔  4. deploy 2.0.0");
    }

    /** Every step of every script in demo-scripts/, as a pending snapshot with its structure. */
    private List<StepSnapshot> everyStep() throws Exception {
        List<StepSnapshot> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("demo-scripts"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                DemoScript script = ScenarioRun.reader().read(f);
                for (Step s : script.steps()) {
                    out.add(snapshot(s.index(), s.action()));
                }
            }
        }
        return out;
    }

    private static StepSnapshot snapshot(int index, StepAction action) {
        return new StepSnapshot(index, action.describe(), "n", StepStatus.PENDING, "", List.of(), null, Duration.ZERO,
                action, null);
    }

    private static StepSnapshot withCut(StepSnapshot s, SweepCut cut) {
        return new StepSnapshot(s.index(), s.action(), s.narration(), StepStatus.RUNNING, cut.describe(), List.of(), null,
                Duration.ZERO, s.spec(), cut);
    }

    /** The window walk's English words (LanguageWalkTest) found in {@code rows}; codes, ids and versions pass. */
    static List<String> englishWords(List<String> rows) {
        List<String> found = new ArrayList<>();
        for (String row : rows) {
            for (String chunk : row.split("\\s+")) {
                String core = chunk.replaceAll("^[(«\"'“]+|[.,;:!?)»\"'”]+$", "");
                if (core.matches(".*[./@=\\\\].*")) {
                    continue; // an event type, a version, a host: a value, not a word of the UI
                }
                Matcher m = LanguageWalkTest.WORD.matcher(core);
                while (m.find()) {
                    String w = m.group();
                    if (w.contains("_") && w.equals(w.toUpperCase(Locale.ROOT))) {
                        continue; // a code
                    }
                    String lower = w.toLowerCase(Locale.ROOT);
                    if (LanguageWalkTest.ENGLISH.contains(lower) && !LanguageWalkTest.ALLOWED.contains(lower)) {
                        found.add("'" + w + "' in " + row);
                    }
                }
            }
        }
        return found;
    }
}
