package org.secureota.workbench.attack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.lab.AtomicFiles;

/**
 * The attacker's hand on the server's file store: it replaces a file's bytes atomically (the server never
 * serves half a file) and keeps the original bytes to put back.
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

    /**
     * The release a device of the product is offered now: parameter {@code version}, or the product's
     * deployment when it is {@code deployed}.
     */
    static Release offered(AttackTarget target, String attackId, AttackParameters p) {
        String product = p.is("product", "default") ? target.defaultProduct() : p.text("product");
        String version = p.text("version");
        if ("deployed".equals(version)) {
            version = target.state().deployments().versionFor(null, product).orElseThrow(() -> new AttackException(
                    attackId + ": no release of " + product + " is deployed, so there is nothing to attack yet; deploy"
                    + " one first, or name one with version=X.Y.Z"));
        }
        String v = version;
        return target.state().releases().find(product, v).orElseThrow(() -> new AttackException(attackId
                + ": parameter 'version' names " + product + " " + v + ", which is not published; published: "
                + target.state().releases().list(product).stream().map(Release::version).toList()));
    }

    /** The releases of the product, lowest counter first. */
    static List<Release> history(AttackTarget target, String product) {
        return target.state().releases().list(product).stream().sorted(Comparator.comparingLong(Release::counter))
                .toList();
    }
}
