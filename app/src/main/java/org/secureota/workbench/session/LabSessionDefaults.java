package org.secureota.workbench.session;

/** The lab's defaults for a demo: the product of the build's host images. */
public final class LabSessionDefaults {

    /** The product the build's V1 to V4 host images are (their esp_app_desc_t project name). */
    public static final String PRODUCT = "shop-display";
    /**
     * A second product the lab keeps one release of (V2 built for it: the same firmware under its name,
     * signed as its release), so that mix-and-match arms in a default lab.
     */
    public static final String OTHER_PRODUCT = "kiosk";

    private LabSessionDefaults() {
    }
}
