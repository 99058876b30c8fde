package org.secureota.workbench.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.SlotReport;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * The power-cut sweep, made watchable: one update, cut at flash operation N, the device powered on
 * and required to boot an intact app, then the same again one step further, until an update runs
 * to its confirmation without meeting the cut. Each cut is journaled and counted in the narration.
 */
final class PowerCutSweep {

    private final ScenarioRunner runner;
    private final ScenarioLab lab;
    private final StepAction.PowerCutSweep sweep;
    private final Step step;
    private final long deadline;

    PowerCutSweep(ScenarioRunner runner, ScenarioLab lab, StepAction.PowerCutSweep sweep, Step step, long deadline) {
        this.runner = runner;
        this.lab = lab;
        this.sweep = sweep;
        this.step = step;
        this.deadline = deadline;
    }

    /** Returns null when the update completed and every cut left a bootable device, else the failure. */
    String run() throws Exception {
        String dev = sweep.device();
        int cuts = 0;
        for (long n = sweep.every(); cuts < sweep.maxCuts(); n += sweep.every()) {
            if (runner.stopped()) {
                return "stopped";
            }
            if (sweep.version().equals(version(dev))) {
                break;
            }
            long mark = lab.lastSeq();
            // The update ends with the new slot confirmed: an app_state of the slot running now is the
            // tail of the last boot's report (it can arrive after the partition report polled below).
            String runningBefore = lab.device(dev).map(DeviceSnapshot::runningSlot).orElse(null);
            // fail-after N lets operations 1..N complete and cuts N+1: cut operation n itself.
            ScenarioRunner.await(lab.armCut(dev, n - 1, sweep.point()), deadline);
            ScenarioRunner.await(lab.check(dev), deadline);
            long armedAt = mark;
            Optional<JournalEvent> outcome = runner.awaitEvent(armedAt, e -> dev.equals(e.deviceId())
                    && (EventType.BOARD_POWER_CUT.is(e)
                    || EventType.DEVICE_APP_STATE.is(e) && "valid".equals(e.field("state").orElse(null))
                            && !e.field("slot").orElse("").equals(runningBefore)
                    || EventType.OTA_VERDICT.is(e) && !"UPDATED".equals(e.field("code").orElse(null))), deadline);
            if (outcome.isEmpty()) {
                return "after arming a cut at flash operation " + n + ", neither the cut nor the end of the update came within "
                        + ScenarioRunner.format(step.timeout()) + " (" + cuts + " cuts so far)";
            }
            JournalEvent e = outcome.get();
            if (!EventType.BOARD_POWER_CUT.is(e)) {
                if (EventType.OTA_VERDICT.is(e) && !sweep.version().equals(version(dev))) {
                    return "the update attempt after " + cuts + " cuts ended with " + e.field("code").orElse("?")
                            + " instead of installing " + sweep.version();
                }
                break; // the update ran to the end without meeting the cut: every operation was swept
            }
            cuts++;
            long cutSeq = e.seq();
            ScenarioRunner.await(lab.powerOn(dev), deadline);
            // The boot that followed the cut: a power-on boot journaled after it. The device's lines and the
            // board's come on two streams, so a line written just before the cut (the update's restart into the
            // new version, a report) can be journaled after the cut; taken for the new boot, it made the sweep
            // believe the device ran the new version and stop early.
            Optional<JournalEvent> booted = runner.awaitEvent(cutSeq, x -> dev.equals(x.deviceId())
                    && (EventType.DEVICE_BOOT.is(x) && bootAfterPowerOn(x) || EventType.BOARD_HALTED.is(x)), deadline);
            if (booted.isEmpty()) {
                return "cut " + (cuts) + " at flash operation " + n + " (" + sweep.point().wireName()
                        + "): the device did not boot again within the step's timeout";
            }
            if (EventType.BOARD_HALTED.is(booted.get())) {
                return "BRICKED after cut " + cuts + " at flash operation " + n + ": " + booted.get().message();
            }
            JournalEvent boot = booted.get();
            // Its partition report (same stream, after it), not the report of the boot before the cut.
            Optional<JournalEvent> report = runner.awaitEvent(boot.seq(), x -> dev.equals(x.deviceId())
                    && (EventType.DEVICE_PARTITIONS.is(x) || EventType.BOARD_HALTED.is(x)), deadline);
            if (report.isEmpty()) {
                return "cut " + cuts + " at flash operation " + n + " (" + sweep.point().wireName()
                        + "): the device booted but reported no partitions within the step's timeout";
            }
            if (EventType.BOARD_HALTED.is(report.get())) {
                return "BRICKED after cut " + cuts + " at flash operation " + n + ": " + report.get().message();
            }
            int count = cuts;
            long op = n;
            // The session's view of the device trails the journal by a moment: wait until it shows the boot
            // that followed the cut, or a stale view (the version before the cut) would end the sweep early.
            String bootSlot = boot.field("slot").orElse(null);
            String bootVersion = boot.field("version").orElse(null);
            if (!runner.poll(deadline, () -> runsVerifiedApp(dev) && lab.device(dev)
                    .map(d -> java.util.Objects.equals(d.runningSlot(), bootSlot)
                            && java.util.Objects.equals(d.version(), bootVersion)).orElse(false))) {
                // Only the board's halt (above) proves a brick; running out of time proves nothing about the flash.
                return (runsVerifiedApp(dev)
                        ? "the step's timeout ran out after cut " + count + " at flash operation " + op
                        + ", before the session's view showed the boot that followed it; the device runs an intact"
                        + " app, so this is not a brick (a loaded machine needs a longer step timeout): "
                        : "after cut " + count + " at flash operation " + op + " the device showed no intact app"
                        + " within the step's timeout: ") + runner.describe(dev);
            }
            String now = version(dev);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("step", step.index());
            f.put("cut", count);
            f.put("operation", op);
            f.put("point", sweep.point().wireName());
            f.put("version_after", now);
            lab.journal().append(EventType.SCENARIO_SWEEP_CUT, dev, "cut " + count + " at flash operation "
                    + op + " (" + sweep.point().wireName() + "): booted " + now + ", an intact app", f);
            runner.narrate(step.index(), step.narration().with("cuts", count).with("operation", op));
            runner.progress(step.index(), SweepCut.at(count, op, now));
        }
        ScenarioRunner.await(lab.disarmCut(dev), deadline);
        if (!runner.poll(deadline, () -> sweep.version().equals(version(dev)) && runsVerifiedApp(dev))) {
            return "after " + cuts + " cuts the device did not end on " + sweep.version() + ": " + runner.describe(dev);
        }
        runner.narrate(step.index(), step.narration().with("cuts", cuts).with("operation", "-"));
        runner.progress(step.index(), SweepCut.completed(cuts));
        return null;
    }

    /** A boot after the board's power came back (not the update's restart, nor a status report). */
    private static boolean bootAfterPowerOn(JournalEvent boot) {
        return "poweron".equals(boot.field("reset_reason").orElse(null)) && !EventType.isStatusReport(boot);
    }

    private String version(String dev) {
        return lab.device(dev).map(DeviceSnapshot::version).orElse(null);
    }

    private boolean runsVerifiedApp(String dev) {
        // Powered is enough: the session may still say BOOTING when the supervisor's power-on line is
        // read after the app's first telemetry (two pipes, two reader threads).
        String power = lab.boardPower(dev).orElse("OFF");
        return !power.equals("OFF") && !power.equals("CUT") && lab.device(dev)
                .flatMap(s -> s.slots().stream().filter(SlotReport::running).findFirst())
                .map(r -> r.image().valid()).orElse(false);
    }
}
