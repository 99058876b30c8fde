package org.secureota.workbench.session;

import java.nio.file.Path;
import org.secureota.workbench.lab.Lab;

/**
 * A workbench in a child JVM for {@link NoOrphanTest}: opens a session with one virtual board, prints
 * {@code pid <board pid>}, then waits to be killed.
 */
public final class SessionChild {

    private SessionChild() {
    }

    public static void main(String[] args) throws Exception {
        LabSession session = LabSession.openAndWait(LabSessionOptions.defaults(new Lab(Path.of(args[0])))
                .withProjectRoot(Path.of(args[1])).withPublishBuiltReleases(false));
        LabDevice d = session.createVirtualDevice("orphan-01", LabSessionDefaults.PRODUCT,
                VirtualDeviceOptions.factoryFreshV1()).get();
        d.model().await(SessionTestSupport::v1Running, SessionTestSupport.WAIT, "V1 running");
        System.out.println("pid " + d.board().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // not a wait: the child lives until the test kills it
    }
}
