package org.secureota.workbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./workbench gui}: this build has no graphical window, so it says so and prints the command overview. */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = {"Print the command overview (the default when no command is given).",
            "This build has no graphical window; the lab runs from the commands."})
final class GuiCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        run(spec.root().commandLine());
    }

    void run(CommandLine root) {
        root.getOut().println("The graphical workbench is not part of this build yet; the lab runs from the commands below.");
        root.getOut().println();
        root.usage(root.getOut());
    }
}
