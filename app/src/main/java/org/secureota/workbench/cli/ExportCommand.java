package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.SessionReader;
import org.secureota.workbench.journal.SessionReport;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.network.CaptureExport;
import org.secureota.workbench.network.CaptureRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./workbench export}: one zip per session, for archives and hand-ins. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Rebuild a recorded session's report.html from its journal alone, and zip the session folder: journal.jsonl, each device's serial transcript, report.html.",
                "With --pcapng FILE: write the session's network capture (pcapng, TLS secrets inside) instead."})
final class ExportCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SESSION",
            description = "Session folder name under the lab's sessions/ (or a path to it). Default: the latest.")
    private String session;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Zip file to write (default: session-<name>.zip in the lab's sessions/ folder, beside the session).")
    private Path out;

    @Option(names = "--pcapng", paramLabel = "FILE",
            description = "Write the session's network capture instead of the zip: a pcapng file with the TLS key log"
                    + " inside, which Wireshark and tshark decrypt on their own.")
    private Path pcapng;

    @Override
    public void run() {
        LabFolder lab = WorkbenchCli.labOf(spec);
        try {
            Path dir = resolveSession(lab);
            if (pcapng != null) {
                exportCapture(dir);
                return;
            }
            // By default beside the session, never in the current folder (from the project root, the repository).
            Path zip = out != null ? out : lab.sessions().resolve("session-" + dir.getFileName() + ".zip");
            if (CaptureExport.hasCapture(dir)) {
                // The report links it; the zip carries it.
                CaptureExport.export(dir, dir.resolve(SessionReport.CAPTURE_FILE));
            }
            SessionReader.Result read = SessionExport.export(dir, zip);
            PrintWriter w = spec.commandLine().getOut();
            w.println("Exported " + read.events().size() + " events of session " + dir.getFileName() + " to "
                    + zip.toAbsolutePath());
            read.errors().forEach(e -> spec.commandLine().getErr().println("warning: damaged line kept out: " + e));
        } catch (IOException e) {
            throw new UsageException("Cannot export the session: " + e.getMessage(), e);
        }
    }

    private void exportCapture(Path dir) throws IOException {
        if (!CaptureExport.hasCapture(dir)) {
            throw new UsageException("Session " + dir.getFileName() + " has no capture (" + CaptureRecorder.FILE
                    + "): it ran with --no-capture, or before captures existed. Run the lab again to capture one.");
        }
        CaptureExport.Result r = CaptureExport.export(dir, pcapng);
        PrintWriter w = spec.commandLine().getOut();
        w.println("Wrote " + r.packets() + " packets of " + r.connections() + " connections of session "
                + dir.getFileName() + " to " + pcapng.toAbsolutePath() + " (" + r.keyLogLines() + " TLS secrets of "
                + r.devices() + (r.devices() == 1 ? " device" : " devices") + " inside; open it in Wireshark, or: tshark -r " + pcapng + " -Y http.request)");
        if (r.unplaced() > 0) {
            spec.commandLine().getErr().println("note: " + r.unplaced() + " connections carry no ClientHello that a"
                    + " device's key log names; they are shown from " + "10.0.2.1");
        }
        if (r.truncated()) {
            spec.commandLine().getErr().println("note: the capture ends inside a record (the session is still"
                    + " running, or was cut short); what was complete is exported");
        }
    }

    private Path resolveSession(LabFolder lab) throws IOException {
        if (session == null) {
            return SessionExport.latestSession(lab.sessions()).orElseThrow(() -> new UsageException(
                    "No recorded session in " + lab.sessions() + ". Run the lab first (for example './workbench serve').")) ;
        }
        Path asPath = Path.of(session);
        Path dir = Files.isDirectory(asPath) ? asPath : lab.sessions().resolve(session).normalize();
        if (!dir.startsWith(lab.sessions()) && !Files.isDirectory(asPath)) {
            throw new UsageException("'" + session + "' is not a session of " + lab.sessions() + ".");
        }
        if (!Files.isRegularFile(dir.resolve(SessionLog.JOURNAL_FILE))) {
            throw new UsageException("No " + SessionLog.JOURNAL_FILE + " in " + dir
                    + ". List the sessions with 'ls " + lab.sessions() + "'.");
        }
        return dir;
    }
}
