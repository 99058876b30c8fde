package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real CLI in-process and captures what it prints. */
public final class CliTestSupport {

    public record Run(int exitCode, String out, String err) {
    }

    private CliTestSupport() {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WorkbenchCli.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
