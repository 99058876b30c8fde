package org.secureota.workbench.scenario;

import org.secureota.workbench.device.BuiltImages;
/**
 * A release the script publishes before its first step: a built image, for a product.
 *
 * @param encrypt whether the store receives only its ciphertext, for the product's decryption key
 */
public record ReleaseSpec(String version, String product, boolean encrypt, ScriptPosition position) {

    /** The image in {@code esp32-firmware/build/images/} that carries this version. */
    public String imageName() {
        return BuiltImages.imageOf(version).orElseThrow();
    }
}
