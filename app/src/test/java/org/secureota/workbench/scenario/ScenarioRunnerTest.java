package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.Waits;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class ScenarioRunnerTest {

    static final String SCRIPT = """
            title: {en: Sequencing, fr: Enchaînement}
            summary: {en: "pause, wait and expect", fr: "pause, attente et vérification"}
            devices:
              - {id: lab-01, product: shop-display, starting-version: 1.0.0}
            steps:
              - pause:
                narration: {en: Look at the screen, fr: Regardez l'écran}
                timeout: 10s
              - wait: {event: ota.verdict, device: lab-01, fields: {code: HASH_MISMATCH}}
                narration: {en: The device refuses, fr: L'appareil refuse}
                timeout: 3s
                expect:
                  - {device: lab-01, verdict: HASH_MISMATCH}
                  - {event: ota.verdict, count: 1}
              - expect:
                  - {device: lab-01, version: 2.0.0}
                narration: {en: Still V1, fr: Toujours la V1}
                timeout: 300ms
            """;

    static DemoScript script() throws ScriptException {
        return new ScriptReader(Set.of(), t -> t.equals("ota.verdict")).read("seq.yaml", SCRIPT);
    }

    static void refuse(TelemetryFedLab lab) {
        lab.receive("lab-01", "@ota1 {\"ev\":\"ota\",\"phase\":\"verdict\",\"code\":\"HASH_MISMATCH\",\"detail\":\"x\",\"version\":\"2.0.0\"}",
                "ota.verdict", Map.of("code", "HASH_MISMATCH", "version", "2.0.0"));
    }

    static StepStatus statusOf(ScenarioRunner r, int step) {
        return r.snapshot().steps().get(step - 1).status();
    }

    static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Waits.until(condition, java.time.Duration.ofSeconds(10), "the runner's state");
    }

    @Test
    void stepModeRunsNothingUntilNextAndReportsExpectedAndSeen() throws Exception {
        TelemetryFedLab lab = new TelemetryFedLab();
        ScenarioRunner runner = new ScenarioRunner(script(), lab, RunMode.STEP, Language.FR);
        List<RunSnapshot> seen = new CopyOnWriteArrayList<>();
        runner.addListener(seen::add);
        runner.addListener(s -> {
            throw new IllegalStateException("a broken view");
        });
        var done = runner.start();
        until(() -> statusOf(runner, 1) == StepStatus.WAITING_FOR_NEXT);
        Thread.sleep(200); // not a wait: nothing may move while the step waits for "next"
        assertThat(statusOf(runner, 1)).isEqualTo(StepStatus.WAITING_FOR_NEXT);
        assertThat(lab.journal.snapshot()).noneMatch(e -> e.type().equals("scenario.step_started"));
        assertThat(runner.snapshot().steps().get(0).narration()).isEqualTo("Regardez l'écran");

        runner.next();
        until(() -> statusOf(runner, 1) == StepStatus.PASSED && statusOf(runner, 2) == StepStatus.WAITING_FOR_NEXT);
        runner.next();
        until(() -> statusOf(runner, 2) == StepStatus.RUNNING);
        refuse(lab);
        until(() -> statusOf(runner, 2) == StepStatus.PASSED);
        runner.next();
        RunSnapshot end = done.get(10, TimeUnit.SECONDS);

        assertThat(end.state()).isEqualTo(RunState.FAILED);
        assertThat(end.passed()).isEqualTo(2);
        StepSnapshot last = end.steps().get(2);
        assertThat(last.status()).isEqualTo(StepStatus.FAILED);
        assertThat(last.expectations()).singleElement().satisfies(x -> {
            assertThat(x.expected()).isEqualTo("2.0.0");
            assertThat(x.seen()).isEqualTo("1.0.0");
            assertThat(x.held()).isFalse();
            assertThat(x.position().line()).isEqualTo(16);
        });
        assertThat(last.failure()).contains("not every expectation held within 300 ms")
                .contains("lab-01: power unknown, version 1.0.0").contains("Journal since step 3 began")
                .contains("scenario.expectation");
        assertThat(seen).isNotEmpty();
        assertThat(lab.journal.snapshot()).filteredOn(e -> e.type().equals("scenario.finished"))
                .singleElement().satisfies(e -> assertThat(e.field("result")).contains("failed"));
    }

    @Test
    void playModeHonoursAPauseAndHeadlessDoesNot() throws Exception {
        TelemetryFedLab lab = new TelemetryFedLab();
        ScenarioRunner play = new ScenarioRunner(script(), lab, RunMode.PLAY, Language.EN);
        var done = play.start();
        until(() -> statusOf(play, 1) == StepStatus.PAUSED);
        Thread.sleep(200); // not a wait: the pause must hold
        assertThat(statusOf(play, 1)).isEqualTo(StepStatus.PAUSED);
        play.next();
        until(() -> statusOf(play, 2) == StepStatus.RUNNING);
        refuse(lab);
        assertThat(done.get(10, TimeUnit.SECONDS).steps()).extracting(StepSnapshot::status)
                .containsExactly(StepStatus.PASSED, StepStatus.PASSED, StepStatus.FAILED);

        TelemetryFedLab quiet = new TelemetryFedLab();
        ScenarioRunner headless = new ScenarioRunner(script(), quiet, RunMode.HEADLESS, Language.EN);
        RunSnapshot end = headless.runAndWait();
        // Nobody sends the verdict: the wait times out after its 3 s, and says what it waited for.
        assertThat(end.steps().get(0).status()).isEqualTo(StepStatus.PASSED);
        assertThat(end.steps().get(1).failure()).startsWith("no ota.verdict from lab-01 with {code=HASH_MISMATCH} within 3 s");
        assertThat(end.steps().get(1).elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aReadingPauseHoldsEachPlayedStepOnScreenAndStopEndsIt() throws Exception {
        TelemetryFedLab lab = new TelemetryFedLab();
        ScenarioRunner play = new ScenarioRunner(script(), lab, RunMode.PLAY, Language.EN);
        play.readingPause(1);
        var done = play.start();
        until(() -> statusOf(play, 1) == StepStatus.PAUSED);
        play.next();
        until(() -> statusOf(play, 1) == StepStatus.PASSED);
        long passed = System.nanoTime();
        until(() -> statusOf(play, 2) == StepStatus.RUNNING);
        // "Look at the screen": 4 words, 1.33 s at three words a second, more than the 1 s minimum.
        assertThat(Duration.ofNanos(System.nanoTime() - passed)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
        refuse(lab);
        assertThat(done.get(10, TimeUnit.SECONDS).state()).isEqualTo(RunState.FAILED);

        ScenarioRunner slow = new ScenarioRunner(script(), new TelemetryFedLab(), RunMode.PLAY, Language.EN);
        slow.readingPause(30);
        var stopped = slow.start();
        until(() -> statusOf(slow, 1) == StepStatus.PAUSED);
        slow.next();
        until(() -> statusOf(slow, 1) == StepStatus.PASSED);
        slow.stop();
        assertThat(stopped.get(5, TimeUnit.SECONDS).state()).as("stop does not sit out a 30 s pause").isEqualTo(RunState.STOPPED);
    }

    @Test
    void stopSkipsWhatIsLeft() throws Exception {
        TelemetryFedLab lab = new TelemetryFedLab();
        ScenarioRunner runner = new ScenarioRunner(script(), lab, RunMode.STEP, Language.EN);
        var done = runner.start();
        until(() -> statusOf(runner, 1) == StepStatus.WAITING_FOR_NEXT);
        runner.stop();
        RunSnapshot end = done.get(10, TimeUnit.SECONDS);
        assertThat(end.state()).isEqualTo(RunState.STOPPED);
        assertThat(end.steps()).extracting(StepSnapshot::status).containsOnly(StepStatus.SKIPPED);
    }

    @Test
    void theNarrationFollowsALanguageSwitchMidRun() throws Exception {
        TelemetryFedLab lab = new TelemetryFedLab();
        ScenarioRunner runner = new ScenarioRunner(script(), lab, RunMode.STEP, Language.EN);
        List<RunSnapshot> seen = new CopyOnWriteArrayList<>();
        runner.addListener(seen::add);
        var done = runner.start();
        until(() -> statusOf(runner, 1) == StepStatus.WAITING_FOR_NEXT);
        assertThat(runner.snapshot().steps().get(0).narration()).isEqualTo("Look at the screen");

        runner.language(Language.FR);
        RunSnapshot fr = runner.snapshot();
        assertThat(fr.title()).isEqualTo("Enchaînement");
        assertThat(fr.language()).isEqualTo(Language.FR);
        assertThat(fr.steps()).extracting(StepSnapshot::narration)
                .containsExactly("Regardez l'écran", "L'appareil refuse", "Toujours la V1");
        assertThat(fr.steps().get(0).status()).as("the switch keeps where the run is").isEqualTo(StepStatus.WAITING_FOR_NEXT);
        assertThat(fr.currentStep()).isEqualTo(1);
        assertThat(seen.get(seen.size() - 1)).as("the views hear the switch").isEqualTo(fr);

        runner.next();
        until(() -> statusOf(runner, 2) == StepStatus.WAITING_FOR_NEXT);
        assertThat(runner.snapshot().steps().get(1).narration()).as("later steps stay in the new language")
                .isEqualTo("L'appareil refuse");
        runner.language(Language.EN);
        assertThat(runner.snapshot().title()).isEqualTo("Sequencing");
        assertThat(runner.snapshot().steps().get(1).narration()).isEqualTo("The device refuses");
        assertThat(runner.snapshot().steps().get(0).status()).isEqualTo(StepStatus.PASSED);
        runner.stop();
        done.get(10, TimeUnit.SECONDS);
    }
}
