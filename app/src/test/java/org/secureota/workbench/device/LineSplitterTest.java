package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class LineSplitterTest {

    static List<DeviceLink.LineSplitter.Line> split(DeviceLink.LineSplitter s, String bytes) {
        List<DeviceLink.LineSplitter.Line> out = new ArrayList<>();
        for (byte b : bytes.getBytes(StandardCharsets.UTF_8)) {
            DeviceLink.LineSplitter.Line l = s.accept(b);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void thePartialFirstLineIsDiscardedThenLinesSplitOnLfWithCrStripped() {
        var s = new DeviceLink.LineSplitter();
        var lines = split(s, "tail of an old line\nI (boot) one\r\n@ota1 {\"ev\":\"ack\",\"cmd\":\"status\"}\nÉ\npartial");
        assertThat(lines).extracting(DeviceLink.LineSplitter.Line::text)
                .containsExactly("I (boot) one", "@ota1 {\"ev\":\"ack\",\"cmd\":\"status\"}", "É");
        assertThat(s.pending()).isTrue();
    }

    @Test
    void aQuietDeviceIsAtALineBoundary() {
        var s = new DeviceLink.LineSplitter();
        s.markSynced();
        assertThat(split(s, "first\n")).extracting(DeviceLink.LineSplitter.Line::text).containsExactly("first");
    }

    @Test
    void anOverLongLineIsCutAtTheLimitAndFlagged() {
        var s = new DeviceLink.LineSplitter();
        s.markSynced();
        var lines = split(s, "y".repeat(TelemetryCodec.MAX_LINE_BYTES + 500) + "\nnext\n");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).text()).hasSize(TelemetryCodec.MAX_LINE_BYTES);
        assertThat(lines.get(0).overlong()).isTrue();
        assertThat(lines.get(1)).isEqualTo(new DeviceLink.LineSplitter.Line("next", false));
    }
}
