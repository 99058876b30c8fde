package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;

/** The server panel's request table, without a screen. */
@Tag("unit")
class RequestsViewModelTest {

    private static JournalEvent request(long seq, String path) {
        return new JournalEvent(seq, Instant.EPOCH, seq, Source.SERVER, "esp32-lab-01", "http.request", "GET " + path,
                Map.of("method", "GET", "path", path, "status", 200, "bytes_written", 512));
    }

    private static JournalEvent other(long seq) {
        return new JournalEvent(seq, Instant.EPOCH, seq, Source.DEVICE, "esp32-lab-01", "serial.rx", "boot", Map.of());
    }

    @Test
    void keepsOnlyRequestsNewestFirstAndAtMostTheRowLimit() {
        RequestsViewModel model = new RequestsViewModel();
        model.addFrom(List.of(request(1, "/manifest"), other(2), request(3, "/firmware/app.bin")));
        assertThat(model.rows()).extracting(RequestsViewModel::path).containsExactly("/firmware/app.bin", "/manifest");
        JournalEvent top = model.rows().get(0);
        assertThat(RequestsViewModel.method(top)).isEqualTo("GET");
        assertThat(RequestsViewModel.status(top)).isEqualTo("200");
        assertThat(RequestsViewModel.bytes(top)).isEqualTo("512");
        assertThat(RequestsViewModel.device(top)).isEqualTo("esp32-lab-01");

        List<JournalEvent> many = new ArrayList<>();
        for (int i = 0; i < RequestsViewModel.ROWS + 50; i++) {
            many.add(request(10 + i, "/r" + i));
        }
        model.addFrom(many);
        assertThat(model.rows()).hasSize(RequestsViewModel.ROWS);
        assertThat(RequestsViewModel.path(model.rows().get(0))).isEqualTo("/r" + (RequestsViewModel.ROWS + 49));

        model.addFrom(List.of(other(999)));
        assertThat(model.rows()).hasSize(RequestsViewModel.ROWS);
        model.clear();
        assertThat(model.rows()).isEmpty();
    }
}
