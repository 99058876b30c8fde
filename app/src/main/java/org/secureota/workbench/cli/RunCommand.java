package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.scenario.DemoScript;
import org.secureota.workbench.scenario.JunitReport;
import org.secureota.workbench.scenario.Language;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.RunState;
import org.secureota.workbench.scenario.ScenarioRun;
import org.secureota.workbench.scenario.ScriptException;
import org.secureota.workbench.scenario.ScriptReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./workbench run}: demo scripts, headless or step by step, for presenters, students and graders. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a demo script (docs/demo-scripts.md), or every script of a folder, each in a fresh lab session.",
            "Prints each step with its narration and each expectation with what was expected and seen.",
            "Exit 0 only when every expectation held; 1 when one did not; 2 when a script is refused."})
final class RunCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SCRIPT", description = "A script (demo-scripts/NAME.yaml) or a folder of scripts (demo-scripts/).")
    private Path target;

    @Option(names = "--lang", paramLabel = "en|fr", defaultValue = "en", description = "Language of the narration (default: ${DEFAULT-VALUE}).")
    private String lang;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML, for a CI or a grader. A relative FILE goes into the"
                    + " lab's sessions/ folder, not the current one.")
    private Path junit;

    @Option(names = "--step", description = "Wait for Enter before each step (and at each pause).")
    private boolean step;

    @Override
    public void run() {
        Language language;
        try {
            language = Language.fromCode(lang);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--lang: " + e.getMessage());
        }
        List<Path> files = scripts();
        PrintWriter out = spec.commandLine().getOut();
        // Every script is read and checked before the first one runs: a typo in the tenth script must not
        // surface after nine minutes of demo.
        ScriptReader reader = ScenarioRun.reader();
        List<DemoScript> scripts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            try {
                scripts.add(reader.read(f));
            } catch (ScriptException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UsageException("refused before anything ran:\n" + String.join("\n", problems));
        }
        LabFolder lab = WorkbenchCli.labOf(spec);
        Path projectRoot = Path.of(System.getProperty("workbench.home", ".")).toAbsolutePath().normalize();
        List<JunitReport.ScriptRun> results = new ArrayList<>();
        List<ScenarioRun.Outcome> outcomes = new ArrayList<>();
        EnterReader enter = step ? new EnterReader(System.in, out) : null;
        for (DemoScript script : scripts) {
            out.println();
            out.println("=== " + script.file() + ": " + script.title().in(language));
            out.println("    " + script.summary().in(language));
            out.flush();
            ScenarioRun.Outcome outcome = ScenarioRun.run(script, lab, projectRoot, step ? RunMode.STEP : RunMode.HEADLESS,
                    language, runner -> {
                        runner.addListener(new ScenarioPrinter(out, step));
                        if (enter != null) {
                            enter.follow(runner);
                        }
                    }, j -> {
                        // The attacker's own judgements, as it publishes them: the script only shows them.
                        out.println("    judged " + j.summary());
                        out.flush();
                    });
            RunSnapshot r = outcome.result();
            out.println();
            out.println("=== " + r.state() + ": " + r.passed() + " of " + r.steps().size() + " steps passed; steps "
                    + r.elapsed().toMillis() + " ms, whole run with the session " + outcome.wallTime().toMillis() + " ms"
                    + (r.problem() == null ? "" : ": " + r.problem()));
            out.println("    session " + outcome.sessionFolder() + " (report.html, journal.jsonl, serial transcripts)");
            out.flush();
            results.add(new JunitReport.ScriptRun(script.file(), r));
            outcomes.add(outcome);
        }
        if (scripts.size() > 1) {
            printSummary(out, outcomes);
        }
        if (junit != null) {
            Path xml = junit.isAbsolute() ? junit : WorkbenchCli.labOf(spec).sessions().resolve(junit);
            try {
                Files.createDirectories(xml.toAbsolutePath().getParent());
                JunitReport.write(results, xml);
                out.println("JUnit XML: " + xml.toAbsolutePath());
            } catch (IOException e) {
                throw new UsageException("Cannot write " + junit + ": " + e.getMessage(), e);
            }
        }
        long failed = results.stream().filter(x -> x.result().state() != RunState.PASSED).count();
        if (failed > 0) {
            throw new CheckFailedException(failed + " of " + results.size() + " script" + (results.size() == 1 ? "" : "s")
                    + " did not pass: see the FAIL lines above and each session's report.html");
        }
    }

    private List<Path> scripts() {
        if (Files.isDirectory(target)) {
            try (Stream<Path> list = Files.list(target)) {
                List<Path> found = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
                if (found.isEmpty()) {
                    throw new UsageException("No .yaml script in " + target + ".");
                }
                return found;
            } catch (IOException e) {
                throw new UsageException("Cannot list " + target + ": " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(target)) {
            throw new UsageException("No script at " + target + ": give a .yaml file or a folder such as demo-scripts/.");
        }
        return List.of(target);
    }

    private static void printSummary(PrintWriter out, List<ScenarioRun.Outcome> outcomes) {
        int width = Math.max(6, outcomes.stream().mapToInt(o -> Path.of(o.file()).getFileName().toString().length()).max().orElse(6));
        out.println();
        out.println(String.format(Locale.ROOT, "%-" + width + "s  %-7s  %-7s  %9s", "script", "steps", "result", "time"));
        long total = 0;
        for (ScenarioRun.Outcome o : outcomes) {
            RunSnapshot r = o.result();
            total += o.wallTime().toMillis();
            out.println(String.format(Locale.ROOT, "%-" + width + "s  %-7s  %-7s  %7.1f s", Path.of(o.file()).getFileName(),
                    r.passed() + "/" + r.steps().size(), r.state() == RunState.PASSED ? "passed" : "FAILED",
                    o.wallTime().toMillis() / 1000.0));
        }
        long passed = outcomes.stream().filter(o -> o.result().state() == RunState.PASSED).count();
        out.println(String.format(Locale.ROOT, "%-" + width + "s  %-7s  %-7s  %7.1f s", "total", "",
                passed + "/" + outcomes.size(), total / 1000.0));
        out.flush();
    }
}
