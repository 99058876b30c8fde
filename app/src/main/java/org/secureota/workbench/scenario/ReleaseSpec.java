package org.secureota.workbench.scenario;

/** A release the script publishes before its first step: a built image, for a product. */
public record ReleaseSpec(String version, String product, ScriptPosition position) {

    /** The image in {@code esp32-firmware/build/images/} that carries this version. */
    public String imageName() {
        return BuiltImages.imageOf(version).orElseThrow();
    }
}
