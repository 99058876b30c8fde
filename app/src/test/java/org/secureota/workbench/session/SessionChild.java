package org.secureota.workbench.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.foundation.LabFolder;

/**
 * A workbench in a child JVM for {@link NoOrphanTest}: opens a session with one virtual board (or
 * {@code args[2]} boards), prints {@code pid <board pids, comma-separated>}, then waits to be killed.
 * With {@code args[3] = update} it deploys 2.0.0, checks every board, and prints the pids once the first
 * download is under way, so the kill lands in the middle of a fleet update.
 */
public final class SessionChild {

    private SessionChild() {
    }

    public static void main(String[] args) throws Exception {
        int boards = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean update = args.length > 3 && args[3].equals("update");
        LabSession session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(Path.of(args[0])))
                .withProjectRoot(Path.of(args[1])).withPublishBuiltReleases(update));
        List<CompletableFuture<LabDevice>> made = new ArrayList<>();
        for (int i = 1; i <= boards; i++) {
            made.add(session.createVirtualDevice(String.format("orphan-%02d", i), LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()));
        }
        List<LabDevice> devices = new ArrayList<>();
        for (CompletableFuture<LabDevice> f : made) {
            LabDevice d = f.get();
            d.model().await(SessionTestSupport::v1Running, SessionTestSupport.WAIT, "V1 running");
            devices.add(d);
        }
        if (update) {
            long mark = session.journal().size();
            LabSession.join(session.deploy(LabSessionDefaults.PRODUCT, "2.0.0"));
            session.checkAll();
            session.journal().awaitAfter(mark, EventType.OTA_PROGRESS::is, Duration.ofSeconds(60));
        }
        System.out.println("pid " + devices.stream().map(d -> String.valueOf(d.board().pid()))
                .collect(Collectors.joining(",")));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // not a wait: the child lives until the test kills it
    }
}
