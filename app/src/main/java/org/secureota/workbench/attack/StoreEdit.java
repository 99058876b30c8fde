package org.secureota.workbench.attack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.foundation.AtomicFiles;
import org.secureota.workbench.server.ApiKeyRegistry;
import org.secureota.workbench.server.Deployments;

/**
 * The attacker's hand on the server's file store: it replaces a file's bytes atomically (the server never
 * serves half a file) and keeps the original bytes to put back; and what it reads there to choose its target.
 */
final class StoreEdit {

    private StoreEdit() {
    }

    /** Writes {@code content} over {@code file}; the undo writes the original bytes back. */
    static Undo replace(Path file, byte[] content) throws IOException {
        byte[] original = Files.readAllBytes(file);
        AtomicFiles.write(file, content, AtomicFiles.PUBLIC_READ);
        return () -> AtomicFiles.write(file, original, AtomicFiles.PUBLIC_READ);
    }

    /** The product a store attack acts on: parameter {@code product}, or the lab's default product. */
    static String product(AttackTarget target, AttackParameters p) {
        return !p.values().containsKey("product") || p.is("product", "default") ? target.defaultProduct()
                : p.text("product");
    }

    /**
     * The release a device of the product is offered now: parameter {@code version}, or the product's
     * deployment when it is {@code deployed}.
     */
    static Release offered(AttackTarget target, String attackId, AttackParameters p) {
        String product = product(target, p);
        String version = p.text("version");
        if ("deployed".equals(version)) {
            // The product's deployment; else the newest deployed to one of its devices.
            version = target.state().deployments().versionFor(null, product)
                    .or(() -> deployedVersions(target, product).stream().max(StoreEdit::compareVersions))
                    .orElseThrow(() -> new AttackException(attackId + ": no release of " + product + " is deployed, so"
                            + " there is nothing to attack yet; deploy one first, or name one with version=X.Y.Z"));
        }
        String v = version;
        return target.state().releases().find(product, v).orElseThrow(() -> new AttackException(attackId
                + ": parameter 'version' names " + product + " " + v + ", which is not published; published: "
                + target.state().releases().list(product).stream().map(Release::version).toList()));
    }

    /**
     * Every version deployed to devices of {@code product}: the product's deployment and the overrides of its
     * devices, when published (what version=deployed attacks).
     */
    static Set<String> deployedVersions(AttackTarget target, String product) {
        Deployments.Snapshot d = target.state().deployments().snapshot();
        Set<String> versions = new TreeSet<>();
        if (d.products().get(product) != null) {
            versions.add(d.products().get(product));
        }
        for (ApiKeyRegistry.Device device : target.state().apiKeys().devices()) {
            String v = d.devices().get(device.id());
            if (v != null && device.product().equals(product)) {
                versions.add(v);
            }
        }
        versions.removeIf(v -> target.state().releases().find(product, v).isEmpty());
        return versions;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The releases of the product, lowest counter first. */
    static List<Release> history(AttackTarget target, String product) {
        return target.state().releases().list(product).stream().sorted(Comparator.comparingLong(Release::counter))
                .toList();
    }

    /**
     * The version each provisioned device of {@code product} runs, by its last boot report in the journal (what
     * the network shows of it); devices never heard from, or gone since (their board stopped or their link
     * closed after that report), are left out.
     */
    static Map<String, String> runningVersions(AttackTarget target, String product) {
        Map<String, String> running = new LinkedHashMap<>();
        for (ApiKeyRegistry.Device device : target.state().apiKeys().devices()) {
            if (!device.product().equals(product)) {
                continue;
            }
            List<JournalEvent> boots = target.journal().events(EventType.DEVICE_BOOT, device.id(), 0).stream()
                    .filter(b -> b.field("version").isPresent()).toList();
            if (boots.isEmpty()) {
                continue;
            }
            JournalEvent last = boots.get(boots.size() - 1);
            boolean gone = target.journal().events(EventType.BOARD_EXITED, device.id(), last.seq()).size()
                    + target.journal().events(EventType.DEVICE_DISCONNECTED, device.id(), last.seq()).size() > 0;
            if (!gone) {
                running.put(device.id(), last.field("version").get());
            }
        }
        return running;
    }

    /**
     * Signs the deployed releases of {@code product} again with new counters from the store's sequence, so that
     * a device that accepted an attacker's higher counter takes them; returns what it says on disarming.
     */
    static String resignDeployed(AttackTarget target, String product) {
        StringBuilder said = new StringBuilder();
        for (String v : deployedVersions(target, product)) {
            Release r = target.state().releases().resign(product, v, target.pki().signingKey(), Clock.systemUTC());
            said.append("; ").append(product).append(' ').append(v).append(" signed again with counter ").append(r.counter())
                    .append(" (a device accepted the attacker's counter)");
        }
        return said.toString();
    }
}
