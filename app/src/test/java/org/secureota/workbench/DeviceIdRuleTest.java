package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.secureota.workbench.cli.CliTestSupport;
import org.secureota.workbench.foundation.DeviceId;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.scenario.ScriptException;
import org.secureota.workbench.scenario.ScriptReader;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionException;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.junit.jupiter.api.Tag;

/**
 * The one device-id rule holds at every door: an id refused by one entry point is refused by all of
 * them, before anything is written (a session used to make a devices folder for "a..b" that the
 * server then refused).
 */
@Tag("e2e")
class DeviceIdRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "", "-lead", "has space", "caf\u00e9", "x/y",
        "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"})
    void theRuleRefusesTheIdAndSaysWhatToDo(String id) {
        assertThat(DeviceId.isValid(id)).isFalse();
        assertThat(DeviceId.problem(id)).contains("letters, digits").contains("'..'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"esp32-lab-01", "a", "A.b_c-9", "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd1"})
    void plainIdsPass(String id) {
        assertThat(DeviceId.isValid(id)).isTrue();
        assertThat(DeviceId.problem(id)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "-lead", "caf\u00e9"})
    void theCliRefusesItForFactoryDataAndForTheServer(String id, @TempDir Path lab) throws Exception {
        Path key = java.nio.file.Files.writeString(lab.resolve("key.txt"), "k".repeat(43));
        CliTestSupport.Run factory = CliTestSupport.run("--lab", lab.toString(), "device", "factory-image",
                "--product", "shop-display", "--server-url", "https://127.0.0.1:8443/", "--api-key-file", key.toString(), "--", id);
        assertThat(factory.exitCode()).as(factory.out() + factory.err()).isEqualTo(2);
        assertThat(factory.err()).contains("not a usable device id");
        assertThat(lab.resolve("devices").resolve(id)).doesNotExist();

        assertThat(CliTestSupport.run("--lab", lab.toString(), "pki", "init").exitCode()).isZero();
        CliTestSupport.Run add = CliTestSupport.run("--lab", lab.toString(), "server", "add-device",
                "--product", "shop-display", "--", id);
        assertThat(add.exitCode()).as(add.out() + add.err()).isEqualTo(2);
        assertThat(add.err()).contains("not a usable device id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "-lead", "caf\u00e9"})
    void aDemoScriptRefusesItAtItsPosition(String id) {
        String script = """
                title: {en: T, fr: T}
                summary: {en: S, fr: S}
                devices:
                  - {id: "%s", product: shop-display, starting-version: 1.0.0}
                steps:
                  - check: {device: all}
                    narration: {en: Check, fr: Vérifier}
                """.formatted(id);
        ScriptReader reader = new ScriptReader(Set.of(), t -> true);
        assertThatThrownBy(() -> reader.read("ids.yaml", script)).isInstanceOf(ScriptException.class)
                .hasMessageContaining("ids.yaml:4:").hasMessageContaining("not a usable device id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "-lead", "caf\u00e9"})
    void theSessionRefusesItBeforeMakingAFolder(String id, @TempDir Path root) throws Exception {
        LabFolder lab = new LabFolder(root);
        try (LabSession session = LabSession.openAndWait(SessionSetup.defaults(lab).withPublishBuiltReleases(false))) {
            assertThatThrownBy(() -> session.createVirtualDevice(id, "shop-display", VirtualDeviceOptions.factoryFreshV1()))
                    .isInstanceOf(LabSessionException.class).hasMessageContaining("not a usable device id");
            assertThat(session.folder().resolve(id)).doesNotExist();
            assertThat(session.snapshot().devices()).isEmpty();
        }
    }
}
