package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class JunitReportTest {

    @Test
    void aFailedStepBecomesAFailureWithExpectedAndSeenAndTheXmlStaysWellFormed() throws Exception {
        ScriptPosition at = new ScriptPosition("demo-scripts/x.yaml", 12, 9);
        StepSnapshot passed = new StepSnapshot(1, "deploy 2.0.0 to product shop-display", "Le serveur propose la V2.",
                StepStatus.PASSED, "", List.of(), null, Duration.ofMillis(12));
        StepSnapshot failed = new StepSnapshot(2, "check now on lab-01", "<b>V2</b> & \u0000\u202E",
                StepStatus.FAILED, "", List.of(new ExpectationResult("lab-01 runs version 2.0.0", "2.0.0", "1.0.0\u0001", false, at)),
                "not every expectation held within 30 s\nDevices: ...", Duration.ofMillis(30_000));
        StepSnapshot skipped = new StepSnapshot(3, "disarm attack rogue-server", "n", StepStatus.SKIPPED, "", List.of(), null,
                Duration.ZERO);
        RunSnapshot run = new RunSnapshot("Title \"quoted\"", RunMode.HEADLESS, Language.FR, RunState.FAILED, 0,
                List.of(passed, failed, skipped), null, Duration.ofMillis(30_100));

        String xml = JunitReport.xml(List.of(new JunitReport.ScriptRun("demo-scripts/x.yaml", run)));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("not every expectation held within 30 s");
        assertThat(failure.getTextContent()).contains("FAILED: lab-01 runs version 2.0.0 (expected 2.0.0, seen 1.0.0\\u0001)"
                + " at demo-scripts/x.yaml:12:9");
        assertThat(doc.getElementsByTagName("system-out").item(1).getTextContent()).isEqualTo("<b>V2</b> & \\u0000\u202E");
        assertThat(doc.getElementsByTagName("skipped").getLength()).isEqualTo(1);
    }
}
