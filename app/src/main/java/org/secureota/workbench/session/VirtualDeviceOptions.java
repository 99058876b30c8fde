package org.secureota.workbench.session;

import java.util.Objects;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.FlashLayout;

/**
 * How the factory makes a virtual device.
 *
 * @param startImage the host app image of the build flashed at the factory ({@code v1_base})
 * @param layout     the flash layout
 * @param powerOn    power it on once made (else it waits for {@link LabDevice#powerOn()})
 * @param variant    the firmware's defence profile ({@link FirmwareVariant#SECURE} unless asked otherwise)
 */
public record VirtualDeviceOptions(String startImage, FlashLayout layout, boolean powerOn, FirmwareVariant variant) {

    public VirtualDeviceOptions {
        Objects.requireNonNull(startImage, "startImage");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(variant, "variant");
    }

    /** The secure firmware. */
    public VirtualDeviceOptions(String startImage, FlashLayout layout, boolean powerOn) {
        this(startImage, layout, powerOn, FirmwareVariant.SECURE);
    }

    public VirtualDeviceOptions withVariant(FirmwareVariant v) {
        return new VirtualDeviceOptions(startImage, layout, powerOn, v);
    }

    /** V1 in the default (Arduino) layout, powered on: a device as it leaves the factory. */
    public static VirtualDeviceOptions factoryFreshV1() {
        return new VirtualDeviceOptions("v1_base", FlashLayout.DEFAULT, true);
    }

    public VirtualDeviceOptions withStartImage(String image) {
        return new VirtualDeviceOptions(image, layout, powerOn, variant);
    }

    public VirtualDeviceOptions withLayout(FlashLayout l) {
        return new VirtualDeviceOptions(startImage, l, powerOn, variant);
    }

    public VirtualDeviceOptions withPowerOn(boolean on) {
        return new VirtualDeviceOptions(startImage, layout, on, variant);
    }
}
