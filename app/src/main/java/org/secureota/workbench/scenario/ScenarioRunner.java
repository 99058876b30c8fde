package org.secureota.workbench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.SlotReport;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.device.BuiltImages;

/**
 * Runs one demo script against one lab: step by step, in play or headless (see {@link RunMode}).
 *
 * <p>Observable the way the session is: {@link #snapshot()} is an immutable {@link RunSnapshot},
 * and {@link #addListener} is told of every change, on the runner's thread, never under a lock. The
 * runner records its progress in the journal ({@code scenario.*}), so the session report can be
 * rebuilt from the journal alone. Calls from any thread: {@link #start()}, {@link #next()},
 * {@link #stop()}.
 *
 * <p>A step passes when its action completes and every expectation holds within its timeout.
 * Expectations are re-read until then, because the devices report asynchronously. A step that
 * fails records what was last seen: each expectation's value, every device's snapshot and the last
 * 10 journal events. The run goes on after a failed step (a lab wants every result), except that a
 * failed preparation stops it.
 */
public final class ScenarioRunner {

    private static final Logger LOG = Logger.getLogger(ScenarioRunner.class.getName());
    /** How long preparing the lab (publishing, factory-flashing, first boots) may take. */
    static final Duration PREPARATION = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(100);

    private final DemoScript script;
    private final ScenarioLab lab;
    private final RunMode mode;
    /** The narration's language: the window's, switched when the presenter changes it mid-run. */
    private volatile Language language;
    /** Each step's narration in both languages, as last narrated (a sweep counts its cuts): what a switch re-reads. */
    private final LocalizedText[] narrations;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.Set<RunListener> brokenListeners = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Semaphore nextPermits = new Semaphore(0);
    private final Object lock = new Object();
    private final CompletableFuture<RunSnapshot> done = new CompletableFuture<>();
    private RunSnapshot current;
    private volatile boolean stopped;
    private volatile Thread thread;
    private volatile int readingPauseSeconds;
    private long startNanos;

    public ScenarioRunner(DemoScript script, ScenarioLab lab, RunMode mode, Language language) {
        this.script = script;
        this.lab = lab;
        this.mode = mode;
        this.language = language;
        List<StepSnapshot> steps = new ArrayList<>();
        narrations = new LocalizedText[script.steps().size()];
        for (Step s : script.steps()) {
            // A sweep's narration counts its cuts; before the first one it tells of that first cut (cut 1, at the
            // sweep's first operation), not of a "cut 0" at operation "-".
            Object firstOp = s.action() instanceof StepAction.PowerCutSweep sweep ? sweep.every() : "-";
            narrations[s.index() - 1] = s.narration().with("cuts", 1).with("operation", firstOp);
            steps.add(new StepSnapshot(s.index(), s.action().describe(),
                    narrations[s.index() - 1].in(language), StepStatus.PENDING,
                    "", List.of(), null, Duration.ZERO, s.action(), null));
        }
        current = new RunSnapshot(script.title().in(language), mode, language, RunState.NOT_STARTED, 0, steps, null,
                Duration.ZERO);
    }

    public DemoScript script() {
        return script;
    }

    public RunSnapshot snapshot() {
        synchronized (lock) {
            return current;
        }
    }

    /** Adds a listener; closing the returned handle removes it. */
    public AutoCloseable addListener(RunListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Play mode: after each step, wait long enough to read its narration and at least {@code minimumSeconds}
     * (see {@link ReadingPause}); 0, the default, runs at full speed. The window sets it; headless runs and
     * tests keep 0. May change while the run goes on.
     */
    public void readingPause(int minimumSeconds) {
        readingPauseSeconds = Math.max(0, minimumSeconds);
    }

    /** Starts the run on a thread of its own; the future completes with the final snapshot. */
    public CompletableFuture<RunSnapshot> start() {
        synchronized (lock) {
            if (thread != null) {
                throw new IllegalStateException("this run has already started: make a new runner to run again");
            }
            thread = new Thread(this::run, "scenario-" + script.file());
            thread.setDaemon(true);
            startNanos = System.nanoTime();
        }
        thread.start();
        return done;
    }

    /** Starts and waits for the end (headless runs, the CLI, tests). */
    public RunSnapshot runAndWait() throws InterruptedException {
        try {
            return start().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the runner failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Step mode: run the next step. Play mode: leave the current pause. Ignored when nothing waits.
     * Returns whether it let a waiting step go (a terminal's typed-ahead Enter is kept for a later one).
     */
    public synchronized boolean next() {
        if (nextPermits.availablePermits() == 0 && waitingForNext()) {
            nextPermits.release();
            return true;
        }
        return false;
    }

    private boolean waitingForNext() {
        RunSnapshot s = snapshot();
        return s.currentStep() > 0 && s.currentStep() <= s.steps().size()
                && (s.steps().get(s.currentStep() - 1).status() == StepStatus.WAITING_FOR_NEXT
                || s.steps().get(s.currentStep() - 1).status() == StepStatus.PAUSED);
    }

    /** Stops the run: the current step fails as stopped, the rest are skipped. */
    public void stop() {
        stopped = true;
        nextPermits.release(1000);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------

    private void run() {
        try {
            record(EventType.SCENARIO_STARTED, "script " + script.title().en(), Map.of("file", script.file(),
                    "title_en", script.title().en(), "title_fr", script.title().fr(), "summary_en", script.summary().en(),
                    "summary_fr", script.summary().fr(), "mode", mode.name().toLowerCase(), "steps", script.steps().size()));
            update(s -> new RunSnapshot(s.title(), mode, language, RunState.PREPARING, 0, s.steps(), null, elapsed()));
            String problem = prepare();
            if (problem != null) {
                update(s -> new RunSnapshot(s.title(), mode, language, RunState.FAILED, 0,
                        s.steps().stream().map(x -> x.with(StepStatus.SKIPPED)).toList(), problem, elapsed()));
                finish();
                return;
            }
            update(s -> new RunSnapshot(s.title(), mode, language, RunState.RUNNING, 0, s.steps(), null, elapsed()));
            long previousStart = lab.lastSeq();
            for (Step step : script.steps()) {
                if (stopped) {
                    setStep(step.index(), x -> x.with(StepStatus.SKIPPED));
                    continue;
                }
                if (mode == RunMode.STEP) {
                    setStep(step.index(), x -> x.with(StepStatus.WAITING_FOR_NEXT));
                    awaitNext(null);
                    if (stopped) {
                        setStep(step.index(), x -> x.with(StepStatus.SKIPPED));
                        continue;
                    }
                }
                long stepStart = lab.lastSeq();
                // An expect-only step and a wait look at what the step before them caused, too: the
                // event waited for may come while that step was still checking its own expectations.
                long countFrom = step.action() instanceof StepAction.ExpectOnly || step.action() instanceof StepAction.WaitFor
                        ? previousStart : stepStart;
                runStep(step, countFrom, stepStart);
                previousStart = stepStart;
                pauseToRead(step.index());
            }
            finish();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "scenario runner failed", e);
            update(s -> new RunSnapshot(s.title(), mode, language, RunState.FAILED, s.currentStep(), s.steps(),
                    "the runner failed: " + e, elapsed()));
            done.complete(snapshot());
        }
    }

    private void finish() {
        RunSnapshot s = snapshot();
        RunState end = stopped ? RunState.STOPPED
                : s.problem() == null && s.steps().stream().allMatch(x -> x.status() == StepStatus.PASSED) ? RunState.PASSED
                : RunState.FAILED;
        update(x -> new RunSnapshot(x.title(), mode, language, end, 0, x.steps(), x.problem(), elapsed()));
        RunSnapshot f = snapshot();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("result", end.name().toLowerCase());
        fields.put("passed", f.passed());
        fields.put("failed", f.failed());
        fields.put("elapsed_ms", f.elapsed().toMillis());
        if (f.problem() != null) {
            fields.put("problem", f.problem());
        }
        record(EventType.SCENARIO_FINISHED, "script " + end.name().toLowerCase() + ": " + f.passed() + " of "
                + f.steps().size() + " steps passed", fields);
        done.complete(f);
    }

    /** Publishes the releases, creates the devices and waits until each runs its starting version. */
    private String prepare() {
        try {
            long deadline = System.nanoTime() + PREPARATION.toNanos();
            // One after the other, in the script's order: each publication takes the next manifest
            // counter, and the replay and downgrade scripts depend on which release is newer.
            for (ReleaseSpec r : script.releases()) {
                lab.publish(r.imageName(), r.product(), r.encrypt()).get(PREPARATION.toMillis(), TimeUnit.MILLISECONDS);
            }
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (DeviceSpec d : script.devices()) {
                for (String id : d.ids()) {
                    work.add(lab.createDevice(id, d.product(), BuiltImages.imageOf(d.startingVersion()).orElseThrow(),
                            d.layout(), d.variant()));
                }
            }
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(PREPARATION.toMillis(), TimeUnit.MILLISECONDS);
            for (DeviceSpec d : script.devices()) {
                for (String id : d.ids()) {
                    String want = d.startingVersion();
                    if (!poll(deadline, () -> lab.device(id).map(s -> want.equals(s.version())).orElse(false))) {
                        return "device " + id + " did not boot " + want + " within " + PREPARATION.toSeconds() + " s: "
                                + describe(id);
                    }
                }
            }
            return null;
        } catch (ExecutionException e) {
            return "cannot prepare the lab: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "preparing the lab (releases, devices) took more than " + PREPARATION.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "stopped while preparing the lab";
        }
    }

    private void runStep(Step step, long countFrom, long stepStart) {
        long t0 = System.nanoTime();
        long deadline = t0 + step.timeout().toNanos();
        setStep(step.index(), x -> new StepSnapshot(x.index(), x.action(), x.narration(), StepStatus.RUNNING, "",
                List.of(), null, Duration.ZERO, x.spec(), null));
        record(EventType.SCENARIO_STEP_STARTED, "step " + step.index() + ": " + step.action().describe(), Map.of(
                "step", step.index(), "action", step.action().key(), "description", step.action().describe(),
                "narration_en", step.narration().en(), "narration_fr", step.narration().fr(),
                "timeout_ms", step.timeout().toMillis()));
        String failure = null;
        try {
            failure = act(step, countFrom, deadline);
        } catch (TimeoutException e) {
            failure = "the action did not complete within " + format(step.timeout());
        } catch (ExecutionException e) {
            failure = "the action failed: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            failure = "stopped";
        } catch (Exception e) {
            failure = "the action failed: " + e.getMessage();
        }
        List<ExpectationResult> results = List.of();
        if (failure == null && !step.expectations().isEmpty()) {
            ExpectationCheck check = new ExpectationCheck(lab, countFrom);
            while (true) {
                results = evaluate(step, check);
                List<ExpectationResult> shown = results;
                setStep(step.index(), x -> new StepSnapshot(x.index(), x.action(), x.narration(), x.status(), x.progress(),
                        shown, null, Duration.ofNanos(System.nanoTime() - t0), x.spec(), x.cut()));
                if (results.stream().allMatch(ExpectationResult::held) || System.nanoTime() >= deadline || stopped) {
                    break;
                }
                sleepUntilNextEvent();
            }
            for (ExpectationResult r : results) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("step", step.index());
                f.put("description", r.description());
                f.put("expected", r.expected());
                f.put("seen", r.seen());
                f.put("held", r.held());
                record(EventType.SCENARIO_EXPECTATION, (r.held() ? "held: " : "FAILED: ") + r.description()
                        + " (expected " + r.expected() + ", seen " + r.seen() + ")", f);
            }
            if (!results.stream().allMatch(ExpectationResult::held)) {
                failure = stopped ? "stopped" : "not every expectation held within " + format(step.timeout());
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        List<ExpectationResult> finalResults = results;
        if (failure == null) {
            setStep(step.index(), x -> new StepSnapshot(x.index(), x.action(), x.narration(), StepStatus.PASSED,
                    x.progress(), finalResults, null, took, x.spec(), x.cut()));
            record(EventType.SCENARIO_STEP_PASSED, "step " + step.index() + " passed in " + took.toMillis() + " ms",
                    Map.of("step", step.index(), "elapsed_ms", took.toMillis()));
        } else {
            String report = failure + "\n" + lastSeen(step.index(), stepStart);
            setStep(step.index(), x -> new StepSnapshot(x.index(), x.action(), x.narration(), StepStatus.FAILED,
                    x.progress(), finalResults, report, took, x.spec(), x.cut()));
            record(EventType.SCENARIO_STEP_FAILED, "step " + step.index() + " failed: " + failure,
                    Map.of("step", step.index(), "elapsed_ms", took.toMillis(), "reason", failure, "last_seen", report));
        }
    }

    /**
     * Evaluates a step's expectations. The attacker journals each judgement, so attacks are judged
     * only once everything else holds (the device's attempt is over by then), not on every poll.
     */
    private static List<ExpectationResult> evaluate(Step step, ExpectationCheck check) {
        List<ExpectationResult> others = new ArrayList<>();
        boolean othersHold = true;
        for (Expectation x : step.expectations()) {
            if (!(x instanceof Expectation.AttackResisted)) {
                ExpectationResult r = check.evaluate(x);
                othersHold &= r.held();
                others.add(r);
            }
        }
        List<ExpectationResult> results = new ArrayList<>();
        int i = 0;
        for (Expectation x : step.expectations()) {
            if (x instanceof Expectation.AttackResisted) {
                results.add(othersHold ? check.evaluate(x)
                        : new ExpectationResult(x.describe(), "resisted", "not judged yet: the step's other expectations do not hold",
                                false, x.position(), x));
            } else {
                results.add(others.get(i++));
            }
        }
        return results;
    }

    /** Performs the step's action; returns a failure or null. */
    private String act(Step step, long countFrom, long deadline) throws Exception {
        StepAction a = step.action();
        if (a instanceof StepAction.Deploy d) {
            await(d.device() != null ? lab.deployToDevice(d.device(), d.version()) : lab.deploy(d.product(), d.version()), deadline);
        } else if (a instanceof StepAction.Arm x) {
            await(lab.arm(x.attack(), x.params()), deadline);
        } else if (a instanceof StepAction.Disarm x) {
            await(lab.disarm(x.attack()), deadline);
        } else if (a instanceof StepAction.Check x) {
            forEachDevice(x.device(), lab::check, deadline);
        } else if (a instanceof StepAction.PowerOn x) {
            forEachDevice(x.device(), lab::powerOn, deadline);
        } else if (a instanceof StepAction.Reset x) {
            forEachDevice(x.device(), lab::reset, deadline);
        } else if (a instanceof StepAction.PowerCut x) {
            forEachDevice(x.device(), lab::powerCut, deadline);
        } else if (a instanceof StepAction.ArmCut x) {
            await(lab.armCut(x.device(), x.operation(), x.point()), deadline);
        } else if (a instanceof StepAction.DisarmCut x) {
            await(lab.disarmCut(x.device()), deadline);
        } else if (a instanceof StepAction.WaitFor w) {
            Optional<JournalEvent> seen = awaitEvent(countFrom,
                    e -> ExpectationCheck.matches(e, w.event(), w.device(), w.fields()), deadline);
            if (seen.isEmpty()) {
                return "no " + w.event() + (w.device() == null ? "" : " from " + w.device())
                        + (w.fields().isEmpty() ? "" : " with " + w.fields()) + " within " + format(step.timeout());
            }
        } else if (a instanceof StepAction.Pause) {
            if (mode == RunMode.PLAY) {
                setStep(step.index(), x -> x.with(StepStatus.PAUSED));
                awaitNext(deadline);
                setStep(step.index(), x -> x.with(StepStatus.RUNNING));
            }
        } else if (a instanceof StepAction.PowerCutSweep s) {
            return new PowerCutSweep(this, lab, s, step, deadline).run();
        }
        return null;
    }

    private void forEachDevice(String device, java.util.function.Function<String, CompletableFuture<Void>> op, long deadline)
            throws Exception {
        List<String> ids = device.equals("all") ? lab.deviceIds() : List.of(device);
        List<CompletableFuture<Void>> all = ids.stream().map(op).toList();
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), deadline);
    }

    static void await(CompletableFuture<?> future, long deadline) throws Exception {
        long left = deadline - System.nanoTime();
        future.get(Math.max(1, left), TimeUnit.NANOSECONDS);
    }

    /** Waits for a matching event after {@code afterSeq} until {@code deadline}, or until stopped. */
    Optional<JournalEvent> awaitEvent(long afterSeq, Predicate<JournalEvent> condition, long deadline)
            throws InterruptedException {
        while (!stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<JournalEvent> e = lab.journal().awaitAfter(afterSeq, condition,
                    Duration.ofNanos(Math.min(left, Duration.ofMillis(250).toNanos())));
            if (e.isPresent()) {
                return e;
            }
        }
        throw new InterruptedException("stopped");
    }

    /** Polls a condition until it holds or the deadline passes. */
    boolean poll(long deadline, java.util.function.BooleanSupplier condition) throws InterruptedException {
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= deadline || stopped) {
                return false;
            }
            sleepUntilNextEvent();
        }
    }

    private void sleepUntilNextEvent() {
        long seq = lab.lastSeq();
        try {
            lab.journal().awaitAfter(seq, e -> true, POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Play mode with a reading pause: leaves the step's marks and narration on screen for a while. */
    private void pauseToRead(int index) {
        if (mode != RunMode.PLAY || stopped || index >= script.steps().size()) {
            return;
        }
        Duration pause = ReadingPause.after(snapshot().steps().get(index - 1).narration(), readingPauseSeconds);
        if (!pause.isZero()) {
            // stop() releases the permits, so a stopped run does not sit out its pause.
            awaitNext(System.nanoTime() + pause.toNanos());
        }
    }

    private void awaitNext(Long deadline) {
        try {
            if (deadline == null) {
                nextPermits.acquire();
            } else {
                nextPermits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    /** Shows a running count on the current step (the sweep's cuts). */
    void progress(int index, SweepCut cut) {
        setStep(index, x -> new StepSnapshot(x.index(), x.action(), x.narration(), x.status(), cut.describe(),
                x.expectations(), x.failure(), x.elapsed(), x.spec(), cut));
    }

    void narrate(int index, LocalizedText text) {
        setStep(index, x -> {
            narrations[index - 1] = text;
            return new StepSnapshot(x.index(), x.action(), text.in(language), x.status(), x.progress(),
                    x.expectations(), x.failure(), x.elapsed(), x.spec(), x.cut());
        });
    }

    /**
     * Tells the rest of the run in {@code to}: the title and every step's narration switch now (the window's
     * language changed mid-run; a script carries both texts), and later narrations follow. The journal keeps both.
     */
    public void language(Language to) {
        update(s -> {
            language = to;
            List<StepSnapshot> steps = new ArrayList<>();
            for (StepSnapshot x : s.steps()) {
                steps.add(new StepSnapshot(x.index(), x.action(), narrations[x.index() - 1].in(to), x.status(),
                        x.progress(), x.expectations(), x.failure(), x.elapsed(), x.spec(), x.cut()));
            }
            return new RunSnapshot(script.title().in(to), mode, to, s.state(), s.currentStep(), steps, s.problem(),
                    s.elapsed());
        });
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * Each device's snapshot and the journal since the step began (what the devices said, the commands, the
     * boards' power, the server and the network): what a failed step reports, so that a failure seen only in
     * a log (CI's) can be diagnosed from it.
     */
    String lastSeen(int step, long stepStart) {
        StringBuilder s = new StringBuilder("Devices:\n");
        for (String id : lab.deviceIds()) {
            s.append("  ").append(describe(id)).append('\n');
        }
        List<JournalEvent> trail = lab.eventsAfter(stepStart);
        s.append("Journal since step ").append(step).append(" began (").append(trail.size())
                .append(" events; telemetry shown decoded, long runs shortened):\n");
        s.append(StepTrail.describe(trail));
        return s.toString();
    }

    String describe(String id) {
        Optional<DeviceSnapshot> d = lab.device(id);
        if (d.isEmpty()) {
            return id + ": not in the lab";
        }
        DeviceSnapshot x = d.get();
        return id + ": power " + lab.boardPower(id).orElse("unknown") + ", version " + x.version() + ", running "
                + x.runningSlot() + " (" + x.runningState() + "), slots ["
                + String.join("; ", x.slots().stream().map(SlotReport::describe).toList()) + "], LCD "
                + (x.lcd() == null ? "blank" : x.lcd().describe()) + ", LED " + (x.led() == null ? "off" : x.led().describe())
                + ", last verdict " + x.lastVerdictCode().orElse("none");
    }

    private void setStep(int index, java.util.function.UnaryOperator<StepSnapshot> change) {
        update(s -> {
            List<StepSnapshot> steps = new ArrayList<>(s.steps());
            steps.set(index - 1, change.apply(steps.get(index - 1)));
            return new RunSnapshot(s.title(), mode, language, s.state(), index, steps, s.problem(), elapsed());
        });
    }

    private void update(java.util.function.UnaryOperator<RunSnapshot> change) {
        RunSnapshot after;
        synchronized (lock) {
            current = change.apply(current);
            after = current;
        }
        for (RunListener l : listeners) {
            try {
                l.changed(after);
            } catch (RuntimeException e) {
                // Logged once per listener: a view that throws on every change would bury the log.
                if (brokenListeners.add(l)) {
                    LOG.log(Level.WARNING, "a scenario listener failed; the run goes on (further failures of it are not logged)", e);
                }
            }
        }
    }

    private Duration elapsed() {
        return startNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void record(EventType type, String message, Map<String, ?> fields) {
        lab.journal().append(type, null, message, fields);
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
