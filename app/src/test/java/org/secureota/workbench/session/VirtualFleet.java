package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * A fleet of factory-fresh virtual boards in one session, updated from V1 to V2 at once: what
 * TenBoardsTest, ThirtyBoardsTest and FleetUpdateBenchmark share.
 */
final class VirtualFleet {

    private VirtualFleet() {
    }

    /** Makes {@code boards} boards named by {@code idFormat} (1, 2, ...) at once, and waits until V1 runs on each. */
    static List<LabDevice> startAtV1(LabSession session, String idFormat, int boards, Duration wait) throws Exception {
        List<CompletableFuture<LabDevice>> made = new ArrayList<>();
        for (int i = 1; i <= boards; i++) {
            made.add(session.createVirtualDevice(String.format(idFormat, i), LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()));
        }
        List<LabDevice> devices = new ArrayList<>();
        for (CompletableFuture<LabDevice> f : made) {
            devices.add(f.get(wait.toSeconds(), TimeUnit.SECONDS));
        }
        for (LabDevice d : devices) {
            d.model().await(SessionTestSupport::v1Running, wait, "V1 running on " + d.id());
        }
        return devices;
    }

    /** Deploys 2.0.0 to the product, checks all, and waits until V2 is confirmed (running and valid) on each board. */
    static void deployV2AndCheckAll(LabSession session, List<LabDevice> devices, Duration wait) throws Exception {
        session.deploy(LabSessionDefaults.PRODUCT, "2.0.0").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        session.checkAll().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (LabDevice d : devices) {
            d.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, wait,
                    "V2 confirmed on " + d.id());
        }
    }

    /** The verdicts journaled since {@code mark}, with one UPDATED per board among them. */
    static List<JournalEvent> assertOneUpdatedEach(LabSession session, long mark, int boards) {
        List<JournalEvent> verdicts = session.journal().events(EventType.OTA_VERDICT, null, mark);
        assertThat(verdicts).as("one verdict per board, every one UPDATED")
                .filteredOn(e -> "UPDATED".equals(e.fields().get("code")))
                .extracting(JournalEvent::deviceId).doesNotHaveDuplicates().hasSize(boards);
        return verdicts;
    }
}
