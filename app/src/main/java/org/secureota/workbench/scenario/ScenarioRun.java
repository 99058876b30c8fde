package org.secureota.workbench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.SessionSetup;

/**
 * One script, one fresh lab, one session: what {@code ./workbench run} and the tests do for each
 * script. The lab is a scratch folder (its own PKI, store, devices), so a run never changes the
 * deployments of the lab it is started from and every run starts from the same state; the session
 * folder (journal, each device's serial.log, report.html) is then moved into that lab's
 * {@code sessions/}.
 */
public final class ScenarioRun {

    /**
     * What a run left: the script's file, its final snapshot, its session folder, and the wall time of
     * the whole run (opening the session, preparing the lab, the steps, closing, the report).
     */
    public record Outcome(String file, RunSnapshot result, Path sessionFolder, java.time.Duration wallTime) {
    }

    private ScenarioRun() {
    }

    /** A reader that knows this workbench's attacks and event types. */
    public static ScriptReader reader() {
        return new ScriptReader(AttackCatalog.all().stream().map(Attack::id).collect(java.util.stream.Collectors.toSet()),
                t -> EventType.fromWireName(t).isPresent());
    }

    /**
     * Runs {@code script} to its end in a fresh session. {@code configure} sees the runner before it
     * starts (to add listeners, or to drive {@code next()} in step mode).
     */
    public static Outcome run(DemoScript script, LabFolder keep, Path projectRoot, RunMode mode, Language language,
                              Consumer<ScenarioRunner> configure) {
        return run(script, keep, projectRoot, mode, language, configure, j -> { });
    }

    /**
     * As {@link #run(DemoScript, Lab, Path, RunMode, Language, Consumer)}, and tells {@code judgements} of every
     * judgement the session's attacker publishes (on the session's event thread), to show them.
     */
    public static Outcome run(DemoScript script, LabFolder keep, Path projectRoot, RunMode mode, Language language,
                              Consumer<ScenarioRunner> configure, Consumer<Judgement> judgements) {
        long t0 = System.nanoTime();
        Path scratch;
        try {
            scratch = Files.createTempDirectory("workbench-run-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch lab for " + script.file() + ": " + e.getMessage(), e);
        }
        RunSnapshot result;
        Path folder = null;
        try {
            LabSession session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(scratch))
                    .withProjectRoot(projectRoot).withPublishBuiltReleases(false));
            try (var shown = session.onJudgement(judgements)) {
                // The session's own attacker: its store attacks act on the session's default product unless a
                // script names another in the attack's parameters.
                ScenarioRunner runner = new ScenarioRunner(script,
                        new SessionScenarioLab(session, session.attacker(), projectRoot), mode, language);
                configure.accept(runner);
                result = runner.runAndWait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + script.file(), e);
            } finally {
                session.close();
                // Kept even when the run failed: its journal is the record of what went wrong.
                folder = keep(session.folder(), keep.sessions());
            }
            try {
                SessionExport.writeReport(folder);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the report of " + folder + ": " + e.getMessage(), e);
            }
        } finally {
            // The scratch lab (PKI, store, flash files) is never worth keeping; its session folder was moved out.
            deleteQuietly(scratch);
        }
        return new Outcome(script.file(), result, folder, java.time.Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Moves a finished session folder into {@code sessions}, under a free name. */
    public static Path keep(Path folder, Path sessions) {
        try {
            LabFolder.ensurePrivateDirectory(sessions);
            Path target = sessions.resolve(folder.getFileName());
            for (int n = 2; Files.exists(target); n++) {
                target = sessions.resolve(folder.getFileName() + "-" + n);
            }
            try {
                return Files.move(folder, target);
            } catch (IOException crossDevice) {
                copyTree(folder, target);
                return target;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the session folder " + folder + " in " + sessions + ": "
                    + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    LabFolder.ensurePrivateDirectory(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // keeps 0600/0700
                }
            }
        }
    }

    /** Deletes a scratch lab and everything in it; what cannot be deleted stays (disk, not correctness). */
    public static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A scratch folder left in the temp dir costs disk, not correctness.
        }
    }

}
