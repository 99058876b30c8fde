package org.secureota.workbench.scenario;

/**
 * A power-cut sweep's running count as data: a window renders it in its own language, the CLI and the
 * reports use {@link #describe()}.
 *
 * @param cut       the cut's number, from 1; once completed, the number of cuts
 * @param operation the flash operation the cut struck; -1 once completed
 * @param booted    the version the device booted after the cut; null once completed
 * @param completed every cut was survived and the update then completed
 */
public record SweepCut(int cut, long operation, String booted, boolean completed) {

    /** Cut number {@code cut} struck flash operation {@code operation}; the device then booted {@code booted}. */
    public static SweepCut at(int cut, long operation, String booted) {
        return new SweepCut(cut, operation, booted, false);
    }

    /** The sweep's end: {@code cuts} cuts, every one survived, then the update completed. */
    public static SweepCut completed(int cuts) {
        return new SweepCut(cuts, -1, null, true);
    }

    /** English, for logs and reports. */
    public String describe() {
        return completed ? cut + " cuts, every one survived; the update then completed"
                : "cut " + cut + " at flash operation " + operation + ": booted " + booted;
    }
}
