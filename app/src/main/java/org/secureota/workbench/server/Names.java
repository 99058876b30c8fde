package org.secureota.workbench.server;

import org.secureota.workbench.firmware.ReleaseNames;
import org.secureota.workbench.foundation.DeviceId;

/**
 * The syntax of device ids ({@link DeviceId}, the rule shared with the session, CLI and scripts) and
 * product names, as the server applies them.
 */
final class Names {

    private Names() {
    }

    static boolean isValid(String name) {
        return DeviceId.isValid(name);
    }

    static String requireDeviceId(String id) {
        if (!isValid(id)) {
            String problem = DeviceId.problem(id);
            throw new ServerStateException(problem);
        }
        return id;
    }

    /** Product names follow the release store's rule, since a product's releases live under its name. */
    static String requireProduct(String product) {
        if (!ReleaseNames.isProduct(product)) {
            throw new ServerStateException("'" + product + "' is not a valid product name: use 1 to 32 lowercase"
                    + " letters, digits and dashes, starting with a letter or digit (for example shop-display).");
        }
        return product;
    }
}
