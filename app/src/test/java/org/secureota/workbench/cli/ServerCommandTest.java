package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.server.DeviceStatuses;
import org.junit.jupiter.api.Tag;

@Tag("integration")
class ServerCommandTest {

    private static void publish(Path lab, String product, String version) throws Exception {
        Path image = lab.resolve(product + "-" + version + "-build.bin");
        Files.write(image, AppImageBuilder.forChip(ChipId.HOST).descriptor(AppDescriptor.of(product, version, 1))
                .rodata(new byte[4096]).build());
        CliTestSupport.Run run = CliTestSupport.run("--lab", lab.toString(), "firmware", "publish", image.toString(),
                "--product", product);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void addDeviceDeployAndStatus(@TempDir Path lab) throws Exception {
        assertThat(CliTestSupport.run("--lab", lab.toString(), "pki", "init").exitCode()).isZero();
        publish(lab, "shop-display", "1.0.0");
        publish(lab, "shop-display", "2.0.0");

        CliTestSupport.Run add = CliTestSupport.run("--lab", lab.toString(), "server", "add-device", "dev-1",
                "--product", "shop-display");
        assertThat(add.exitCode()).as(add.err()).isZero();
        Matcher key = Pattern.compile("^  ([A-Za-z0-9_-]{43})$", Pattern.MULTILINE).matcher(add.out());
        assertThat(key.find()).as(add.out()).isTrue();
        assertThat(Files.readString(lab.resolve("devices/devices.json"))).doesNotContain(key.group(1));

        CliTestSupport.Run again = CliTestSupport.run("--lab", lab.toString(), "server", "add-device", "dev-1",
                "--product", "shop-display");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("already provisioned", "--rotate-key");

        CliTestSupport.Run missing = CliTestSupport.run("--lab", lab.toString(), "server", "deploy", "shop-display", "3.0.0");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("No release shop-display 3.0.0", "1.0.0, 2.0.0");

        assertThat(CliTestSupport.run("--lab", lab.toString(), "server", "deploy", "shop-display", "2.0.0").exitCode()).isZero();
        CliTestSupport.Run pin = CliTestSupport.run("--lab", lab.toString(), "server", "deploy", "shop-display", "1.0.0",
                "--device", "dev-1");
        assertThat(pin.exitCode()).as(pin.err()).isZero();
        CliTestSupport.Run wrongProduct = CliTestSupport.run("--lab", lab.toString(), "server", "deploy", "kiosk", "1.0.0",
                "--device", "dev-1");
        assertThat(wrongProduct.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(wrongProduct.err()).contains("runs product 'shop-display'");

        CliTestSupport.Run status = CliTestSupport.run("--lab", lab.toString(), "server", "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("shop-display", "2.0.0", "dev-1", "should run 1.0.0", "device deployment",
                "product shop-display");
        assertThat(status.out()).doesNotContain(key.group(1));
        assertThat(status.out()).contains("last report: none yet");

        // What the server records from a device's reports (DeviceReports): the device's own word.
        new DeviceStatuses(lab.resolve("devices")).record("dev-1", "rolled_back", "4.0.0", null, "1.0.0");
        CliTestSupport.Run after = CliTestSupport.run("--lab", lab.toString(), "server", "status");
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.out()).contains("last report: rolled_back 4.0.0, verdict -, running 1.0.0");
    }

    @Test
    void servePublicDownloadsAndAConnectionLimitFromTheCommandLine(@TempDir Path lab) throws Exception {
        assertThat(CliTestSupport.run("--lab", lab.toString(), "pki", "init").exitCode()).isZero();
        CliTestSupport.Run bad = CliTestSupport.run("--lab", lab.toString(), "serve", "--port", "0",
                "--max-connections-per-address", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--max-connections-per-address 0", "at least 1");
        StringWriter out = new StringWriter();
        Thread serve = new Thread(() -> WorkbenchCli.newCommandLine(new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true)).execute("--lab", lab.toString(), "serve", "--port", "0",
                "--public-downloads", "--max-connections-per-address", "4"));
        serve.start();
        try {
            Waits.until(() -> out.toString().contains("Press Ctrl-C"), java.time.Duration.ofSeconds(20), "the serve banner");
            assertThat(out.toString()).contains("public: anyone who can connect may fetch an image",
                    "at most 4 connections per address");
        } finally {
            serve.interrupt();
            serve.join(20_000);
        }
    }

    @Test
    void serveAnswersOverTlsJournalsAndStops(@TempDir Path lab) throws Exception {
        assertThat(CliTestSupport.run("--lab", lab.toString(), "pki", "init").exitCode()).isZero();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(WorkbenchCli.newCommandLine(new PrintWriter(out, true),
                new PrintWriter(err, true)).execute("--lab", lab.toString(), "serve", "--port", "0")));
        serve.start();
        // The banner ends with the Ctrl-C hint once the server is up.
        Waits.until(() -> out.toString().contains("Press Ctrl-C"), java.time.Duration.ofSeconds(20),
                () -> "the serve banner; it printed:\n" + out + "\n" + err);
        Matcher m = Pattern.compile("listening on (https://\\S+/)").matcher(out.toString());
        assertThat(m.find()).as(out + "\n" + err).isTrue();
        // The lab is not the current folder: the hint names the CA by a path that works from here.
        assertThat(out.toString()).contains("devices/devices.json", "sessions/",
                "curl --cacert " + lab.toAbsolutePath().resolve("certs/ca.pem"),
                "need a device's API key", "at most 16 connections per address");

        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(new LabPki(lab.resolve("certs")).trustStore());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "api/v1/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        serve.interrupt();
        serve.join(20_000);
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).as(err.toString()).isZero();
        try (var sessions = Files.list(lab.resolve("sessions"))) {
            Path session = sessions.findFirst().orElseThrow();
            String journal = Files.readString(session.resolve("journal.jsonl"));
            assertThat(journal).contains("\"type\":\"http.request\"", "/api/v1/health", "\"cipher_suite\"",
                    "\"type\":\"server.stopped\"");
        }
    }

    @Test
    void serveCreatesTheLabPkiOnFirstUseAndRefusesAnUnpublishedDeployment(@TempDir Path lab) {
        CliTestSupport.Run run = CliTestSupport.run("--lab", lab.toString(), "serve", "--port", "0",
                "--deploy", "shop-display=9.9.9");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).contains("Created the lab PKI");
        assertThat(run.err()).contains("9.9.9");
        assertThat(new LabPki(lab.resolve("certs")).initialized()).isTrue();
    }
}
