package org.secureota.workbench.device;

/**
 * The virtual board's answer to {@code status}.
 *
 * @param poweredOn whether the CPU runs
 * @param flashOps  flash operations counted since the count was last reset or a cut was armed
 * @param armed     the armed cut ({@code 12/halfway}), or {@code none}
 * @param pty       the pseudo-terminal the UART is on
 */
public record BoardStatus(boolean poweredOn, long flashOps, String armed, String pty) {

    static BoardStatus of(BoardEvent e) {
        return new BoardStatus("on".equals(e.fields().get("power")), (Long) e.fields().get("flash_ops"),
                (String) e.fields().get("armed"), (String) e.fields().get("pty"));
    }
}
