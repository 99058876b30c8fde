package org.secureota.workbench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./workbench version}: the workbench, Java and JavaFX versions, for bug reports. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print version information.")
final class VersionCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = WorkbenchCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "Secure OTA Workbench " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                "OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
            };
        }
    }
}
