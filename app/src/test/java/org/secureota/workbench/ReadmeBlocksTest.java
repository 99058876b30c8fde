package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.VirtualEsp32;
import org.junit.jupiter.api.Tag;

/**
 * Runs every README block marked {@code ```sh runnable}, line by line as a new user would paste it,
 * in a fresh temporary lab (its own folder as the current one and as {@code WORKBENCH_LAB}, with
 * {@code ./workbench} starting this build's CLI). Each command must exit 0, unless its comment says
 * it {@code fails} (then non-zero) or {@code exit N}. A line ending in {@code &} runs in the
 * background until its "Press Ctrl-C" banner, and is stopped with Ctrl-C (SIGINT) at the end of the block.
 */
@Tag("e2e")
class ReadmeBlocksTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    private static final Pattern FENCE = Pattern.compile("(?m)^```sh runnable\\n(.*?)^```", Pattern.DOTALL);

    record Command(int line, String text, Integer exit, boolean fails, boolean background) {
        boolean holds(int rc) {
            return fails ? rc != 0 : rc == (exit == null ? 0 : exit);
        }

        String expected() {
            return fails ? "non-zero" : String.valueOf(exit == null ? 0 : exit);
        }
    }

    record Block(int line, List<Command> commands) {
    }

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            int firstLine = lineOf(markdown, m.start(1));
            String[] lines = m.group(1).split("\n", -1);
            List<Command> commands = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            int start = 0;
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (pending.isEmpty()) {
                    start = firstLine + i;
                }
                if (l.endsWith("\\")) {
                    pending.append(l, 0, l.length() - 1).append(' ');
                    continue;
                }
                pending.append(l);
                String text = pending.toString().strip();
                pending.setLength(0);
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String comment = text.contains(" #") ? text.substring(text.indexOf(" #") + 2) : "";
                String command = text.contains(" #") ? text.substring(0, text.indexOf(" #")).strip() : text;
                Matcher exit = Pattern.compile("\\bexit (\\d+)\\b").matcher(comment);
                boolean background = command.endsWith("&");
                commands.add(new Command(start, background ? command.substring(0, command.length() - 1).strip() : command,
                        exit.find() ? Integer.valueOf(exit.group(1)) : null, comment.strip().startsWith("fails"), background));
            }
            blocks.add(new Block(firstLine, commands));
        }
        return blocks;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    @Test
    void theReadmeMarksItsRunnableBlocksAndTheParserFindsTheirCommands() throws Exception {
        List<Block> blocks = blocks(Files.readString(ROOT.resolve("README.md")));
        assertThat(blocks).as("runnable blocks in the README").hasSizeGreaterThanOrEqualTo(3);
        assertThat(blocks).allSatisfy(b -> assertThat(b.commands()).as("block at line " + b.line()).isNotEmpty());
        List<Block> sample = blocks("```sh runnable\n./a   # fine\n./b \\\n  --x   # fails: it must\n"
                + "./c &\n./d  # exit 3\n```\n");
        assertThat(sample.get(0).commands()).extracting(Command::text).containsExactly("./a", "./b    --x", "./c", "./d");
        assertThat(sample.get(0).commands().get(1).holds(1)).isTrue();
        assertThat(sample.get(0).commands().get(1).holds(0)).isFalse();
        assertThat(sample.get(0).commands().get(2).background()).isTrue();
        assertThat(sample.get(0).commands().get(3).holds(3)).isTrue();
    }

    @Test
    void everyRunnableBlockOfTheReadmeExitsAsDocumented(@TempDir Path tmp) throws Exception {
        require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 is not built (" + VirtualEsp32.EXECUTABLE
                + "); the README's commands publish its images");
        for (String tool : new String[] {"bash", "curl", "openssl"}) {
            require(new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0,
                    tool + " is not installed; the README's blocks use it");
        }
        List<Block> blocks = blocks(Files.readString(ROOT.resolve("README.md")));
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Block b : blocks) {
            failures.addAll(run(b, Files.createDirectories(tmp.resolve("block-" + (++n)))));
        }
        assertThat(failures).as("README commands that did not exit as documented").isEmpty();
    }

    /** Runs one block in {@code lab}; returns a description of each command that did not exit as documented. */
    private static List<String> run(Block block, Path lab) throws Exception {
        Path launcher = lab.resolve("workbench");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec " + quote(java) + " -Dworkbench.home=" + quote(ROOT.toString())
                + " -cp " + quote(System.getProperty("java.class.path")) + " org.secureota.workbench.cli.WorkbenchCli \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String shared : new String[] {"esp32-firmware", "demo-scripts"}) {
            Files.createSymbolicLink(lab.resolve(shared), ROOT.resolve(shared));
        }
        StringBuilder script = new StringBuilder("exec </dev/null\nbg=()\n");
        for (int i = 0; i < block.commands().size(); i++) {
            Command c = block.commands().get(i);
            if (c.background()) {
                script.append("( ").append(c.text()).append(" ) > out.").append(i).append(" 2>&1 &\nbg+=($!)\n")
                        .append("for _ in $(seq 600); do grep -q 'Press Ctrl-C' out.").append(i)
                        .append(" && break; sleep 0.1; done\necho 0 > rc.").append(i).append('\n');
            } else {
                script.append("( ").append(c.text()).append(" ) > out.").append(i).append(" 2>&1; echo $? > rc.")
                        .append(i).append('\n');
            }
        }
        script.append("for p in \"${bg[@]}\"; do pkill -INT -P \"$p\" 2>/dev/null; kill -INT \"$p\" 2>/dev/null; done\n")
                .append("wait\n");
        Files.writeString(lab.resolve("block.sh"), script.toString());
        ProcessBuilder pb = new ProcessBuilder("bash", "block.sh").directory(lab.toFile()).redirectErrorStream(true)
                .redirectOutput(lab.resolve("block.log").toFile());
        pb.environment().put("WORKBENCH_LAB", lab.toString());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return List.of("README block at line " + block.line() + " did not finish within 10 minutes");
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < block.commands().size(); i++) {
            Command c = block.commands().get(i);
            Path rcFile = lab.resolve("rc." + i);
            String out = Files.exists(lab.resolve("out." + i))
                    ? Files.readString(lab.resolve("out." + i), StandardCharsets.UTF_8) : "";
            if (!Files.exists(rcFile)) {
                failures.add("README line " + c.line() + ": `" + c.text() + "` did not run");
                continue;
            }
            int rc = Integer.parseInt(Files.readString(rcFile).strip());
            if (c.background() && !out.contains("Press Ctrl-C")) {
                failures.add("README line " + c.line() + ": `" + c.text() + "` did not come up:\n" + out);
            } else if (!c.holds(rc)) {
                failures.add("README line " + c.line() + ": `" + c.text() + "` exited " + rc + ", documented "
                        + c.expected() + ":\n" + out);
            }
        }
        return failures;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
