package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class PrerequisitesTest {

    @Test
    void aMissingPrerequisiteFailsInCiAndSkipsElsewhere() {
        assertThatThrownBy(() -> Prerequisites.require(false, "the virtual ESP32 is not built", true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true")
                .hasMessageContaining("the virtual ESP32 is not built");
        assertThatThrownBy(() -> Prerequisites.require(false, "the virtual ESP32 is not built", false))
                .isInstanceOf(TestAbortedException.class);
        Prerequisites.require(true, "present", true);
    }
}
