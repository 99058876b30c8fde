package org.secureota.workbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.ScenarioRunner;
import org.secureota.workbench.scenario.StepStatus;

/**
 * Enter on the terminal means "next" in {@code run --step}. One reader of standard input serves every
 * script of the run: a reader per script stayed blocked on the terminal after its script and took the
 * first Enter meant for the next one. An Enter typed (or piped) before a step waits is kept for the
 * next step that waits. When standard input has ended (a pipe, {@code </dev/null}) and a step waits
 * with no Enter left, nobody can press one any more: the run is stopped instead of waiting for ever.
 */
final class EnterReader {

    private final InputStream stdin;
    private final PrintWriter out;
    private ScenarioRunner current;
    private int pending;
    private boolean ended;
    private Thread thread;

    EnterReader(InputStream stdin, PrintWriter out) {
        this.stdin = stdin;
        this.out = out;
    }

    /** The runner that Enter drives from now on (call it before the runner starts). */
    synchronized void follow(ScenarioRunner runner) {
        current = runner;
        runner.addListener(s -> deliver(runner, s));
        if (thread == null) {
            thread = new Thread(this::read, "run-enter");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void read() {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                synchronized (this) {
                    pending++;
                    deliver(current, current.snapshot());
                }
            }
        } catch (IOException e) {
            // Unreadable standard input: the same as its end, nobody can step the script.
        }
        synchronized (this) {
            ended = true;
            deliver(current, current.snapshot());
        }
    }

    private synchronized void deliver(ScenarioRunner runner, RunSnapshot s) {
        if (runner != current || !waiting(s)) {
            return;
        }
        if (pending > 0) {
            if (runner.next()) {
                pending--;
            }
        } else if (ended) {
            out.println("    standard input ended: nobody can press Enter for the next step, so the run stops here");
            out.flush();
            runner.stop();
        }
    }

    private static boolean waiting(RunSnapshot s) {
        if (s.state().finished() || s.currentStep() < 1 || s.currentStep() > s.steps().size()) {
            return false;
        }
        StepStatus status = s.steps().get(s.currentStep() - 1).status();
        return status == StepStatus.WAITING_FOR_NEXT || status == StepStatus.PAUSED;
    }
}
