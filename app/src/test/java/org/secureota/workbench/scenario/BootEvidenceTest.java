package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.journal.Source;

/**
 * What a script's {@code event: device.boot} counts. The link asks a device for a status report when
 * it opens, and the answer is journaled as {@code device.boot} with {@code status_report: true}; it can
 * arrive just after a reset step began (the firmware answers once its setup is done). Counted as a boot,
 * it let the reset step pass before the board had reset, and the check of the next step went to the app
 * the reset then killed: the flaky "no verdict" of 10-expired-certificate.
 */
@Tag("unit")
class BootEvidenceTest {

    static final String ID = "esp32-lab-01";
    static final ScriptPosition HERE = new ScriptPosition("test.yaml", 1, 1);

    private static String boot(String reason, boolean statusReport) {
        return "@ota1 {\"ev\":\"boot\",\"slot\":\"ota_0\",\"label\":\"app0\",\"version\":\"1.0.0\",\"secure_version\":1,"
                + "\"project\":\"shop-display\",\"reset_reason\":\"" + reason + "\",\"state\":\"valid\",\"min_secure_version\":0,"
                + "\"provisioned\":true,\"device_id\":\"" + ID + "\",\"status_report\":" + statusReport + "}";
    }

    @Test
    void aStatusReportAfterTheStepBeganIsNotTheBootOfAReset() {
        TelemetryFedLab lab = new TelemetryFedLab();
        lab.createDevice(ID, "shop-display", "v1_base", FlashLayout.DEFAULT).join();
        long stepStart = lab.lastSeq();
        Expectation.Events booted = new Expectation.Events("device.boot", ID, Map.of(), Count.atLeast(1), HERE);

        // The answer to the link's status request, from the app that ran before the reset.
        lab.receive(ID, boot("poweron", true), "device.boot", Map.of("reset_reason", "poweron", "status_report", true));
        ExpectationResult early = new ExpectationCheck(lab, stepStart).evaluate(booted);
        assertThat(early.held()).as("a status report is not a boot: " + early.seen()).isFalse();
        assertThat(early.seen()).isEqualTo("0");

        // The boot the EN button caused.
        lab.receive(ID, boot("ext", false), "device.boot", Map.of("reset_reason", "ext", "status_report", false));
        ExpectationResult after = new ExpectationCheck(lab, stepStart).evaluate(booted);
        assertThat(after.held()).isTrue();
        assertThat(after.seen()).isEqualTo("1");
    }

    @Test
    void aScriptThatMeansTheReportNamesItsField() {
        TelemetryFedLab lab = new TelemetryFedLab();
        lab.createDevice(ID, "shop-display", "v1_base", FlashLayout.DEFAULT).join();
        long stepStart = lab.lastSeq();
        lab.journal.append(Source.DEVICE, ID, "device.boot", "status: running", Map.of("status_report", true));

        Expectation.Events reports = new Expectation.Events("device.boot", ID, Map.of("status_report", "true"),
                Count.atLeast(1), HERE);
        assertThat(new ExpectationCheck(lab, stepStart).evaluate(reports).held()).isTrue();
        assertThat(ExpectationCheck.matches(lab.journal.snapshot().get((int) stepStart), "device.boot", ID, Map.of()))
                .as("the same report without the field named").isFalse();
    }
}
