package org.secureota.workbench.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.firmware.ManifestRefusal;
import org.secureota.workbench.firmware.ManifestVerifier;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.network.DeviceEndpoint;
import org.secureota.workbench.network.LabTimeServer;
import org.secureota.workbench.network.Upstream;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerState;
import org.junit.jupiter.api.Tag;

/**
 * The catalogue and the attacker on a real lab without a device: every attack is described in both
 * languages with a documented verdict, refuses bad parameters by name, changes only what it says, and its
 * undo restores every byte. (The device's side of each attack is in AttackOnVirtualDeviceTest.)
 */
@Timeout(120)
@Tag("integration")
class AttackerTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final List<String> TABLE = List.of("rogue-server", "wrong-host-cert", "stolen-server-key", "expired-cert", "flipped-byte",
            "resealed-image", "truncated-image", "padded-image", "tampered-record", "dropped-connection", "slow-retrieval",
            "endless-data", "replayed-manifest", "downgrade", "freeze", "wrong-signing-key", "alg-confusion",
            "mix-and-match", "steal-image", "time-rollback", "silent-server", "time-forward");

    @TempDir
    Path root;

    Journal journal = new Journal();
    LabPki pki;
    ServerState state;
    OtaServer server;
    DeviceEndpoint endpoint;
    LabTimeServer time;
    Attacker attacker;
    Release v2;
    Release v3;

    @BeforeEach
    void lab() throws Exception {
        LabFolder lab = new LabFolder(root);
        pki = new LabPki(lab.certs());
        pki.init(false, new HostIdentity(List.of("localhost"), List.of("127.0.0.1")), Clock.systemUTC());
        state = ServerState.of(lab);
        v2 = publish("shop-display", "2.0.0");
        v3 = publish("shop-display", "3.0.0");
        publish("kiosk", "1.1.0");
        state.deploy("shop-display", "3.0.0");
        server = OtaServer.builder(lab, journal).port(0).start();
        endpoint = DeviceEndpoint.start(journal, Upstream.loopback("lab server", server.port()));
        time = LabTimeServer.start(journal);
        attacker = new Attacker(new AttackTarget(journal, pki, state, endpoint, time, "shop-display"));
    }

    @AfterEach
    void stop() {
        attacker.close();
        endpoint.close();
        server.close();
        time.close();
        journal.close();
    }

    private Release publish(String product, String version) throws Exception {
        byte[] rodata = new byte[20_000];
        new Random(version.hashCode()).nextBytes(rodata);
        Path file = root.resolve(product + version + ".bin");
        Files.write(file, AppImageBuilder.forChip(ChipId.HOST).descriptor(AppDescriptor.of(product, version, 1))
                .rodata(rodata).build());
        return state.releases().publish(file, product, pki.signingKey(), Duration.ofDays(30), Clock.systemUTC());
    }

    private Map<Path, byte[]> storeBytes() throws Exception {
        Map<Path, byte[]> all = new HashMap<>();
        try (var files = Files.walk(state.releases().directory())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                all.put(p, Files.readAllBytes(p));
            }
        }
        return all;
    }

    private void assertStoreUnchanged(Map<Path, byte[]> before) throws Exception {
        Map<Path, byte[]> after = storeBytes();
        // The counter file records the last counter issued: an attack that signs takes one from it, for good.
        before = new HashMap<>(before);
        before.keySet().removeIf(p -> p.getFileName().toString().equals("counter"));
        after.keySet().removeIf(p -> p.getFileName().toString().equals("counter"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((p, b) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(b));
    }

    @Test
    void theCatalogueHasEveryAttackOfTheTableWithBothLanguagesAndADocumentedVerdict() throws Exception {
        assertThat(AttackCatalog.all()).extracting(Attack::id).containsExactlyElementsOf(TABLE);
        Set<String> documented = documentedVerdicts();
        for (Attack a : AttackCatalog.all()) {
            for (Locale l : List.of(Locale.ENGLISH, Locale.FRENCH)) {
                assertThat(a.title(l)).as(a.id() + " title " + l).isNotBlank();
                assertThat(a.explanation(l)).as(a.id() + " explanation " + l).hasSizeGreaterThan(80);
                for (ParameterSpec p : a.parameters()) {
                    assertThat(a.parameterHelp(p.name(), l)).as(a.id() + " " + p.name() + " " + l).isNotBlank();
                }
            }
            assertThat(a.explanation(Locale.FRENCH)).isNotEqualTo(a.explanation(Locale.ENGLISH));
            ExpectedOutcome e = a.expected(a.defaults());
            assertThat(documented).as("verdicts of " + a.id()).containsAll(e.verdicts());
        }
        // The device asks its time source before each check (issue 29): no time attack needs a restart.
        assertThat(AttackCatalog.require("expired-cert").expected(AttackCatalog.require("expired-cert").defaults())
                .needsRestart()).isFalse();
        assertThat(AttackCatalog.require("time-rollback").expected(AttackCatalog.require("time-rollback").defaults())
                .verdicts()).containsExactlyInAnyOrder("NO_VALID_TIME", "MANIFEST_EXPIRED");
    }

    @Test
    void attacksTheDeviceCanOnlySurviveAreNamedAsAttacksOnAvailabilityInBothLanguages() {
        List<String> survived = List.of("expired-cert", "tampered-record", "dropped-connection", "slow-retrieval",
                "silent-server");
        for (Attack a : AttackCatalog.all()) {
            for (Locale l : List.of(Locale.ENGLISH, Locale.FRENCH)) {
                var text = AttackTexts.availability(a.id(), l);
                if (survived.contains(a.id())) {
                    assertThat(text).as(a.id() + " " + l).hasValueSatisfying(t -> assertThat(t)
                            .containsAnyOf("Availability", "Disponibilité").containsAnyOf("failed safe", "mis en sécurité")
                            .containsAnyOf("denied the update", "empêché la mise à jour").containsAnyOf("operator", "opérateur"));
                    assertThat(a.explanation(l)).containsAnyOf("availability", "disponibilité");
                } else {
                    assertThat(text).as(a.id() + " " + l).isEmpty();
                }
            }
        }
    }

    /** The codes of the verdict table in docs/telemetry.md. */
    private static Set<String> documentedVerdicts() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/telemetry.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|").matcher(doc);
        Set<String> codes = new java.util.HashSet<>();
        while (m.find()) {
            codes.add(m.group(1));
        }
        assertThat(codes).contains("UPDATED", "HASH_MISMATCH");
        return codes;
    }

    @Test
    void badParametersAreRefusedByNameAndChangeNothing() throws Exception {
        Map<Path, byte[]> before = storeBytes();
        assertThatThrownBy(() -> attacker.arm("no-such-attack", Map.of()))
                .hasMessageContaining("unknown attack 'no-such-attack'").hasMessageContaining("flipped-byte");
        assertThatThrownBy(() -> attacker.arm("flipped-byte", Map.of("offset", String.valueOf(v3.size()))))
                .hasMessageContaining("'offset'").hasMessageContaining("past the end of the image");
        assertThatThrownBy(() -> attacker.arm("truncated-image", Map.of("bytes", "-3")))
                .hasMessageContaining("'bytes'").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> attacker.arm("truncated-image", Map.of("bytes", String.valueOf(v3.size()))))
                .hasMessageContaining("'bytes'");
        assertThatThrownBy(() -> attacker.arm("dropped-connection", Map.of("repeat", "twice")))
                .hasMessageContaining("'repeat'").hasMessageContaining("once, every");
        assertThatThrownBy(() -> attacker.arm("padded-image", Map.of("size", "3")))
                .hasMessageContaining("has no parameter size");
        assertThatThrownBy(() -> attacker.arm("flipped-byte", Map.of("version", "9.9.9")))
                .hasMessageContaining("'version'").hasMessageContaining("not published");
        assertThatThrownBy(() -> attacker.arm("expired-cert", Map.of("days", "10")))
                .hasMessageContaining("'days'").hasMessageContaining("use days=");
        assertStoreUnchanged(before);
        assertThat(attacker.armed()).isEmpty();
        assertThat(time.offset()).isZero();
    }

    @Test
    void everyStoreAttackChangesTheServedFilesAndItsUndoRestoresEveryByte() throws Exception {
        Map<Path, byte[]> before = storeBytes();
        ManifestVerifier verifier = new ManifestVerifier(pki.signingPublicKey());
        for (Attack a : AttackCatalog.all()) {
            // The image thief only reads the store (ImageTheftTest checks that nothing changes).
            if (a.surface() != AttackSurface.STORE || a.id().equals("steal-image")) {
                continue;
            }
            // No device has reported a version here, so the defaults that depend on one are named.
            Map<String, String> given = switch (a.id()) {
                case "replayed-manifest" -> Map.of("from", "2.0.0");
                case "downgrade" -> Map.of("to", "2.0.0");
                default -> Map.of();
            };
            long counterBefore = state.releases().latest("shop-display").orElseThrow().counter();
            ArmedAttack armed = attacker.arm(a.id(), given);
            assertThat(storeBytes()).as(a.id() + " changed the store").isNotEqualTo(before);
            Release served = state.releases().find("shop-display", "3.0.0").orElseThrow();
            byte[] image = Files.readAllBytes(served.imageFile());
            String jws = Files.readString(served.manifestFile()).strip();
            switch (a.id()) {
                case "flipped-byte" -> {
                    assertThat(image).hasSize((int) v3.size());
                    assertThat(differences(image, Files.readAllBytes(root.resolve("shop-display3.0.0.bin"))))
                            .isEqualTo(1);
                }
                case "resealed-image" -> {
                    // Well formed and sealed again (checksum, appended SHA-256), yet not the signed image.
                    AppImage resealed = AppImage.parse(image);
                    assertThat(resealed.valid()).as(resealed.problems().toString()).isTrue();
                    assertThat(resealed.hashOk()).isTrue();
                    assertThat(resealed.descriptor().orElseThrow().idfVersion()).isEqualTo("patched-and-resealed");
                    assertThat(resealed.sha256()).isNotEqualTo(served.sha256());
                    assertThat(image).hasSize((int) v3.size());
                }
                case "truncated-image" -> assertThat(image).hasSize((int) v3.size() - 4096);
                case "padded-image" -> assertThat(image).hasSize((int) v3.size() + 4096);
                case "endless-data" -> assertThat((long) image.length).isEqualTo(v3.size() + AttackCatalog.ENDLESS_BYTES);
                case "replayed-manifest" -> assertThat(jws).isEqualTo(v2.jws());
                case "mix-and-match" -> assertThat(verifier.verify(jws, Instant.now()).manifest().product())
                        .isEqualTo("kiosk");
                case "downgrade" -> {
                    var m = verifier.verify(jws, Instant.now());
                    assertThat(m.refusal()).isNull();
                    assertThat(m.manifest().version()).isEqualTo("2.0.0");
                    assertThat(m.manifest().counter()).isGreaterThan(v3.counter());
                    // Taken from the store's own sequence: the next honest manifest outnumbers it.
                    assertThat(state.releases().issueCounter("shop-display")).isGreaterThan(m.manifest().counter());
                    assertThat(m.manifest().counter()).isGreaterThan(counterBefore);
                }
                case "freeze" -> assertThat(verifier.verify(jws, Instant.now()).refusal())
                        .isEqualTo(ManifestRefusal.EXPIRED);
                case "wrong-signing-key" -> assertThat(verifier.verify(jws, Instant.now()).refusal())
                        .isIn(ManifestRefusal.WRONG_KEY, ManifestRefusal.BAD_SIGNATURE);
                case "alg-confusion" -> assertThat(verifier.verify(jws, Instant.now()).refusal())
                        .isEqualTo(ManifestRefusal.ALGORITHM_NOT_ALLOWED);
                default -> throw new AssertionError("store attack without a check here: " + a.id());
            }
            assertThat(armed.description()).isNotBlank();
            attacker.disarm(a.id());
            assertStoreUnchanged(before);
        }
        assertThat(journal.window()).filteredOn(e -> e.source() == Source.ATTACKER)
                .extracting(JournalEvent::type).contains(EventType.ATTACK_ARMED.wireName(), EventType.ATTACK_DISARMED.wireName());
    }

    private static int differences(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }

    @Test
    void networkAndTimeAttacksActOnTheEndpointAndTheClockAndAreUndone() throws Exception {
        List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable listening = attacker.addListener(all -> seen.add(all.stream().map(ArmedAttack::id).toList()));
        attacker.arm("rogue-server", Map.of());
        assertThat(seen).containsExactly(List.of("rogue-server"));
        assertThat(endpoint.upstream().name()).isEqualTo("rogue server");
        assertThatThrownBy(() -> attacker.arm("dropped-connection", Map.of()))
                .hasMessageContaining("disarm rogue-server first");
        attacker.disarm("rogue-server");
        assertThat(endpoint.upstream()).isEqualTo(endpoint.labServer());
        assertThat(seen).containsExactly(List.of("rogue-server"), List.of());
        listening.close();

        attacker.arm("dropped-connection", Map.of("bytes", "1000", "repeat", "every"));
        assertThat(endpoint.fault()).hasValueSatisfying(f -> assertThat(f.describe()).contains("1000"));
        attacker.disarm("dropped-connection");
        assertThat(endpoint.fault()).isEmpty();

        ArmedAttack t = attacker.arm("expired-cert", Map.of());
        assertThat(time.offset()).isEqualTo(Duration.ofDays(730));
        assertThat(t.description()).contains("before each check");
        attacker.disarm("expired-cert");
        assertThat(time.offset()).isZero();

        assertThatThrownBy(() -> attacker.disarm("expired-cert")).hasMessageContaining("is not armed");
        // No device made an attempt: nothing was judged.
        assertThat(attacker.judgements()).isEmpty();
        assertThat(journal.window()).filteredOn(e -> EventType.ATTACK_ARMED.is(e))
                .extracting(e -> e.fields().get("attack"))
                .containsExactly("rogue-server", "dropped-connection", "expired-cert");
    }

    @Test
    void downgradeAndReplayRefuseToArmWhenNoDeviceCanShowThem() throws Exception {
        Map<Path, byte[]> before = storeBytes();
        assertThatThrownBy(() -> attacker.arm("downgrade", Map.of()))
                .hasMessageContaining("no device of shop-display has reported").hasMessageContaining("to=X.Y.Z");
        assertThatThrownBy(() -> attacker.arm("replayed-manifest", Map.of()))
                .hasMessageContaining("no device of shop-display has reported").hasMessageContaining("from=X.Y.Z");
        // A device that runs the lowest release: nothing lower to offer, nothing older it accepted.
        state.provision("esp32-lab-01", "shop-display");
        journal.append(EventType.DEVICE_BOOT, "esp32-lab-01", "boot", Map.of("version", "2.0.0"));
        assertThatThrownBy(() -> attacker.arm("downgrade", Map.of()))
                .hasMessage("downgrade: esp32-lab-01 runs 2.0.0, the lowest release: deploy and install a newer one first");
        assertThatThrownBy(() -> attacker.arm("replayed-manifest", Map.of()))
                .hasMessageContaining("esp32-lab-01 runs 2.0.0").hasMessageContaining("no older manifest to replay");
        assertStoreUnchanged(before);
        assertThat(attacker.armed()).isEmpty();
        // Running 3.0.0, it is offered 2.0.0 and replayed 2.0.0's manifest.
        journal.append(EventType.DEVICE_BOOT, "esp32-lab-01", "boot", Map.of("version", "3.0.0"));
        assertThat(attacker.arm("downgrade", Map.of()).description()).contains("older 2.0.0");
        attacker.disarm("downgrade");
        assertThat(attacker.arm("replayed-manifest", Map.of()).description()).contains("manifest of 2.0.0");
        attacker.disarm("replayed-manifest");
        assertStoreUnchanged(before);
    }

    @Test
    void theStolenServerKeyRoutesToAServerWithTheLabIdentityAndLeavesTheLabStoreAlone() throws Exception {
        Map<Path, byte[]> before = storeBytes();
        ArmedAttack armed = attacker.arm("stolen-server-key", Map.of());
        assertThat(endpoint.upstream().name()).isEqualTo("rogue server holding the stolen server key");
        assertThat(armed.description()).contains("lab server certificate", "attacker's own P-256 key");
        // The rogue server serves from its own copy: the lab's store is untouched, so a store attack can be
        // armed beside it and both undo cleanly.
        assertStoreUnchanged(before);
        attacker.arm("flipped-byte", Map.of());
        attacker.disarm("stolen-server-key");
        attacker.disarm("flipped-byte");
        assertThat(endpoint.upstream()).isEqualTo(endpoint.labServer());
        assertStoreUnchanged(before);
    }

    @Test
    void aStoreAttackOnTheDeployedVersionFollowsANewDeployment() throws Exception {
        Release v4 = publish("shop-display", "4.0.0");
        attacker.arm("flipped-byte", Map.of("offset", "100"));
        assertThat(attacker.attackedVersions("flipped-byte")).containsExactly("3.0.0");
        byte[] genuine4 = Files.readAllBytes(v4.imageFile());
        state.deploy("shop-display", "4.0.0");
        assertThat(attacker.attackedVersions("flipped-byte")).containsExactly("4.0.0");
        assertThat(Files.readAllBytes(v3.imageFile())).isEqualTo(Files.readAllBytes(root.resolve("shop-display3.0.0.bin")));
        assertThat(differences(Files.readAllBytes(v4.imageFile()), genuine4)).isEqualTo(1);
        assertThat(journal.events(EventType.ATTACK_RETARGETED, null, 0)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("now attacks shop-display 4.0.0"));
        assertThat(attacker.armed("flipped-byte").orElseThrow().description()).contains("shop-display-4.0.0");
        attacker.disarm("flipped-byte");
        assertThat(Files.readAllBytes(v4.imageFile())).isEqualTo(genuine4);
        // A fixed version stays fixed.
        attacker.arm("flipped-byte", Map.of("offset", "100", "version", "3.0.0"));
        state.deploy("shop-display", "3.0.0");
        state.deploy("shop-display", "4.0.0");
        assertThat(attacker.attackedVersions("flipped-byte")).containsExactly("3.0.0");
        attacker.disarm("flipped-byte");
    }

    @Test
    void mixAndMatchWithoutAnotherProductSaysWhatToDo() {
        assertThatThrownBy(() -> attacker.arm("mix-and-match", Map.of("other", "toaster")))
                .hasMessageContaining("'other'").hasMessageContaining("publish a release of another product");
        assertThat(AttackCatalog.all().stream().map(Attack::surface).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(AttackSurface.values());
    }
}
