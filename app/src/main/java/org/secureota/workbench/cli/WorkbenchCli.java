package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.PkiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./workbench}: the one entry point of the workbench, for people, scripts and CI. */
@Command(name = "workbench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Secure OTA Workbench: live, honest demonstrations of secure OTA firmware updates on ESP32.",
        footer = {"", "Exit codes: 0 success, 1 a check or expectation failed, 2 bad usage or bad input,"
                + " 70 a bug in the workbench (please report it)."},
        subcommands = {
            GuiCommand.class,
            PkiCommand.class,
            FirmwareCommand.class,
            ServeCommand.class,
            LabCommand.class,
            ServerCommand.class,
            DeviceCommand.class,
            BoardCommand.class,
            AttackCommand.class,
            RunCommand.class,
            MatrixCommand.class,
            ExportCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class WorkbenchCli implements Runnable {

    @Mixin
    private LabFolderOption labOptions;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    private boolean debug;

    @Option(names = "--timing", description = "With no command: open the window and print how long each phase of its start took.")
    private boolean timing;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(String... args) {
        return newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        WorkbenchCli root = new WorkbenchCli();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(WorkbenchCli::refuseUnknownCommandThenRun);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            int code;
            if (e instanceof CheckFailedException) {
                code = ExitCodes.CHECK_FAILED;
            } else if (e instanceof UsageException || e instanceof PkiException
                    || e instanceof UncheckedIOException) {
                code = ExitCodes.BAD_INPUT;
            } else {
                w.println("Internal error (please report it): " + e);
                e.printStackTrace(w);
                return ExitCodes.INTERNAL_ERROR;
            }
            w.println("error: " + e.getMessage());
            if (root.debug) {
                e.printStackTrace(w);
            }
            w.flush();
            return code;
        });
        return cli;
    }

    /**
     * Picocli lets a help option win over a word it does not know, so {@code workbench frobnicate --help}
     * printed the top-level help and exited 0: a typo looked like success. A word that names no command
     * is refused here, with the closest commands, before any help is printed.
     */
    private static int refuseUnknownCommandThenRun(ParseResult parseResult) {
        ParseResult deepest = parseResult;
        while (deepest.hasSubcommand()) {
            deepest = deepest.subcommand();
        }
        CommandLine command = deepest.commandSpec().commandLine();
        if (!deepest.unmatched().isEmpty() && !command.getSubcommands().isEmpty()) {
            CommandLine.UnmatchedArgumentException unknown =
                    new CommandLine.UnmatchedArgumentException(command, deepest.unmatched());
            PrintWriter w = command.getErr();
            w.println("error: '" + deepest.unmatched().get(0) + "' is not a command of '"
                    + command.getCommandSpec().qualifiedName() + "'.");
            CommandLine.UnmatchedArgumentException.printSuggestions(unknown, w);
            w.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the list of commands.");
            w.flush();
            return ExitCodes.BAD_INPUT;
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** The lab chosen by {@code --lab} wherever it appears on the command line. */
    public static LabFolder labOf(CommandSpec spec) {
        return ((WorkbenchCli) spec.root().userObject()).labOptions.lab();
    }

    /** A command group run without its subcommand: a usage error (exit 2) that lists the subcommands. */
    static CommandLine.ParameterException missingSubcommand(CommandSpec spec) {
        return new CommandLine.ParameterException(spec.commandLine(), "'" + spec.qualifiedName().replaceFirst("^workbench ", "")
                + "' needs a subcommand: " + String.join(", ", spec.subcommands().keySet().stream()
                .filter(n -> !n.equals("help")).toList()) + ".");
    }

    @Override
    public void run() {
        // No command: the window, with gui's defaults.
        CommandLine gui = spec.commandLine().getSubcommands().get("gui");
        if (timing) {
            gui.parseArgs("--timing");
        } else {
            gui.parseArgs();
        }
        ((GuiCommand) gui.getCommand()).run(gui.getCommandSpec());
    }
}
