package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.device.CutPoint;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class ScriptReaderTest {

    static final ScriptReader READER = new ScriptReader(Set.of("rogue-server", "flipped-byte"),
            t -> Set.of("ota.verdict", "device.boot", "http.request").contains(t));

    static final String HEAD = """
            title: {en: Lifecycle, fr: Cycle de vie}
            summary: {en: V1 to V2, fr: V1 vers V2}
            devices:
              - {id: lab-01, product: shop-display, starting-version: 1.0.0}
            releases:
              - {version: 2.0.0}
            steps:
            """;

    static ScriptProblem onlyProblem(String text) {
        try {
            READER.read("bad.yaml", text);
        } catch (ScriptException e) {
            assertThat(e.problems()).as(e.getMessage()).hasSize(1);
            return e.problems().get(0);
        }
        throw new AssertionError("the script was accepted");
    }

    @Test
    void aWellFormedScriptIsReadWithEveryStepAndExpectation() throws Exception {
        DemoScript s = READER.read("good.yaml", HEAD + """
                  - deploy: {version: 2.0.0}
                    narration: {en: Deploy V2, fr: On déploie la V2}
                    timeout: 2s
                  - check: lab-01
                    narration: {en: Check now, fr: Vérifier}
                    timeout: 30s
                    expect:
                      - {device: lab-01, version: 2.0.0}
                      - {device: all, slot-state: {ota_1: valid}}
                      - {image-bytes-served: ">= 1"}
                      - {http-requests: {kind: manifest, count: 1}}
                      - {event: ota.verdict, device: lab-01, fields: {code: UPDATED}}
                  - arm: {attack: flipped-byte, params: {offset: 100}}
                    narration: {en: Arm, fr: Armer}
                    timeout: 500ms
                  - arm-cut: {device: lab-01, operation: 12, point: halfway}
                    narration: {en: Cut, fr: Coupure}
                    timeout: 1m
                  - pause:
                    narration: {en: "Questions?", fr: "Des questions ?"}
                    timeout: 5m
                """);
        assertThat(s.steps()).hasSize(5);
        assertThat(s.steps().get(0).action()).isEqualTo(new StepAction.Deploy("2.0.0", "shop-display", null));
        assertThat(s.steps().get(1).expectations()).hasSize(5);
        assertThat(s.steps().get(1).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.steps().get(2).action()).isEqualTo(new StepAction.Arm("flipped-byte", java.util.Map.of("offset", "100")));
        assertThat(s.steps().get(3).action()).isEqualTo(new StepAction.ArmCut("lab-01", 12, CutPoint.HALFWAY));
        assertThat(s.steps().get(4).action()).isInstanceOf(StepAction.Pause.class);
        assertThat(s.steps().get(4).narration().in(Language.FR)).isEqualTo("Des questions ?");
        assertThat(s.releases().get(0).imageName()).isEqualTo("v2_promo");
    }

    @Test
    void aDeviceVariantIsReadSecureByDefaultAndAnUnknownOneIsRefused() throws Exception {
        String steps = """
                  - check: all
                    narration: {en: Check, fr: Vérifier}
                    timeout: 30s
                """;
        String two = HEAD.replace("  - {id: lab-01, product: shop-display, starting-version: 1.0.0}",
                "  - {id: lab-01, product: shop-display, starting-version: 1.0.0}\n"
                        + "  - {id: lab-02, product: shop-display, starting-version: 1.0.0, variant: naive}");
        DemoScript s = READER.read("variants.yaml", two + steps);
        assertThat(s.devices().get(0).variant()).isEqualTo(org.secureota.workbench.device.FirmwareVariant.SECURE);
        assertThat(s.devices().get(1).variant()).isEqualTo(org.secureota.workbench.device.FirmwareVariant.NAIVE);
        ScriptProblem p = onlyProblem(two.replace("variant: naive", "variant: careless") + steps);
        assertThat(p.message()).contains("unknown firmware variant 'careless'").contains("no-hash");
        ScriptProblem v2 = onlyProblem(two.replace("starting-version: 1.0.0, variant: naive",
                "starting-version: 2.0.0, variant: naive") + steps);
        assertThat(v2.message()).contains("1.0.0 or 3.0.0");
    }

    @Test
    void anUnknownStepIsRefusedWithItsLineAndColumn() {
        ScriptProblem p = onlyProblem(HEAD + """
                  - reboot: lab-01
                    narration: {en: a, fr: b}
                    timeout: 1s
                """);
        assertThat(p.position()).isEqualTo(new ScriptPosition("bad.yaml", 8, 5));
        assertThat(p.message()).contains("unknown step 'reboot'").contains("expected one of deploy, arm");
    }

    @Test
    void anUnknownAttackIdIsRefusedAtTheId() {
        ScriptProblem p = onlyProblem(HEAD + """
                  - arm: {attack: rogue-serveur}
                    narration: {en: a, fr: b}
                    timeout: 1s
                """);
        assertThat(p.position()).isEqualTo(new ScriptPosition("bad.yaml", 8, 19));
        assertThat(p.message()).contains("unknown attack id 'rogue-serveur'").contains("[flipped-byte, rogue-server]");
    }

    @Test
    void aStepWithoutNarrationIsRefused() {
        ScriptProblem p = onlyProblem(HEAD + """
                  - check: lab-01
                    timeout: 1s
                """);
        assertThat(p.position()).isEqualTo(new ScriptPosition("bad.yaml", 8, 5));
        assertThat(p.message()).contains("step 1 has no narration").contains("en and fr");
    }

    @Test
    void aNarrationWithoutFrenchIsRefusedAtTheNarration() {
        ScriptProblem p = onlyProblem(HEAD + """
                  - check: lab-01
                    narration: {en: Check now}
                    timeout: 1s
                """);
        assertThat(p.position().line()).isEqualTo(9);
        assertThat(p.message()).contains("missing 'fr'");
    }

    @Test
    void aTypeErrorNamesWhatWasExpectedAndWhatWasFound() {
        ScriptProblem p = onlyProblem(HEAD + """
                  - arm-cut: {device: lab-01, operation: twelve, point: before}
                    narration: {en: a, fr: b}
                    timeout: 1s
                """);
        assertThat(p.position()).isEqualTo(new ScriptPosition("bad.yaml", 8, 42));
        assertThat(p.message()).isEqualTo("operation: expected a whole number, found a text ('twelve')");
    }

    @Test
    void aReleaseIsEncryptedOnlyWithEncryptTrueAndAnotherValueIsRefused() throws Exception {
        String steps = """
                  - check: lab-01
                    narration: {en: a, fr: b}
                    timeout: 1s
                """;
        DemoScript s = READER.read("ok.yaml", HEAD.replace("- {version: 2.0.0}",
                "- {version: 2.0.0}\n  - {version: 3.0.0, encrypt: true}") + steps);
        assertThat(s.releases()).extracting(ReleaseSpec::encrypt).containsExactly(false, true);
        ScriptProblem p = onlyProblem(HEAD.replace("- {version: 2.0.0}", "- {version: 2.0.0, encrypt: yes please}")
                + steps);
        assertThat(p.position().line()).isEqualTo(6);
        assertThat(p.message()).isEqualTo("encrypt: expected true or false, found a text ('yes please')");
    }

    @Test
    void aMissingTimeoutAndABadDurationAreRefused() {
        assertThat(onlyProblem(HEAD + """
                  - check: lab-01
                    narration: {en: a, fr: b}
                """).message()).contains("has no timeout");
        ScriptProblem p = onlyProblem(HEAD + """
                  - check: lab-01
                    narration: {en: a, fr: b}
                    timeout: 30
                """);
        assertThat(p.position()).isEqualTo(new ScriptPosition("bad.yaml", 10, 14));
        assertThat(p.message()).contains("expected a duration such as 30s").contains("a number ('30')");
    }

    @Test
    void anUnknownDeviceAndAnUnknownExpectationAreRefused() {
        ScriptProblem p = onlyProblem(HEAD + """
                  - check: lab-02
                    narration: {en: a, fr: b}
                    timeout: 1s
                """);
        assertThat(p.position()).isEqualTo(new ScriptPosition("bad.yaml", 8, 12));
        assertThat(p.message()).contains("unknown device 'lab-02'").contains("[lab-01]");
        ScriptProblem q = onlyProblem(HEAD + """
                  - check: lab-01
                    narration: {en: a, fr: b}
                    timeout: 1s
                    expect:
                      - {device: lab-01, firmware: 2.0.0}
                """);
        assertThat(q.position()).isEqualTo(new ScriptPosition("bad.yaml", 12, 26));
        assertThat(q.message()).contains("unknown expectation 'firmware'");
    }

    @Test
    void malformedYamlIsRefusedWithItsPosition() {
        ScriptProblem p = onlyProblem("title: {en: a, fr: b\nsummary: x\n");
        assertThat(p.position().file()).isEqualTo("bad.yaml");
        assertThat(p.position().line()).isGreaterThanOrEqualTo(1);
        assertThat(p.message()).startsWith("not valid YAML");
    }

    @Test
    void aStepIsNamedByItsPlaceInTheFileEvenAfterARefusedOne() {
        try {
            READER.read("bad.yaml", HEAD + """
                      - check: lab-01
                        narration: {en: a, fr: b}
                        timeout: 1s
                      - reboot: lab-01
                        narration: {en: a, fr: b}
                        timeout: 1s
                      - check: lab-01
                        timeout: 1s
                    """);
            throw new AssertionError("accepted");
        } catch (ScriptException e) {
            assertThat(e.getMessage()).contains("bad.yaml:14:5: step 3 has no narration");
        }
    }

    @Test
    void theTwoOtaLayoutIsReadInBothSpellings() throws Exception {
        for (String spelling : new String[] {"two-ota", "two_ota"}) {
            DemoScript s = READER.read("layout.yaml", HEAD.replace("starting-version: 1.0.0}",
                    "starting-version: 1.0.0, layout: " + spelling + "}") + """
                      - check: lab-01
                        narration: {en: a, fr: b}
                        timeout: 1s
                    """);
            assertThat(s.devices().get(0).layout()).as(spelling).isEqualTo(org.secureota.workbench.device.FlashLayout.TWO_OTA);
        }
    }

    @Test
    void everyProblemIsListedNotOnlyTheFirst() {
        try {
            READER.read("bad.yaml", HEAD + """
                      - reboot: lab-01
                        narration: {en: a, fr: b}
                        timeout: 1s
                      - check: lab-01
                        timeout: 1s
                    """);
            throw new AssertionError("accepted");
        } catch (ScriptException e) {
            assertThat(e.problems()).extracting(x -> x.position().line()).containsExactly(8, 11);
            assertThat(e.getMessage()).contains("bad.yaml:8:5: unknown step 'reboot'");
        }
    }

    @Test
    void aCountIsReadWithItsComparison() {
        assertThat(Count.parse(">= 1").test(1)).isTrue();
        assertThat(Count.parse(">0").test(0)).isFalse();
        assertThat(Count.parse("0").test(0)).isTrue();
        assertThatThrownBy(() -> Count.parse("-3")).hasMessageContaining("not a count");
    }
}
