package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import org.secureota.workbench.scenario.ExpectationResult;
import org.secureota.workbench.scenario.RunListener;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.StepSnapshot;
import org.secureota.workbench.scenario.StepStatus;

/** Prints a run as it goes: each step with its narration, each expectation with expected and seen. */
final class ScenarioPrinter implements RunListener {

    private final PrintWriter out;
    private final boolean stepByStep;
    private final Map<Integer, StepStatus> printed = new HashMap<>();
    private final Map<Integer, String> progress = new HashMap<>();

    ScenarioPrinter(PrintWriter out, boolean stepByStep) {
        this.out = out;
        this.stepByStep = stepByStep;
    }

    @Override
    public synchronized void changed(RunSnapshot run) {
        for (StepSnapshot s : run.steps()) {
            StepStatus before = printed.get(s.index());
            if (s.status() == before) {
                if (s.status() == StepStatus.RUNNING && !s.progress().isEmpty() && !s.progress().equals(progress.get(s.index()))) {
                    progress.put(s.index(), s.progress());
                    out.println("      " + s.progress());
                    out.flush();
                }
                continue;
            }
            printed.put(s.index(), s.status());
            String head = String.format("%2d/%d", s.index(), run.steps().size());
            switch (s.status()) {
                case WAITING_FOR_NEXT -> {
                    out.println();
                    out.println(head + " next: " + s.action() + "   [Enter to run it]");
                }
                case RUNNING -> {
                    if (before != StepStatus.PAUSED) {
                        out.println();
                        out.println(head + " " + s.action());
                        out.println("      " + s.narration());
                    }
                }
                case PAUSED -> out.println("      (paused: Enter to go on)");
                case PASSED, FAILED -> {
                    for (ExpectationResult e : s.expectations()) {
                        out.println("      " + (e.held() ? "ok   " : "FAIL ") + e.description() + ": expected " + e.expected()
                                + ", seen " + e.seen());
                    }
                    out.println("      " + (s.status() == StepStatus.PASSED ? "passed" : "FAILED") + " in "
                            + s.elapsed().toMillis() + " ms");
                    if (s.status() == StepStatus.FAILED && s.failure() != null) {
                        s.failure().lines().forEach(l -> out.println("      | " + l));
                    }
                }
                case SKIPPED -> out.println(head + " skipped: " + s.action());
                default -> {
                }
            }
            out.flush();
        }
        if (stepByStep) {
            out.flush();
        }
    }
}
