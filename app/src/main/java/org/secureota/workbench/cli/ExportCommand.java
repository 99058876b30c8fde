package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.SessionReader;
import org.secureota.workbench.lab.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./workbench export}: one zip per session, for archives and hand-ins. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Rebuild a recorded session's report.html from its journal alone, and zip the session folder: journal.jsonl, each device's serial transcript, report.html.")
final class ExportCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SESSION",
            description = "Session folder name under the lab's sessions/ (or a path to it). Default: the latest.")
    private String session;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Zip file to write (default: session-<name>.zip in the lab's sessions/ folder, beside the session).")
    private Path out;

    @Override
    public void run() {
        Lab lab = WorkbenchCli.labOf(spec);
        try {
            Path dir = resolveSession(lab);
            // By default beside the session, never in the current folder (from the project root, the repository).
            Path zip = out != null ? out : lab.sessions().resolve("session-" + dir.getFileName() + ".zip");
            SessionReader.Result read = SessionExport.export(dir, zip);
            PrintWriter w = spec.commandLine().getOut();
            w.println("Exported " + read.events().size() + " events of session " + dir.getFileName() + " to "
                    + zip.toAbsolutePath());
            read.errors().forEach(e -> spec.commandLine().getErr().println("warning: damaged line kept out: " + e));
        } catch (IOException e) {
            throw new UsageException("Cannot export the session: " + e.getMessage(), e);
        }
    }

    private Path resolveSession(Lab lab) throws IOException {
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
