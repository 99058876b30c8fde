package org.secureota.workbench.ui.widget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The flash map's legend stays legible: its CSS size, never under 12 px. No screen. */
@Tag("unit")
class FlashMapLegendTest {

    @Test
    void theLegendFollowsCssButNeverShrinksBelowTwelvePixels() {
        assertThat(FlashMapView.legendFontSize(9)).isEqualTo(FlashMapView.MIN_LEGEND_SIZE).isEqualTo(12);
        assertThat(FlashMapView.legendFontSize(20)).isEqualTo(20);
    }
}
