package org.secureota.workbench.ui;

import javafx.geometry.Rectangle2D;

/**
 * Keeps the window inside the screen's visual bounds: on a 1280x720 projector with no window manager,
 * a window taller than the screen was placed partly above it, and the top bar (Deploy, Check now) sat
 * off-screen. Pure arithmetic, so it is tested without a screen.
 */
final class StagePlacement {

    private StagePlacement() {
    }

    /**
     * The window's bounds moved and shrunk to fit {@code screen}: no larger than it, no edge outside it.
     * Bounds that fit are returned unchanged. A NaN position (not placed yet) counts as the screen's origin.
     */
    static Rectangle2D fit(Rectangle2D screen, double x, double y, double width, double height) {
        double w = Math.min(width, screen.getWidth());
        double h = Math.min(height, screen.getHeight());
        double left = Double.isNaN(x) ? screen.getMinX() : x;
        double top = Double.isNaN(y) ? screen.getMinY() : y;
        left = Math.max(screen.getMinX(), Math.min(left, screen.getMaxX() - w));
        top = Math.max(screen.getMinY(), Math.min(top, screen.getMaxY() - h));
        return new Rectangle2D(left, top, w, h);
    }

    /** The smallest size the window may take on {@code screen}: the wanted minimum, or the whole screen if smaller. */
    static double minimum(double wanted, double screenSize) {
        return Math.min(wanted, screenSize);
    }
}
