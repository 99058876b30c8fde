package org.secureota.workbench.ui;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.server.SemanticVersion;

/**
 * The release "deploy next version" deploys: the lowest published version of the product above
 * both the deployed one and what the devices run, so V1 → V2 → V3 goes one step per click.
 */
public final class NextRelease {

    private NextRelease() {
    }

    /**
     * @param deployed the version deployed for the product now, or null
     * @param running  versions the product's devices run now (unknown ones skipped)
     */
    public static Optional<Release> after(List<Release> releases, String product, String deployed, List<String> running) {
        SemanticVersion floor = null;
        for (String v : running) {
            floor = max(floor, v);
        }
        floor = max(floor, deployed);
        SemanticVersion current = floor;
        return releases.stream()
                .filter(r -> r.product().equals(product) && SemanticVersion.isValid(r.version()))
                .filter(r -> current == null || SemanticVersion.parse(r.version()).isNewerThan(current))
                .min(Comparator.comparing(r -> SemanticVersion.parse(r.version())));
    }

    private static SemanticVersion max(SemanticVersion a, String b) {
        if (b == null || !SemanticVersion.isValid(b)) {
            return a;
        }
        SemanticVersion v = SemanticVersion.parse(b);
        return a == null || v.isNewerThan(a) ? v : a;
    }
}
