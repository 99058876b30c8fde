package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.SessionReader;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.junit.jupiter.api.Tag;

/** The lab console's command table on a real session: the README demo's commands, typed as lines. */
@Timeout(300)
@Tag("e2e")
class LabConsoleTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @Test
    void theDemoCommandsUpdateABoardAndBadLinesSayWhatIsWrong() throws Exception {
        if (!VirtualEsp32.isBuilt(ROOT)) {
            if (System.getenv("CI") != null) {
                fail("the virtual ESP32 is not built");
            }
            assumeTrue(false, "the virtual ESP32 is not built: run esp32-firmware/host-build.sh");
        }
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        Path folder;
        try (LabSession session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(root)).withProjectRoot(ROOT))) {
            folder = session.folder();
            LabDevice d = session.createVirtualDevice("esp32-lab-01", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            d.model().await(s -> "1.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT, "V1");
            LabConsole console = new LabConsole(session, out);

            console.dispatch("frobnicate now");
            assertThat(text.toString()).contains("error: no command 'frobnicate'", "check, deploy, power-cut");
            console.dispatch("check esp32-lab-99");
            assertThat(text.toString()).contains("No device 'esp32-lab-99'", "esp32-lab-01");
            console.dispatch("power-cut esp32-lab-01 at zero");
            assertThat(text.toString()).contains("'zero' is not a count", "Usage: power-cut ID [at N");

            console.dispatch("deploy 2.0.0");
            assertThat(session.journal().awaitAfter(0, EventType.SERVER_DEPLOYMENT::is, WAIT)).isPresent();
            console.dispatch("check all");
            d.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT, "V2");

            console.dispatch("status");
            assertThat(text.toString()).contains("server  RUNNING", "esp32-lab-01", "2.0.0");
            console.dispatch("help");
            assertThat(text.toString()).contains("check ID|all", "power-cut ID [at N");

            console.register("arm", "arm ATTACK", "arms an attack", (args, c) -> c.println("armed " + args));
            console.dispatch("arm rogue-server");
            assertThat(text.toString()).contains("armed [rogue-server]");
            assertThatThrownBy(() -> console.register("check", "check", "again", (args, c) -> { }))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(console.quitRequested()).isFalse();
            console.dispatch("quit");
            assertThat(console.quitRequested()).isTrue();
        }
        List<JournalEvent> events = SessionReader.read(folder.resolve(SessionLog.JOURNAL_FILE)).events();
        assertThat(events).filteredOn(EventType.SESSION_COMMAND::is).extracting(e -> e.fields().get("command"))
                .contains("deploy 2.0.0", "check all");
        assertThat(Files.readString(folder.resolve("esp32-lab-01/serial.log"))).contains("\"cmd\":\"check\"");
    }

    @Test
    void labRunsItsCommandsUntilQuitAndRecordsOneSession(@TempDir Path lab) throws Exception {
        if (!VirtualEsp32.isBuilt(ROOT)) {
            assumeTrue(System.getenv("CI") == null, "the virtual ESP32 is not built");
            fail("the virtual ESP32 is not built");
        }
        String home = System.getProperty("workbench.home");
        System.setProperty("workbench.home", ROOT.toString());
        try {
            // Commands from a file: stdin belongs to the test runner.
            Path script = Files.writeString(lab.resolve("demo.txt"), "status\n# a comment\nbogus\nquit\n");
            CliTestSupport.Run r = CliTestSupport.run("--lab", lab.toString(), "lab", "--devices", "2", "--deploy",
                    "2.0.0", "--commands", script.toString(), "--duration", "120");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Device esp32-lab-01: serial port", "Device esp32-lab-02", "server  RUNNING",
                    "error: no command 'bogus'", "Session recorded in");
            try (var sessions = Files.list(lab.resolve("sessions"))) {
                assertThat(sessions.toList()).as("one session folder").hasSize(1);
            }
        } finally {
            if (home == null) {
                System.clearProperty("workbench.home");
            } else {
                System.setProperty("workbench.home", home);
            }
        }
    }

    @Test
    void aCommandsFileWaitsForTheUpdateAndAnotherProductGetsTheBuildsReleases(@TempDir Path lab) throws Exception {
        org.secureota.workbench.Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 is not built");
        String home = System.getProperty("workbench.home");
        System.setProperty("workbench.home", ROOT.toString());
        try {
            // 'status' right after 'wait all' must show the update done, on every run.
            Path script = Files.writeString(lab.resolve("demo.txt"),
                    "wait all 60\ncheck all\nwait all 120\nstatus\nwait nobody\nwait all soon\nquit\n");
            CliTestSupport.Run r = CliTestSupport.run("--lab", lab.toString(), "lab", "--product", "kiosk", "--deploy",
                    "2.0.0", "--commands", script.toString(), "--duration", "200");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            String out = r.out();
            assertThat(out).contains("wait: esp32-lab-01 idle (no check pending)",
                    "wait: esp32-lab-01 done: verdict UPDATED, running 2.0.0 from ota_1 (VALID)",
                    "No device 'nobody'", "'soon' is not a number of seconds");
            int waited = out.indexOf("done: verdict UPDATED");
            int status = out.indexOf("esp32-lab-01", out.indexOf("server  RUNNING"));
            assertThat(status).as("status comes after the wait").isGreaterThan(waited);
            assertThat(out.substring(out.indexOf("server  RUNNING"))).contains("releases kiosk 2.0.0");
            assertThat(out.substring(status)).contains("2.0.0 from ota_1 (VALID)");
            assertThat(lab.resolve("releases/kiosk")).isDirectory();
        } finally {
            if (home == null) {
                System.clearProperty("workbench.home");
            } else {
                System.setProperty("workbench.home", home);
            }
        }
    }
}
