package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.junit.jupiter.api.Tag;

/** The attacker's console commands on a real session and board: arm, check, judge, disarm, as typed lines. */
@Timeout(300)
@Tag("e2e")
class AttackConsoleTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @Test
    void aFlippedByteArmedFromTheConsoleIsJudgedResistedAndUndone() throws Exception {
        if (!VirtualEsp32.isBuilt(ROOT)) {
            if (System.getenv("CI") != null) {
                fail("the virtual ESP32 is not built");
            }
            assumeTrue(false, "the virtual ESP32 is not built: run esp32-firmware/host-build.sh");
        }
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        try (LabSession session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(root)).withProjectRoot(ROOT))) {
            LabDevice d = session.createVirtualDevice("esp32-lab-01", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            d.model().await(s -> "1.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT, "V1");
            assertThat(session.deviceUrl()).isEqualTo(session.endpoint().url().toString());
            LabConsole console = new LabConsole(session, out);
            AttackConsoleCommands.registerInto(console);
            console.dispatch("deploy 2.0.0");
            session.journal().awaitAfter(0, EventType.SERVER_DEPLOYMENT::is, WAIT).orElseThrow();
            Release v2 = session.serverState().releases().find(LabSessionDefaults.PRODUCT, "2.0.0").orElseThrow();
            byte[] original = Files.readAllBytes(v2.imageFile());

            console.dispatch("attacks");
            assertThat(text.toString()).contains("rogue-server", "mix-and-match", "HASH_MISMATCH");
            console.dispatch("arm no-such-attack");
            assertThat(text.toString()).contains("error: unknown attack 'no-such-attack'");
            console.dispatch("arm flipped-byte offset");
            assertThat(text.toString()).contains("'offset' is not a parameter: write name=value");
            console.dispatch("arm flipped-byte offset=99999999");
            awaitText(text, "past the end of the image");

            console.dispatch("arm flipped-byte offset=4096");
            awaitText(text, "armed flipped-byte");
            assertThat(text.toString()).contains("a secure device shows HASH_MISMATCH (check: sha256)");
            assertThat(Files.readAllBytes(v2.imageFile())).isNotEqualTo(original);
            console.dispatch("attacks");
            awaitText(text, "[ARMED]");

            long mark = session.journal().size();
            console.dispatch("check esp32-lab-01");
            session.journal().awaitAfter(mark, EventType.OTA_VERDICT::is, WAIT).orElseThrow();
            // Asked at once, before the judge has settled on the attempt: 'judge' waits for its judgement
            // (it used to answer "no attempt" here, a moment before printing RESISTED).
            console.dispatch("judge flipped-byte esp32-lab-01");
            assertThat(text.toString()).doesNotContain("has made no attempt").doesNotContain("not judged yet");
            // The attacker judges by itself; the console prints its judgement as published, and 'judge' shows it
            // again: the same judgement the journal holds.
            String line = "judged flipped-byte on esp32-lab-01: RESISTED (the flipped byte reached esp32-lab-01, which"
                    + " refused it at the sha256 check (HASH_MISMATCH))";
            awaitText(text, line);
            var j = session.attacker().latest("flipped-byte", "esp32-lab-01").orElseThrow();
            assertThat("judged " + j.summary()).isEqualTo(line);
            assertThat(session.journal().events(EventType.ATTACK_JUDGED, "esp32-lab-01", mark)).singleElement()
                    .satisfies(e -> assertThat(org.secureota.workbench.attack.Judgement.fromJournal(e)).hasValue(j));
            int before = text.toString().split(java.util.regex.Pattern.quote(line), -1).length;
            console.dispatch("judge flipped-byte esp32-lab-01");
            awaitText(text, line.repeat(1));
            assertThat(text.toString().split(java.util.regex.Pattern.quote(line), -1).length).isEqualTo(before + 1);

            console.dispatch("disarm flipped-byte");
            awaitText(text, "disarmed flipped-byte");
            assertThat(Files.readAllBytes(v2.imageFile())).isEqualTo(original);
            console.dispatch("check esp32-lab-01");
            d.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT, "V2");
        }
    }

    private static void awaitText(StringWriter text, String expected) throws InterruptedException {
        Waits.until(() -> text.toString().contains(expected), WAIT,
                () -> "the console to print '" + expected + "'; it printed:\n" + text);
    }
}
