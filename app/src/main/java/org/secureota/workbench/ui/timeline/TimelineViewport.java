package org.secureota.workbench.ui.timeline;

/**
 * Which stretch of time the timeline shows. While it follows, the view keeps the newest event at its
 * right edge; zooming or panning stops following, and {@link #follow()} resumes it.
 */
public final class TimelineViewport {

    static final long MIN_SPAN = 1_000_000L;              // 1 ms
    private static final long DEFAULT_SPAN = 30_000_000_000L;  // 30 s

    private long from;
    private long span = DEFAULT_SPAN;
    private boolean following = true;

    public long from() {
        return from;
    }

    public long to() {
        return from + span;
    }

    public long span() {
        return span;
    }

    public boolean following() {
        return following;
    }

    /** Keeps the newest event in view while following. */
    public void track(long first, long last) {
        if (following) {
            from = Math.max(first, last - span * 9 / 10);
            if (last - first < span * 9 / 10) {
                from = first;
            }
        }
    }

    /** Zooms by {@code factor} (&lt; 1 zooms in) keeping the time under pixel {@code x} in place. */
    public void zoom(double factor, double x, double width) {
        long anchor = timeAt(x, width);
        long newSpan = Math.max(MIN_SPAN, Math.round(span * factor));
        from = anchor - Math.round((anchor - from) * ((double) newSpan / span));
        span = newSpan;
        following = false;
    }

    /** Moves the view by {@code dx} pixels (positive moves back in time, as dragging the content right). */
    public void pan(double dx, double width) {
        from -= Math.round(dx * span / width);
        following = false;
    }

    /** Shows everything from {@code first} to {@code last}. */
    public void fit(long first, long last) {
        from = first;
        span = Math.max(MIN_SPAN, (last - first) * 21 / 20);
        following = false;
    }

    public void follow() {
        following = true;
    }

    public long timeAt(double x, double width) {
        return from + Math.round(x / width * span);
    }

    public double xOf(long t, double width) {
        return (t - from) * width / span;
    }
}
