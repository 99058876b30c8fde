package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class ReleaseStoreTest {

    static final KeyPair KEY = TestKeys.p256();
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00.750Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path lab;

    Path image(String version, long secureVersion) throws Exception {
        Path file = lab.resolve("build-" + version + ".bin");
        Files.write(file, TestImages.small(version, secureVersion));
        return file;
    }

    ReleaseStore store() {
        return new ReleaseStore(lab.resolve("releases"));
    }

    @Test
    void publishWritesImageAndSignedManifestThatVerify() throws Exception {
        Path source = image("2.0.0", 1);
        Release r = store().publish(source, "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);

        assertThat(r.product()).isEqualTo("shop-display");
        assertThat(r.version()).isEqualTo("2.0.0");
        assertThat(r.secureVersion()).isEqualTo(1);
        assertThat(r.imageFile()).isEqualTo(lab.resolve("releases/shop-display/shop-display-2.0.0.bin"));
        assertThat(r.manifestFile()).isEqualTo(lab.resolve("releases/shop-display/shop-display-2.0.0.jws"));
        assertThat(r.imageFileName()).isEqualTo("shop-display-2.0.0.bin");
        assertThat(r.url()).isEqualTo("/firmware/shop-display-2.0.0.bin");
        assertThat(Files.readAllBytes(r.imageFile())).isEqualTo(Files.readAllBytes(source));
        assertThat(r.size()).isEqualTo(Files.size(source));
        assertThat(r.sha256()).isEqualTo(AppImage.parse(Files.readAllBytes(source)).sha256());
        assertThat(r.counter()).isEqualTo(1);
        assertThat(r.issuedAt()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(r.expiresAt()).isEqualTo(Instant.parse("2026-12-24T10:00:00Z"));
        assertThat(Files.readString(r.manifestFile()).strip()).isEqualTo(r.jws());

        ManifestVerification v = new ManifestVerifier(KEY.getPublic())
                .verify(r.jws(), T0, Files.readAllBytes(r.imageFile()));
        assertThat(v.isAccepted()).as(v.reason()).isTrue();
        assertThat(v.manifest().url()).isEqualTo(r.url());
        try (Stream<Path> files = Files.list(r.imageFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file is left behind").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void listFindLatestAndByFileName() throws Exception {
        ReleaseStore store = store();
        store.publish(image("1.0.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        store.publish(image("2.0.0", 1), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        store.publish(image("1.0.0", 0), "kiosk", KEY.getPrivate(), Duration.ofDays(30), CLOCK);

        assertThat(store.list()).extracting(r -> r.product() + "@" + r.version() + "#" + r.counter())
                .containsExactly("kiosk@1.0.0#1", "shop-display@1.0.0#1", "shop-display@2.0.0#2");
        assertThat(store.find("shop-display", "2.0.0")).map(Release::counter).contains(2L);
        assertThat(store.find("shop-display", "9.9.9")).isEmpty();
        assertThat(store.latest("shop-display")).map(Release::version).contains("2.0.0");
        assertThat(store.byFileName("shop-display-1.0.0.bin")).map(Release::version).contains("1.0.0");
        assertThat(store.byFileName("kiosk-1.0.0.bin")).map(Release::product).contains("kiosk");
        assertThat(store.list("kiosk")).hasSize(1);
        assertThat(new ReleaseStore(lab.resolve("nothing-here")).list()).isEmpty();
    }

    @Test
    void byFileNameIsAnAllowListNotAPathJoin() throws Exception {
        ReleaseStore store = store();
        store.publish(image("2.0.0", 1), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        Files.writeString(lab.resolve("releases/secret.bin"), "not a release");
        Files.writeString(lab.resolve("releases/shop-display/notes.bin"), "not a release");
        for (String attempt : new String[] {"../shop-display/shop-display-2.0.0.bin", "shop-display/shop-display-2.0.0.bin",
            "secret.bin", "notes.bin", "../../certs/signing-key.pem", "shop-display-2.0.0.jws", "shop-display-2.0.0.bin/",
            "SHOP-DISPLAY-2.0.0.BIN", "shop-display-2.0.0.bin%00", "", "counter", ".lock"}) {
            assertThat(store.byFileName(attempt)).as(attempt).isEmpty();
        }
        assertThat(store.byFileName(null)).isEmpty();
        assertThat(store.find("../releases/shop-display", "2.0.0")).isEmpty();
    }

    @Test
    void counterStrictlyIncreasesAcrossPublishesAndStores() throws Exception {
        store().publish(image("1.0.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(1), CLOCK);
        store().publish(image("1.1.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(1), CLOCK);
        Release forced = store().publish(image("1.0.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(1),
                CLOCK, true);
        assertThat(forced.counter()).isEqualTo(3);
        assertThat(Files.readString(lab.resolve("releases/shop-display/counter")).strip()).isEqualTo("3");

        // Even if the counter file is lost, the manifests on disk keep the counter going up.
        Files.delete(lab.resolve("releases/shop-display/counter"));
        assertThat(store().publish(image("1.2.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(1), CLOCK)
                .counter()).isEqualTo(4);
        // And if manifests are deleted, the counter file remembers.
        Files.delete(lab.resolve("releases/shop-display/shop-display-1.2.0.jws"));
        Files.delete(lab.resolve("releases/shop-display/shop-display-1.2.0.bin"));
        assertThat(store().publish(image("1.2.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(1), CLOCK)
                .counter()).isEqualTo(5);
    }

    @Test
    void aCounterIssuedOutsideAPublishIsNeverReusedAndASignedAgainManifestOutnumbersIt() throws Exception {
        Release r = store().publish(image("2.0.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        byte[] image = Files.readAllBytes(r.imageFile());
        long forged = store().issueCounter("shop-display");
        assertThat(forged).isEqualTo(r.counter() + 1);
        Release again = store().resign("shop-display", "2.0.0", KEY.getPrivate(), CLOCK);
        assertThat(again.counter()).isGreaterThan(forged);
        assertThat(again.sha256()).isEqualTo(r.sha256());
        assertThat(again.size()).isEqualTo(r.size());
        assertThat(again.expiresAt()).isEqualTo(again.issuedAt().plus(Duration.ofDays(30)));
        assertThat(Files.readAllBytes(again.imageFile())).isEqualTo(image);
        ManifestVerification v = new ManifestVerifier(KEY.getPublic()).verify(again.jws(), T0, image);
        assertThat(v.isAccepted()).as(v.reason()).isTrue();
        assertThat(v.manifest().counter()).isEqualTo(again.counter());
        assertThat(store().publish(image("2.1.0", 0), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK)
                .counter()).isGreaterThan(again.counter());
    }

    @Test
    void refusesRepublishingTheSameVersionUnlessForced() throws Exception {
        ReleaseStore store = store();
        Release first = store.publish(image("2.0.0", 1), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        assertThatThrownBy(() -> store.publish(image("2.0.0", 1), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("already published").hasMessageContaining("--force");
        assertThat(Files.readString(first.manifestFile()).strip()).isEqualTo(first.jws());
    }

    @Test
    void refusesABadImageWithItsProblemsAndWritesNothing() throws Exception {
        byte[] bytes = TestImages.small();
        bytes[300] ^= 1;
        Path bad = lab.resolve("bad.bin");
        Files.write(bad, bytes);
        assertThatThrownBy(() -> store().publish(bad, "shop-display", KEY.getPrivate(), Duration.ofDays(1), CLOCK))
                .isInstanceOfSatisfying(ReleaseException.class, e -> {
                    assertThat(e.problems()).extracting(ImageProblem::field).contains("checksum", "sha256");
                    assertThat(e.getMessage()).contains("not a valid app image", "checksum", "nothing was published");
                });
        assertThat(lab.resolve("releases")).doesNotExist();
    }

    @Test
    void refusesBadNamesVersionsAndInputs() throws Exception {
        Path good = image("2.0.0", 1);
        for (String product : new String[] {"Shop", "../x", "-x", "", "a".repeat(33), "a/b", "a b", "a.b"}) {
            assertThatThrownBy(() -> store().publish(good, product, KEY.getPrivate(), Duration.ofDays(1), CLOCK))
                    .as(product).isInstanceOf(ReleaseException.class).hasMessageContaining("product name");
        }
        Path notSemver = lab.resolve("v.bin");
        Files.write(notSemver, TestImages.small("v2", 0));
        assertThatThrownBy(() -> store().publish(notSemver, "shop-display", KEY.getPrivate(), Duration.ofDays(1), CLOCK))
                .hasMessageContaining("not a semantic version");
        assertThatThrownBy(() -> store().publish(lab.resolve("missing.bin"), "shop-display", KEY.getPrivate(),
                Duration.ofDays(1), CLOCK)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> store().publish(good, "shop-display", KEY.getPrivate(), Duration.ZERO, CLOCK))
                .hasMessageContaining("validity");
    }

    @Test
    void listShowsTamperedManifestsAsTheyAreAndSkipsUndecodableOnes() throws Exception {
        ReleaseStore store = store();
        Release r = store.publish(image("2.0.0", 1), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        Files.writeString(r.manifestFile(), "garbage");
        assertThat(store.list()).isEmpty();
        Files.writeString(lab.resolve("releases/shop-display/shop-display-x.jws"), r.jws());
        assertThat(store.list()).isEmpty();
    }

    @Test
    void concurrentPublishesGetDistinctCounters() throws Exception {
        ReleaseStore store = store();
        int n = 6;
        java.util.List<Path> images = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(image("1.0." + i, 0));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.List<java.util.concurrent.Future<Release>> futures = new java.util.ArrayList<>();
            for (Path p : images) {
                futures.add(pool.submit(() -> store.publish(p, "shop-display", KEY.getPrivate(), Duration.ofDays(1), CLOCK)));
            }
            java.util.Set<Long> counters = new java.util.TreeSet<>();
            for (java.util.concurrent.Future<Release> f : futures) {
                counters.add(f.get().counter());
            }
            assertThat(counters).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).hasSize(n);
    }

    @Test
    void releaseNames() {
        assertThat(ReleaseNames.isVersion("2.0.0")).isTrue();
        assertThat(ReleaseNames.isVersion("2.0.0-rc.1")).isTrue();
        assertThat(ReleaseNames.isVersion("02.0.0")).isFalse();
        assertThat(ReleaseNames.isVersion("2.0.0+build")).isFalse();
        assertThat(ReleaseNames.isVersion("2.0")).isFalse();
        assertThat(ReleaseNames.isProduct("shop-display")).isTrue();
        assertThat(ReleaseNames.isProduct("0")).isTrue();
        assertThat(ReleaseNames.isProduct("..")).isFalse();
    }

    /** Sets every file time of the store a minute back, as if it had been published a while ago. */
    private void settle() throws Exception {
        java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60));
        try (Stream<Path> all = Files.walk(lab.resolve("releases"))) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
    }

    @Test
    void theReleaseListIsReadOnceAndAgainOnlyWhenAFileOfTheStoreChanges() throws Exception {
        ReleaseStore server = store();
        store().publish(image("2.0.0", 1), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        settle();
        List<Release> first = server.list();
        assertThat(first).extracting(Release::version).containsExactly("2.0.0");
        // Nothing changed: the same list, not the manifests read and decoded again.
        assertThat(server.list()).isSameAs(first);
        assertThat(server.byFileName("shop-display-2.0.0.bin")).isPresent();
        assertThat(server.list()).isSameAs(first);

        // Another store on the same folder (another process: the CLI) publishes: seen at once.
        store().publish(image("3.0.0", 1), "shop-display", KEY.getPrivate(), Duration.ofDays(30), CLOCK);
        assertThat(server.list()).extracting(Release::version).containsExactly("2.0.0", "3.0.0");
        assertThat(server.find("shop-display", "3.0.0")).isPresent();
        settle();
        List<Release> second = server.list();
        assertThat(server.list()).isSameAs(second);

        // A manifest replaced in place (the store-tampering attack, or a hand edit): seen at once.
        Path manifest = lab.resolve("releases/shop-display/shop-display-2.0.0.jws");
        String other = Files.readString(lab.resolve("releases/shop-display/shop-display-3.0.0.jws"));
        Files.writeString(manifest, other);
        assertThat(server.find("shop-display", "2.0.0").orElseThrow().jws()).isEqualTo(other.strip());

        // A release removed by hand: gone at once.
        settle();
        server.list();
        Files.delete(lab.resolve("releases/shop-display/shop-display-3.0.0.jws"));
        assertThat(server.find("shop-display", "3.0.0")).isEmpty();
    }
}
