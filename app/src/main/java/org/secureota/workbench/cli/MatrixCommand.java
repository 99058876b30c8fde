package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.scenario.DefenceMatrix;
import org.secureota.workbench.scenario.MatrixCell;
import org.secureota.workbench.scenario.MatrixReport;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.SessionSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./workbench matrix}: every catalogue attack against every firmware variant, judged, in one headless session. */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = {"Measure the attack x defence matrix: every catalogue attack against a fresh virtual device of every"
                + " firmware variant (secure, and the lab-only builds that each lack one check), in one headless lab session,"
                + " judged by the attacker's judge.",
            "Writes matrix.json and matrix.html (EN/FR) into --out. Exits 1 if the secure firmware did not resist an"
                    + " attack, or if a variant resisted every attack its missing check exists for."})
final class MatrixCommand implements Runnable {

    /** How long before the run the fresh lab's CA and server certificate are issued. */
    static final java.time.Duration CERTIFICATES_ISSUED_BEFORE = java.time.Duration.ofDays(30);

    @Spec
    private CommandSpec spec;

    @Option(names = "--attacks", split = ",", paramLabel = "ID",
            description = "Attacks to run, comma-separated (default: the whole catalogue; './workbench attack list').")
    private List<String> attacks;

    @Option(names = "--variants", split = ",", paramLabel = "VARIANT",
            description = "Firmware variants, comma-separated (default: all of them).")
    private List<String> variants;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "matrix",
            description = "Folder for matrix.json and matrix.html, and the fresh lab the matrix runs in (DIR/lab,"
                    + " replaced each run) (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--compare", paramLabel = "HTML",
            description = "Also compare the results with a matrix.html written before (e.g. docs/defence-matrix.html):"
                    + " exit 1 when a cell of the measured attacks and variants differs.")
    private Path compare;

    @Override
    public void run() {
        List<String> catalogue = DefenceMatrix.catalogue();
        List<String> chosen = attacks == null ? catalogue : attacks;
        for (String a : chosen) {
            if (!catalogue.contains(a)) {
                throw new UsageException("--attacks: unknown attack '" + a + "'; the catalogue has " + String.join(", ", catalogue) + ".");
            }
        }
        List<FirmwareVariant> vs = new ArrayList<>();
        for (String v : variants == null ? List.of(FirmwareVariant.names().split(", ")) : variants) {
            try {
                vs.add(FirmwareVariant.fromWireName(v.strip()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--variants: " + e.getMessage() + ".");
            }
        }
        if (vs.size() > LabSession.MAX_DEVICES) {
            throw new UsageException("--variants: at most " + LabSession.MAX_DEVICES + " at once.");
        }
        String before = null;
        if (compare != null) {
            try {
                before = Files.readString(compare, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("--compare: cannot read " + compare + ": " + e.getMessage(), e);
            }
        }
        PrintWriter pw = spec.commandLine().getOut();
        // A fresh lab of its own each time: release counters and device keys of earlier sessions would make the
        // replayed manifest's counter and the devices' history depend on what ran before.
        Path labDir = out.resolve("lab");
        try {
            if (Files.exists(labDir)) {
                try (java.util.stream.Stream<Path> walk = Files.walk(labDir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(labDir);
            // The lab's certificates as a deployed server's are: issued weeks ago. A server certificate issued an
            // hour before the run would make any clock turned back a day "not yet valid" at TLS, and hide what the
            // time floor is for (time-rollback); the session takes this PKI as it finds it.
            new org.secureota.workbench.pki.LabPki(new org.secureota.workbench.foundation.LabFolder(labDir).certs())
                    .init(false, org.secureota.workbench.pki.HostIdentity.ofThisMachine(),
                            java.time.Clock.offset(java.time.Clock.systemUTC(), CERTIFICATES_ISSUED_BEFORE.negated()));
        } catch (IOException e) {
            throw new UsageException("Cannot prepare a fresh lab in " + labDir + ": " + e.getMessage(), e);
        }
        SessionSetup options = SessionSetup.defaults(new org.secureota.workbench.foundation.LabFolder(labDir))
                .withPublishBuiltReleases(true);
        long t0 = System.nanoTime();
        List<MatrixCell> cells;
        try (LabSession session = LabCommand.SessionRunner.open(options)) {
            pw.println("Defence matrix: " + chosen.size() + " attack(s) x " + vs.size() + " variant(s), session " + session.folder());
            pw.flush();
            cells = new DefenceMatrix(session, line -> {
                pw.println("  " + line);
                pw.flush();
            }).run(chosen, vs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailedException("interrupted before the matrix was complete");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        MatrixReport report = new MatrixReport(cells);
        try {
            Files.createDirectories(out);
            report.writeJson(out.resolve("matrix.json"));
            report.writeHtml(out.resolve("matrix.html"));
        } catch (IOException e) {
            throw new UsageException("Cannot write into " + out + ": " + e.getMessage(), e);
        }
        for (MatrixCell c : cells) {
            pw.printf("%-18s %-20s %-13s %s%n", c.variant(), c.attack(), c.result(), c.verdict() == null ? "" : c.verdict());
        }
        pw.printf("Measured in %.1f s; %s and %s written.%n", seconds, out.resolve("matrix.json"), out.resolve("matrix.html"));
        report.gaps().forEach(g -> pw.println("gap: " + g));
        List<String> problems = new ArrayList<>(report.problems());
        if (before != null) {
            Set<String> now = new TreeSet<>(MatrixReport.cellKeys(report.html()));
            Set<String> then = new TreeSet<>();
            for (String k : MatrixReport.cellKeys(before)) {
                String[] p = k.split(" ");
                if (p.length == 3 && chosen.contains(p[1]) && vs.stream().anyMatch(v -> v.wireName().equals(p[0]))) {
                    then.add(k);
                }
            }
            if (!now.equals(then)) {
                Set<String> gone = new TreeSet<>(then);
                gone.removeAll(now);
                Set<String> added = new TreeSet<>(now);
                added.removeAll(then);
                problems.add("the measured matrix differs from " + compare + ": it had " + gone + ", now " + added);
            }
        }
        pw.flush();
        if (!problems.isEmpty()) {
            throw new CheckFailedException(String.join("\n", problems));
        }
    }
}
