package org.secureota.workbench.session;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FirmwareVariant;

/**
 * One device of a lab session, virtual or real. Every action returns at once; its future completes
 * when the command was handed to the board or its link (its effects arrive as telemetry, in the
 * journal and in {@link #model()}), or fails with a {@link LabSessionException} saying why.
 */
public interface LabDevice {

    String id();

    String product();

    boolean isVirtual();

    /** The defence profile of the firmware flashed at the factory: always SECURE for a real board. */
    default FirmwareVariant variant() {
        return FirmwareVariant.SECURE;
    }

    /** The observable model of what the device reported. */
    Device model();

    /** {@code model().snapshot()}. */
    default DeviceSnapshot device() {
        return model().snapshot();
    }

    /** The board's power: switched by the workbench for a virtual board; from the link for a real one. */
    BoardSnapshot board();

    CompletableFuture<Void> powerOn();

    /** The EN button: off, then on with reset reason {@code ext} (a real board: a software restart). */
    CompletableFuture<Void> reset();

    /** Cuts the power now, wherever the program is. */
    CompletableFuture<Void> powerCut();

    /**
     * Arms a power cut: flash operations 1..{@code flashOp} (counted from now) complete, operation
     * {@code flashOp + 1} is cut at {@code point}, and the board stays off until {@link #powerOn()}.
     * {@link BoardSnapshot#armedCut()} then reads {@code "<flashOp + 1>/<point>"}.
     */
    CompletableFuture<Void> armCut(long flashOp, CutPoint point);

    CompletableFuture<Void> disarmCut();

    /** Sets the board's count of flash operations to 0, to count the operations of one update. */
    CompletableFuture<Void> resetFlashCount();

    /** The flash operations the board counted since {@link #resetFlashCount()} or the last armed cut. */
    CompletableFuture<Long> flashOperations();

    /** Asks the device to check for an update now. */
    CompletableFuture<Void> check();

    /** Asks the device for a full report (boot, partitions, LCD, LED). */
    CompletableFuture<Void> status();

    /** Sends one line as typed on the serial console. */
    CompletableFuture<Void> send(String rawLine);

    /** This device's serial transcript in the session folder ({@code <session>/<id>/serial.log}). */
    Path transcript();
}
