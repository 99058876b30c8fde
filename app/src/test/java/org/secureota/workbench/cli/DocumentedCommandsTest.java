package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code ./workbench ...} (and {@code secure-ota-workbench ...}) command line that the README and
 * the docs show, in a code block or in a code span, parses with the real picocli command line: no
 * unknown command, no unknown option, no value of the wrong type. The commands an issue names are part
 * of the product, so a renamed option must take its documentation with it. Synopses are read as such:
 * {@code [--json]} is the option, {@code en|fr} the first choice, {@code N} a sample number.
 * A mention without its arguments (e.g. {@code ./workbench server deploy}) only has to name commands
 * that exist. {@code ReadmeBlocksTest} runs the blocks marked {@code sh runnable}; this one reads all.
 */
@Tag("unit")
class DocumentedCommandsTest {

    private static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    private static final Pattern FENCE = Pattern.compile("(?ms)^```[^\\n]*\\n(.*?)^```");
    private static final Pattern SPAN = Pattern.compile("`((?:\\./workbench|secure-ota-workbench)\\b[^`]*)`");
    private static final Pattern LAUNCHER = Pattern.compile("^(?:\\$ )?(\\./workbench|secure-ota-workbench)(\\s.*)?$");
    /** A placeholder of a synopsis: FILE, ID=VARIANT, PUB.pem, ID,... */
    private static final Pattern PLACEHOLDER = Pattern.compile("^[A-Z][A-Z0-9_]*(?:[.=,][A-Za-z0-9_.=,]*)?$");

    record Documented(String where, String line) {
    }

    /** The command lines of one Markdown text: code-block lines and code spans that start with the launcher. */
    static List<String> commandLines(String markdown) {
        Set<String> lines = new LinkedHashSet<>();
        Matcher block = FENCE.matcher(markdown);
        while (block.find()) {
            for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
                String command = line.strip();
                if (LAUNCHER.matcher(command).matches()) {
                    lines.add(command);
                }
            }
        }
        // Code spans outside the blocks; a table's escaped pipe (en\|fr) is a pipe.
        Matcher span = SPAN.matcher(FENCE.matcher(markdown).replaceAll("").replace("\\|", "|"));
        while (span.find()) {
            lines.add(span.group(1).strip());
        }
        return new ArrayList<>(lines);
    }

    /** The arguments a synopsis line stands for: comment, shell plumbing and brackets gone, choices and samples made. */
    static List<String> arguments(String line) {
        return arguments(line, 0);
    }

    /** As {@link #arguments(String)}, taking the {@code choice}-th alternative of each {@code a|b} (the last if fewer). */
    static List<String> arguments(String line, int choice) {
        String command = line.replaceFirst("^\\$ ", "");
        // A shell comment, a pipe, a redirection or a following command ends the workbench's arguments;
        // en|fr (no spaces around the bar) is a synopsis' choice, not a pipe.
        command = command.split("\\s#|\\s\\|\\s|\\s&&\\s|\\s;|\\s[0-9]?[<>]|\\s&$|\\s\\(|\\s->")[0];
        List<String> args = new ArrayList<>();
        for (String token : command.strip().split("\\s+")) {
            String t = token.replace("[", "").replace("]", "").replaceAll("(\\.\\.\\.|…)$", "");
            if (t.isEmpty() || t.equals("or")) {
                continue;
            }
            if (t.contains("|")) {
                String[] alternatives = t.split("\\|");
                t = alternatives[Math.min(choice, alternatives.length - 1)];
            }
            args.add(t);
        }
        return args.subList(1, args.size());
    }

    /** The arguments with each placeholder value of a numeric option replaced by a number. */
    private static List<String> withSamples(List<String> args) {
        CommandSpec spec = newCli().getCommandSpec();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            out.add(a);
            CommandLine sub = spec.subcommands().get(a);
            if (sub != null) {
                spec = sub.getCommandSpec();
                continue;
            }
            OptionSpec option = spec.findOption(a);
            if (option != null && option.arity().max() > 0 && i + 1 < args.size() && PLACEHOLDER.matcher(args.get(i + 1)).matches()) {
                Class<?> type = option.type();
                boolean number = type == int.class || type == Integer.class || type == long.class || type == Long.class
                        || type == double.class || type == Double.class;
                out.add(number ? "1" : args.get(i + 1));
                i++;
            }
        }
        return out;
    }

    /** One command line for every parse: picocli resets its options before each, and building it is the slow part. */
    private static final CommandLine CLI =
            WorkbenchCli.newCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

    private static CommandLine newCli() {
        return CLI;
    }

    /** Why the line does not parse, or null when it does (a mention missing its arguments does). */
    static String problem(String line) {
        for (int choice = 0; choice < 3; choice++) {
            String p = problem(withSamples(arguments(line, choice)));
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String problem(List<String> args) {
        try {
            ParseResult result = newCli().parseArgs(args.toArray(String[]::new));
            for (ParseResult r = result; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
                if (!r.unmatched().isEmpty()) {
                    return "unknown " + r.unmatched() + " in '" + r.commandSpec().qualifiedName() + "'";
                }
            }
            return null;
        } catch (CommandLine.MissingParameterException e) {
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage() + " (parsed as " + args + ")";
        }
    }

    private static List<Documented> documented() throws Exception {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("esp32-firmware/README.md"),
                ROOT.resolve("bench/README.md"), ROOT.resolve("certs/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Documented> all = new ArrayList<>();
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                for (String line : commandLines(Files.readString(f))) {
                    all.add(new Documented(ROOT.relativize(f).toString(), line));
                }
            }
        }
        return all;
    }

    @Test
    void everyDocumentedCommandLineParsesWithTheRealCommandLine() throws Exception {
        List<Documented> all = documented();
        assertThat(all).as("command lines found in the README and docs").hasSizeGreaterThan(60);
        List<String> problems = new ArrayList<>();
        for (Documented d : all) {
            String p = problem(d.line());
            if (p != null) {
                problems.add(d.where() + ": `" + d.line() + "`: " + p);
            }
        }
        assertThat(problems).as("documented command lines the CLI does not accept").isEmpty();
    }

    @Test
    void theReaderFindsBlocksAndSpansAndReadsSynopses() {
        String md = """
                Run `./workbench lab [--devices N] [--lang en\\|fr]` or:
                ```sh
                ./workbench run demo-scripts/ \\
                  --junit results.xml   # a comment
                echo not a command
                ```
                and `./workbench server deploy`.
                """;
        assertThat(commandLines(md)).containsExactly("./workbench run demo-scripts/    --junit results.xml   # a comment",
                "./workbench lab [--devices N] [--lang en|fr]", "./workbench server deploy");
        assertThat(arguments("./workbench lab [--variant ID=VARIANT]... [--lang en|fr] | tail  # x"))
                .containsExactly("lab", "--variant", "ID=VARIANT", "--lang", "en");
        assertThat(withSamples(arguments("./workbench lab [--devices N] [--product NAME]")))
                .containsExactly("lab", "--devices", "1", "--product", "NAME");
    }

    @Test
    void anUnknownCommandOrOptionOrAWrongValueIsAProblem() {
        assertThat(problem("./workbench serv")).contains("serv");
        assertThat(problem("./workbench firmware inspekt FILE")).contains("inspekt");
        assertThat(problem("./workbench lab --devicez 3")).contains("--devicez");
        assertThat(problem("./workbench lab --devices many")).contains("many");
        assertThat(problem("./workbench gui [--dark|--oops]")).contains("--oops");
        assertThat(problem("./workbench server deploy")).isNull();
        assertThat(problem("./workbench lab [--devices N] [--deploy VERSION]")).isNull();
    }
}
