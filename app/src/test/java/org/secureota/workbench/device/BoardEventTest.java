package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** Every stdout line that esp32-firmware/README.md lists for {@code virtual-esp32 run}. */
@Tag("unit")
class BoardEventTest {

    @Test
    void documentedBoardLinesBecomeTypedEvents() {
        BoardEvent ready = BoardEvent.parse("board: ready pty=/dev/pts/3 link=/tmp/ttyESP32");
        assertThat(ready.type()).isEqualTo("board.ready");
        assertThat(ready.fields()).containsEntry("pty", "/dev/pts/3").containsEntry("link", "/tmp/ttyESP32");

        assertThat(BoardEvent.parse("board: power on reason=ext pid=4242").fields()).containsEntry("reason", "ext");
        assertThat(BoardEvent.parse("board: power off (cut by command)").fields()).containsEntry("reason", "cut by command");

        BoardEvent cut = BoardEvent.parse("board: power cut at flash operation 17 (halfway); power stays off until power-on");
        assertThat(cut.type()).isEqualTo("board.power_cut");
        assertThat(cut.fields()).containsEntry("operation", 17L).containsEntry("cut", "halfway");

        assertThat(BoardEvent.parse("board: app restarted the chip").type()).isEqualTo("board.restart");
        assertThat(BoardEvent.parse("board: halted: no bootable app (see the serial log); reflash with virtual-esp32 factory")
                .type()).isEqualTo("board.halted");
        assertThat(BoardEvent.parse("board: app crashed (signal Segmentation fault): panic reset").fields())
                .containsEntry("cause", "signal Segmentation fault");
        assertThat(BoardEvent.parse("board: armed fail-after=12 cut=before (operation count reset to 0)").fields())
                .containsEntry("fail_after", 12L).containsEntry("cut", "before");
        assertThat(BoardEvent.parse("board: disarmed").type()).isEqualTo("board.disarmed");
        assertThat(BoardEvent.parse("board: error unknown command 'x'; commands: ...").type()).isEqualTo("board.error");
        assertThat(BoardEvent.parse("board: already on").type()).isEqualTo("board.info");
    }

    @Test
    void statusBecomesABoardStatus() {
        BoardStatus s = BoardStatus.of(BoardEvent.parse("board: status power=on flash_ops=9 armed=12/halfway pty=/dev/pts/3"));
        assertThat(s).isEqualTo(new BoardStatus(true, 9, "12/halfway", "/dev/pts/3"));
    }
}
