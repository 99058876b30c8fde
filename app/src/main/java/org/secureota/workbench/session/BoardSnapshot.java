package org.secureota.workbench.session;

/**
 * One board's power supply at one moment. For a real board the workbench does not switch power: it
 * shows {@link BoardPower#RUNNING} while the serial link is up and {@link BoardPower#OFF} otherwise.
 *
 * @param deviceId the device it powers
 * @param power    off, booting, running or cut
 * @param armedCut the armed power cut as {@code "OPERATION/POINT"}: {@code "12/halfway"} cuts the 12th flash
 *                 operation from the arming (11 complete) halfway through it; null when none is armed
 * @param ptyPath  the board's serial port: the virtual board's pty ({@code /dev/pts/3}) or the real port
 * @param pid      the virtual board's supervisor process, or null
 * @param variant  the defence profile of its factory firmware ({@code secure}, or a weakened lab build
 *                 such as {@code naive}: see {@link org.secureota.workbench.device.FirmwareVariant})
 */
public record BoardSnapshot(String deviceId, BoardPower power, String armedCut, String ptyPath, Long pid,
                            String variant) {

    public BoardSnapshot(String deviceId, BoardPower power, String armedCut, String ptyPath, Long pid) {
        this(deviceId, power, armedCut, ptyPath, pid, "secure");
    }

    static BoardSnapshot off(String deviceId) {
        return new BoardSnapshot(deviceId, BoardPower.OFF, null, null, null);
    }

    BoardSnapshot withPower(BoardPower p) {
        return new BoardSnapshot(deviceId, p, armedCut, ptyPath, pid, variant);
    }

    BoardSnapshot withArmedCut(String cut) {
        return new BoardSnapshot(deviceId, power, cut, ptyPath, pid, variant);
    }

    BoardSnapshot withProcess(String pty, Long processId) {
        return new BoardSnapshot(deviceId, power, armedCut, pty, processId, variant);
    }

    BoardSnapshot withVariant(String v) {
        return new BoardSnapshot(deviceId, power, armedCut, ptyPath, pid, v);
    }
}
