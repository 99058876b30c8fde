package org.secureota.workbench.session;

/** The lab's defaults for a demo: the product of the build's host images. */
public final class LabSessionDefaults {

    /** The product the build's V1 to V4 host images are (their esp_app_desc_t project name). */
    public static final String PRODUCT = "shop-display";

    private LabSessionDefaults() {
    }
}
