package org.secureota.workbench.server;

import java.util.regex.Pattern;
import org.secureota.workbench.firmware.ReleaseNames;

/**
 * The syntax of device ids and product names. They appear in URLs, file names and the journal, so
 * they are limited to a conservative alphabet: no separators, no percent signs, no spaces.
 */
final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Names() {
    }

    static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    static String requireDeviceId(String id) {
        if (!isValid(id)) {
            throw new ServerStateException("'" + id + "' is not a valid device id: use 1 to 64 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit (for example shop-display-01).");
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
