package org.secureota.workbench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;

/** The server's pure parts, without a network. */
@Tag("unit")
class ServerPartsTest {

    @ParameterizedTest
    @CsvSource({
        "1.0.0, 2.0.0", "1.9.0, 1.10.0", "1.0.9, 1.0.10", "2.0.0-rc.1, 2.0.0", "2.0.0-alpha, 2.0.0-alpha.1",
        "2.0.0-alpha.1, 2.0.0-alpha.beta", "2.0.0-beta.2, 2.0.0-beta.11", "2.0.0-rc.1, 2.0.0-rc.1.1",
        "9.99.99, 10.0.0",
    })
    void semanticVersionsOrderByPrecedence(String older, String newer) {
        assertThat(SemanticVersion.parse(newer).isNewerThan(SemanticVersion.parse(older))).isTrue();
        assertThat(SemanticVersion.parse(older).isNewerThan(SemanticVersion.parse(newer))).isFalse();
    }

    @Test
    void buildMetadataDoesNotCountAndBadVersionsAreNamed() {
        assertThat(SemanticVersion.parse("2.0.0+build.7")).isEqualTo(SemanticVersion.parse("2.0.0"));
        for (String bad : List.of("2.0", "v2.0.0", "02.0.0", "2.0.0-", "", "2.0.0.0", "1.2.3-01")) {
            assertThatThrownBy(() -> SemanticVersion.parse(bad)).hasMessageContaining("MAJOR.MINOR.PATCH");
        }
    }

    @Test
    void byteRangesFollowRfc9110() {
        assertThat(ByteRange.parse(Optional.empty(), 100)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse(Optional.of("bytes=0-9"), 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 9)));
        assertThat(ByteRange.parse(Optional.of("bytes=90-"), 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(ByteRange.parse(Optional.of("bytes=-10"), 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(ByteRange.parse(Optional.of("bytes=-1000"), 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 99)));
        assertThat(ByteRange.parse(Optional.of("bytes=50-1000"), 100)).isEqualTo(new ByteRange.Partial(new ByteRange(50, 99)));
        // Several ranges or an unknown unit: the whole file, as RFC 9110 allows.
        assertThat(ByteRange.parse(Optional.of("bytes=0-1,5-6"), 100)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse(Optional.of("items=0-1"), 100)).isInstanceOf(ByteRange.Whole.class);
        for (String bad : List.of("bytes=100-", "bytes=5-4", "bytes=-0", "bytes=x-1", "bytes=-", "bytes=1-2-3",
                "bytes=99999999999999999999-", "0-1")) {
            assertThat(ByteRange.parse(Optional.of(bad), 100)).as(bad).isInstanceOf(ByteRange.Unsatisfiable.class);
        }
        assertThat(ByteRange.parse(Optional.of("bytes=0-"), 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/firmware/../x", "/firmware/%2e%2e", "/a//b", "/a/", "//a", "/a/./b", "/a\\b", "/a%00",
        "a", "*", "/", "", "/\u00e9", "/a/b/c/d/e/f/g/h/i"})
    void onlyPlainPathsAreRouted(String raw) {
        assertThat(RequestPath.segments(raw)).as(raw).isEmpty();
    }

    @Test
    void plainPathsSplitIntoSegments() {
        assertThat(RequestPath.segments("/firmware/shop-display-2.0.0.bin"))
                .hasValue(List.of("firmware", "shop-display-2.0.0.bin"));
    }

    /** A clock that tests move by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theRateLimiterBlocksAfterTheLimitAndFreesWhenFailuresLeaveTheWindow() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(3, Duration.ofSeconds(60), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blockedFor("10.0.0.1")).isEmpty();
            limiter.recordFailure("10.0.0.1");
            clock.now = clock.now.plusSeconds(10);
        }
        // Failures at t=0, 10, 20; now t=30: blocked until the first one leaves the window at t=60.
        assertThat(limiter.blockedFor("10.0.0.1")).hasValue(Duration.ofSeconds(30));
        assertThat(limiter.blockedFor("10.0.0.2")).isEmpty();
        clock.now = clock.now.plusSeconds(30);
        assertThat(limiter.blockedFor("10.0.0.1")).isEmpty();
    }

    @Test
    void theRateLimiterForgetsTheLeastRecentSourceWhenFull() {
        RateLimiter limiter = new RateLimiter(1, Duration.ofMinutes(1), 2, new ManualClock());
        limiter.recordFailure("a");
        limiter.recordFailure("b");
        limiter.recordFailure("c");
        assertThat(limiter.blockedFor("a")).isEmpty();
        assertThat(limiter.blockedFor("c")).isPresent();
    }

    @Test
    void apiKeysAreRandomCheckedAndRotated(@TempDir Path devices) throws Exception {
        ApiKeyRegistry keys = new ApiKeyRegistry(devices);
        String a = keys.register("dev-1", "shop-display");
        String b = keys.register("dev-2", "shop-display");
        assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9_-]{43}");
        assertThat(keys.check("dev-1", a).accepted()).isTrue();
        assertThat(keys.check("dev-1", b).outcome()).isEqualTo(ApiKeyRegistry.Outcome.WRONG_KEY);
        assertThat(keys.check("dev-9", a).outcome()).isEqualTo(ApiKeyRegistry.Outcome.UNKNOWN_DEVICE);
        assertThat(keys.check("dev-1", null).outcome()).isEqualTo(ApiKeyRegistry.Outcome.MISSING_KEY);
        assertThatThrownBy(() -> keys.register("dev-1", "shop-display")).hasMessageContaining("--rotate-key");
        assertThatThrownBy(() -> keys.register("../x", "shop-display")).hasMessageContaining("not a usable device id");
        assertThatThrownBy(() -> keys.register("dev-3", "Shop Display")).hasMessageContaining("not a valid product");

        String rotated = keys.rotateKey("dev-1", "shop-display");
        assertThat(keys.check("dev-1", a).accepted()).isFalse();
        assertThat(keys.check("dev-1", rotated).accepted()).isTrue();

        // Another registry on the same folder (another process) sees the same devices and keys.
        ApiKeyRegistry other = new ApiKeyRegistry(devices);
        assertThat(other.check("dev-2", b).accepted()).isTrue();
        String c = other.register("dev-3", "kiosk");
        assertThat(keys.check("dev-3", c).accepted()).isTrue();
        assertThat(Files.readString(keys.file())).doesNotContain(a, b, c, rotated);
    }

    @Test
    void aDamagedKeyFileIsReportedWithItsPath(@TempDir Path devices) throws Exception {
        Files.writeString(devices.resolve(ApiKeyRegistry.FILE_NAME), "{not json");
        ApiKeyRegistry keys = new ApiKeyRegistry(devices);
        assertThatThrownBy(keys::devices).isInstanceOf(ServerStateException.class)
                .hasMessageContaining(ApiKeyRegistry.FILE_NAME).hasMessageContaining("not valid JSON");
    }

    @Test
    void deploymentsPersistAndDeviceEntriesOverrideProducts(@TempDir Path devices) throws Exception {
        Deployments d = new Deployments(devices);
        d.setProduct("shop-display", "2.0.0");
        d.setDevice("dev-1", "1.0.0");
        assertThat(d.versionFor("dev-1", "shop-display")).hasValue("1.0.0");
        assertThat(d.versionFor("dev-2", "shop-display")).hasValue("2.0.0");
        assertThat(d.versionFor("dev-2", "kiosk")).isEmpty();

        // A hand edit of the JSON file is picked up by a running server.
        Files.writeString(d.file(), "{\"products\": {\"shop-display\": \"3.0.0\"}}");
        assertThat(new Deployments(devices).versionFor("dev-1", "shop-display")).hasValue("3.0.0");
        assertThat(d.versionFor("dev-1", "shop-display")).hasValue("3.0.0");

        Files.writeString(d.file(), "{\"products\": {\"shop-display\": \"latest\"}}");
        assertThatThrownBy(() -> d.versionFor("dev-1", "shop-display")).isInstanceOf(ServerStateException.class)
                .hasMessageContaining("shop-display").hasMessageContaining("2.0.0");
        assertThatThrownBy(() -> new Deployments(devices.resolve("x")).setProduct("shop-display", "two"))
                .hasMessageContaining("MAJOR.MINOR.PATCH");
    }
}
