package org.secureota.workbench.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Runs as JUnit XML (the de facto schema CI servers and graders read): one {@code testsuite} per
 * script, one {@code testcase} per step, a {@code failure} with expected and seen values for each
 * failed step, {@code skipped} for steps that never ran.
 */
public final class JunitReport {

    /** One script's run: its file and its final snapshot. */
    public record ScriptRun(String file, RunSnapshot result) {
    }

    private JunitReport() {
    }

    public static void write(List<ScriptRun> runs, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, xml(runs), StandardCharsets.UTF_8);
    }

    static String xml(List<ScriptRun> runs) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for (ScriptRun run : runs) {
            RunSnapshot r = run.result();
            long failures = r.failed() + (r.problem() != null ? 1 : 0);
            long skipped = r.steps().stream().filter(s -> s.status() == StepStatus.SKIPPED || s.status() == StepStatus.PENDING).count();
            x.append("  <testsuite name=\"").append(attr(run.file())).append("\" tests=\"").append(r.steps().size() + (r.problem() != null ? 1 : 0))
                    .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"").append(skipped)
                    .append("\" time=\"").append(seconds(r.elapsed().toMillis())).append("\">\n");
            x.append("    <properties><property name=\"title\" value=\"").append(attr(r.title())).append("\"/></properties>\n");
            if (r.problem() != null) {
                x.append("    <testcase classname=\"").append(attr(run.file())).append("\" name=\"prepare the lab\" time=\"0\">")
                        .append("<failure message=\"").append(attr(r.problem())).append("\"/></testcase>\n");
            }
            for (StepSnapshot s : r.steps()) {
                x.append("    <testcase classname=\"").append(attr(run.file())).append("\" name=\"")
                        .append(attr(String.format(Locale.ROOT, "%02d %s", s.index(), s.action()))).append("\" time=\"")
                        .append(seconds(s.elapsed().toMillis())).append("\">");
                if (s.status() == StepStatus.FAILED) {
                    StringBuilder detail = new StringBuilder();
                    for (ExpectationResult e : s.expectations()) {
                        detail.append(e.held() ? "held: " : "FAILED: ").append(e.description()).append(" (expected ")
                                .append(e.expected()).append(", seen ").append(e.seen()).append(") at ").append(e.position()).append('\n');
                    }
                    detail.append(s.failure() == null ? "" : s.failure());
                    String first = s.failure() == null ? "failed" : s.failure().lines().findFirst().orElse("failed");
                    x.append("<failure message=\"").append(attr(first)).append("\">").append(text(detail.toString())).append("</failure>");
                } else if (s.status() != StepStatus.PASSED) {
                    x.append("<skipped/>");
                }
                x.append("<system-out>").append(text(s.narration())).append("</system-out></testcase>\n");
            }
            x.append("  </testsuite>\n");
        }
        return x.append("</testsuites>\n").toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    /** XML 1.0 cannot hold control characters at all: they become visible escapes. */
    private static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                default -> {
                    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0xFFFE || c == 0xFFFF) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
