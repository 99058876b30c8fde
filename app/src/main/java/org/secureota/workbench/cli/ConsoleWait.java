package org.secureota.workbench.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.session.LabDevice;

/**
 * The console's {@code wait ID|all [TIMEOUT]}: blocks the command input until each device is idle
 * (no check of this console pending) or done with its last check: a verdict other than UPDATED, or
 * UPDATED followed by a boot into a confirmed (VALID) app, which a rollback also ends in. So a
 * {@code --commands} file reads the same state on every run ("check all", "wait all", "status").
 */
final class ConsoleWait {

    static final int DEFAULT_TIMEOUT_SECONDS = 120;

    private ConsoleWait() {
    }

    static void registerInto(LabConsole console) {
        console.register("wait", "wait ID|all [TIMEOUT]", "waits (at most TIMEOUT seconds, default "
                + DEFAULT_TIMEOUT_SECONDS + ") until the device is idle: its last check has a verdict, and an update"
                + " is confirmed after its reboot", (args, c) -> {
                    if (args.isEmpty() || args.size() > 2) {
                        throw new UsageException("Wrong number of words.");
                    }
                    long seconds = DEFAULT_TIMEOUT_SECONDS;
                    if (args.size() == 2) {
                        try {
                            seconds = Long.parseLong(args.get(1));
                        } catch (NumberFormatException e) {
                            throw new UsageException("'" + args.get(1) + "' is not a number of seconds.");
                        }
                        if (seconds < 1) {
                            throw new UsageException("Wait at least 1 second, not " + seconds + ".");
                        }
                    }
                    List<LabDevice> targets = args.get(0).equals("all") ? c.session().devices()
                            : List.of(c.device(args.get(0)));
                    waitFor(c, targets, Duration.ofSeconds(seconds));
                });
    }

    private static void waitFor(LabConsole console, List<LabDevice> targets, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LabDevice> pending = new ArrayList<>(targets);
        while (true) {
            pending.removeIf(d -> {
                String outcome = settled(console, d);
                if (outcome != null) {
                    followedBySession(console, d);
                    console.println("wait: " + d.id() + " " + outcome);
                    return true;
                }
                return false;
            });
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                console.println("error: wait: still busy after " + timeout.toSeconds() + " s: "
                        + String.join(", ", pending.stream().map(LabDevice::id).toList()));
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The session's snapshot (what 'status' and the window show) follows the device model a moment
     * later: wait for it too, so that the next command reads the state the wait reported.
     */
    private static void followedBySession(LabConsole console, LabDevice d) {
        DeviceSnapshot model = d.model().snapshot();
        try {
            console.session().await(s -> {
                DeviceSnapshot shown = s.devices().get(d.id());
                return shown != null && java.util.Objects.equals(shown.version(), model.version())
                        && shown.runningState() == model.runningState();
            }, Duration.ofSeconds(5), d.id() + " shown as the model has it");
        } catch (java.util.concurrent.TimeoutException | InterruptedException late) {
            if (late instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the device's last check came to, or null while it is still at it. */
    private static String settled(LabConsole console, LabDevice d) {
        DeviceSnapshot now = d.model().snapshot();
        var mark = console.lastCheck(d.id());
        if (mark.isEmpty()) {
            // Not asked to check: idle once it has booted and reported what it runs.
            return now.version() != null && now.runningState() != null ? "idle (no check pending), " + describe(now)
                    : null;
        }
        // A real board is journaled under its port until it reports its id, so its verdict may be under either.
        List<JournalEvent> verdicts = console.session().journal().events(EventType.OTA_VERDICT, null, mark.get().seq())
                .stream().filter(e -> now.journalId().equals(e.deviceId()) || mark.get().journalId().equals(e.deviceId())
                        || d.id().equals(e.deviceId())).toList();
        if (verdicts.isEmpty()) {
            return null;
        }
        JournalEvent verdict = verdicts.get(verdicts.size() - 1);
        String code = verdict.field("code").orElse("?");
        if (!code.equals("UPDATED")) {
            return "done: verdict " + code + ", " + describe(now);
        }
        // An update is over once the device booted after the verdict and the app of that boot is confirmed
        // (the new one, or the old one after a rollback). The model trails the journal: it must show that boot.
        List<JournalEvent> boots = console.session().journal().events(EventType.DEVICE_BOOT, null, verdict.seq())
                .stream().filter(e -> now.journalId().equals(e.deviceId()) || d.id().equals(e.deviceId())).toList();
        if (boots.isEmpty() || now.boots() <= mark.get().boots()) {
            return null;
        }
        JournalEvent last = boots.get(boots.size() - 1);
        boolean modelShowsIt = last.field("version").map(v -> v.equals(now.version())).orElse(false)
                && last.field("slot").map(v -> v.equals(now.runningSlot())).orElse(false);
        return modelShowsIt && now.runningState() == OtaState.VALID ? "done: verdict UPDATED, " + describe(now) : null;
    }

    private static String describe(DeviceSnapshot s) {
        return "running " + (s.version() == null ? "(not reported)" : s.version()) + " from " + s.runningSlot()
                + " (" + s.runningState() + ")";
    }
}
