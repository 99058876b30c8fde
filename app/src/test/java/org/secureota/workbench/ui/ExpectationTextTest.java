package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.scenario.Count;
import org.secureota.workbench.scenario.DemoScript;
import org.secureota.workbench.scenario.Expectation;
import org.secureota.workbench.scenario.ExpectationResult;
import org.secureota.workbench.scenario.Language;
import org.secureota.workbench.scenario.RequestKind;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.RunState;
import org.secureota.workbench.scenario.ScenarioRun;
import org.secureota.workbench.scenario.ScriptPosition;
import org.secureota.workbench.scenario.Step;
import org.secureota.workbench.scenario.StepSnapshot;
import org.secureota.workbench.scenario.StepStatus;

/**
 * A failed expectation speaks the window's language: the French window showed "Étape 3 : esp32-lab-01 runs version
 * 2.0.0 : attendu 2.0.0, vu 1.0.0", the scenario package's English words for reports.
 */
@Tag("unit")
class ExpectationTextTest {

    private static final ScriptPosition AT = new ScriptPosition("t.yaml", 1, 1);
    private final Path root = Path.of(System.getProperty("workbench.projectRoot", "."));

    @Test
    void everyExpectationOfEveryDemoScriptAndEveryKindIsSaidInFrench() throws Exception {
        I18n french = new I18n(Locale.FRENCH);
        List<Expectation> all = new ArrayList<>(everyExpectation());
        // Each kind once more, with every device: not every kind is in a script today.
        all.addAll(List.of(new Expectation.Version("all", "2.0.0", AT), new Expectation.RunningSlot("all", "ota_1", AT),
                new Expectation.SlotStates("all", Map.of("ota_1", "valid"), AT), new Expectation.Lcd("all", "CAFE", AT),
                new Expectation.Led("all", "solid", AT), new Expectation.Verdict("all", "UPDATED", AT),
                new Expectation.AttackResisted("flipped-byte", AT), new Expectation.ImageBytesServed(Count.exactly(0), AT),
                new Expectation.HttpRequests(RequestKind.MANIFEST, Count.atLeast(1), AT), new Expectation.ResumedAboveZero(AT),
                new Expectation.NoDeviceBricked(AT), new Expectation.Events("ota.verdict", null, Map.of("code", "UPDATED"), Count.atLeast(1), AT),
                new Expectation.Events("ota.verdict", "esp32-lab-01", Map.of(), Count.exactly(1), AT)));
        List<String> lines = new ArrayList<>();
        for (Expectation x : all) {
            ExpectationResult r = failed(x);
            lines.add(ExpectationText.description(r, french) + " : attendu " + ExpectationText.expected(r, french));
        }
        assertThat(lines).hasSizeGreaterThan(60);
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("!scenario."));
        // The LCD's text is the device's own (its firmware speaks either language), quoted as written in the script.
        List<String> words = lines.stream().map(l -> l.replaceAll("«[^»]*»", "«»")).toList();
        assertThat(StepRowTextTest.englishWords(words)).as("English words in the French failed expectations").isEmpty();
        assertThat(lines).contains("esp32-lab-01 exécute la version 2.0.0 : attendu v", "aucun appareil briqué : attendu chaque appareil"
                + " exécute une application intacte (somme de contrôle et SHA-256 ajouté)");
    }

    @Test
    void theScenarioStripSaysAFailedStepInTheWindowsLanguageAndKeepsTheSeenValue() {
        I18n i18n = new I18n(Locale.ENGLISH);
        ScenarioViewModel model = new ScenarioViewModel(i18n);
        ExpectationResult r = new ExpectationResult("esp32-lab-01 runs version 2.0.0", "2.0.0", "1.0.0", false, AT,
                new Expectation.Version("esp32-lab-01", "2.0.0", AT));
        StepSnapshot step = new StepSnapshot(3, "check now on esp32-lab-01", "n", StepStatus.FAILED, "", List.of(r), null,
                Duration.ZERO);
        model.apply(new RunSnapshot("t", RunMode.HEADLESS, Language.EN, RunState.FAILED, 3, List.of(step), null, Duration.ZERO));
        assertThat(model.failureProperty().get()).isEqualTo("Step 3: esp32-lab-01 runs version 2.0.0: expected 2.0.0, seen 1.0.0");
        i18n.setLocale(Locale.FRENCH);
        assertThat(model.failureProperty().get()).isEqualTo("Étape 3 : esp32-lab-01 exécute la version 2.0.0 : attendu 2.0.0, vu 1.0.0");
        // A result known only by its words (no structure) keeps them.
        assertThat(ExpectationText.description(new ExpectationResult("words", "x", "y", false, AT), i18n)).isEqualTo("words");
    }

    private static ExpectationResult failed(Expectation x) {
        return new ExpectationResult(x.describe(), "v", "w", false, x.position(), x);
    }

    private List<Expectation> everyExpectation() throws Exception {
        List<Expectation> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("demo-scripts"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                DemoScript script = ScenarioRun.reader().read(f);
                for (Step s : script.steps()) {
                    out.addAll(s.expectations());
                }
            }
        }
        return out;
    }
}
