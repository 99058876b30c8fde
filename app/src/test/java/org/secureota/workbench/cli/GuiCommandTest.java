package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Help texts describe what exists: this build has no window, and 'gui' must not promise one. */
class GuiCommandTest {

    @Test
    void guiHelpDoesNotPromiseAWindowThatThisBuildDoesNotHave() {
        CliTestSupport.Run help = CliTestSupport.run("gui", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).doesNotContainIgnoringCase("open the workbench window")
                .contains("no graphical window");
        CliTestSupport.Run gui = CliTestSupport.run("gui");
        assertThat(gui.out()).contains("not part of this build").contains("serve");
    }
}
