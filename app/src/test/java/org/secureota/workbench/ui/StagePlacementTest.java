package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The window inside the screen's visual bounds, without a screen. */
@Tag("unit")
class StagePlacementTest {

    private static final Rectangle2D PROJECTOR = new Rectangle2D(0, 0, 1280, 720);

    @Test
    void aWindowTallerThanTheScreenIsShrunkAndMovedDownIntoIt() {
        // 1280x800 centred on a 1280x720 screen with no window manager: 40 px above the top edge.
        Rectangle2D fitted = StagePlacement.fit(PROJECTOR, 0, -40, 1280, 800);
        assertThat(fitted).isEqualTo(new Rectangle2D(0, 0, 1280, 720));
    }

    @Test
    void aWindowThatFitsStaysWhereItIsAndOneOffTheEdgeComesBack() {
        Rectangle2D big = new Rectangle2D(0, 0, 1920, 1080);
        assertThat(StagePlacement.fit(big, 320, 140, 1280, 800)).isEqualTo(new Rectangle2D(320, 140, 1280, 800));
        assertThat(StagePlacement.fit(big, 1000, 600, 1280, 800)).isEqualTo(new Rectangle2D(640, 280, 1280, 800));
        assertThat(StagePlacement.fit(big, -50, -10, 1024, 700)).isEqualTo(new Rectangle2D(0, 0, 1024, 700));
        assertThat(StagePlacement.fit(big, Double.NaN, Double.NaN, 1024, 700)).isEqualTo(new Rectangle2D(0, 0, 1024, 700));
    }

    @Test
    void aScreenWithAPanelOrASecondMonitorCountsItsOwnVisualBounds() {
        // A top panel of 27 px; a second screen right of the first.
        Rectangle2D panel = new Rectangle2D(0, 27, 1280, 693);
        assertThat(StagePlacement.fit(panel, 0, 0, 1280, 800)).isEqualTo(new Rectangle2D(0, 27, 1280, 693));
        Rectangle2D second = new Rectangle2D(1920, 0, 1280, 720);
        assertThat(StagePlacement.fit(second, 1900, -20, 1280, 800)).isEqualTo(new Rectangle2D(1920, 0, 1280, 720));
        assertThat(StagePlacement.minimum(960, 1280)).isEqualTo(960);
        assertThat(StagePlacement.minimum(960, 800)).isEqualTo(800);
    }
}
