package org.secureota.workbench.session;

import java.util.Objects;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.LcdLanguage;

/**
 * How the factory makes a virtual device.
 *
 * @param startImage  the host app image of the build flashed at the factory ({@code v1_base})
 * @param layout      the flash layout
 * @param powerOn     power it on once made (else it waits for {@link LabDevice#powerOn()})
 * @param lcdLanguage the factory data's {@code lcd_lang}, the language of the LCD's texts; null: none written
 *                    (the firmware then speaks French)
 * @param variant     the firmware's defence profile ({@link FirmwareVariant#SECURE} unless asked otherwise)
 */
public record VirtualDeviceOptions(String startImage, FlashLayout layout, boolean powerOn, LcdLanguage lcdLanguage,
                                   FirmwareVariant variant) {

    public VirtualDeviceOptions {
        Objects.requireNonNull(startImage, "startImage");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(variant, "variant");
    }

    /** The secure firmware, with no {@code lcd_lang} written. */
    public VirtualDeviceOptions(String startImage, FlashLayout layout, boolean powerOn) {
        this(startImage, layout, powerOn, null, FirmwareVariant.SECURE);
    }

    /** V1 in the default (Arduino) layout, powered on: a device as it leaves the factory. */
    public static VirtualDeviceOptions factoryFreshV1() {
        return new VirtualDeviceOptions("v1_base", FlashLayout.DEFAULT, true);
    }

    public VirtualDeviceOptions withVariant(FirmwareVariant v) {
        return new VirtualDeviceOptions(startImage, layout, powerOn, lcdLanguage, v);
    }

    public VirtualDeviceOptions withLcdLanguage(LcdLanguage language) {
        return new VirtualDeviceOptions(startImage, layout, powerOn, language, variant);
    }

    public VirtualDeviceOptions withStartImage(String image) {
        return new VirtualDeviceOptions(image, layout, powerOn, lcdLanguage, variant);
    }

    public VirtualDeviceOptions withLayout(FlashLayout l) {
        return new VirtualDeviceOptions(startImage, l, powerOn, lcdLanguage, variant);
    }

    public VirtualDeviceOptions withPowerOn(boolean on) {
        return new VirtualDeviceOptions(startImage, layout, on, lcdLanguage, variant);
    }
}
