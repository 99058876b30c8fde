package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The worked example in docs/manifest.md is a real, verifiable manifest, and says what it shows. */
@Tag("integration")
class ManifestDocExampleTest {

    static String doc() throws Exception {
        Path root = Path.of(System.getProperty("workbench.projectRoot", "."));
        return Files.readString(root.resolve("docs/manifest.md"));
    }

    static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("docs/manifest.md contains %s", regex).isTrue();
        return m.group(1);
    }

    @Test
    void workedExampleVerifiesAndMatchesItsImage() throws Exception {
        String doc = doc();
        String jws = find(doc, "^(eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86})$");
        String signingInput = find(doc, "^(eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+)$");
        String payloadJson = find(doc, "^(\\{\"v\":1,.*\\})$");
        String headerJson = find(doc, "^(\\{\"alg\":\"ES256\",\"typ\":\"ota-manifest\\+jws\",\"kid\":\"[0-9a-f]{16}\"\\})$");
        String pem = find(doc, "(-----BEGIN PUBLIC KEY-----[\\s\\S]+?-----END PUBLIC KEY-----)");
        PublicKey key;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            key = new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) parser.readObject());
        }

        assertThat(jws).startsWith(signingInput + ".");
        String[] parts = jws.split("\\.");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).isEqualTo(headerJson);
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).isEqualTo(payloadJson);
        assertThat(headerJson).contains(ManifestKeys.keyId(key));

        byte[] code = new byte[1024];
        for (int i = 0; i < code.length; i++) {
            code[i] = (byte) i;
        }
        byte[] image = AppImageBuilder.forChip(ChipId.HOST)
                .descriptor(new AppDescriptor(1, "2.0.0", "shop-display", "10:00:00", "Nov 24 2025", "v5.1.4", null))
                .segment(0x4008_0000L, code).build();
        assertThat(image).hasSize(1360);
        assertThat(image[1327]).isEqualTo((byte) AppImage.parse(image).storedChecksum());

        ManifestVerifier verifier = new ManifestVerifier(key);
        ManifestVerification during = verifier.verify(jws, Instant.parse("2025-12-01T00:00:00Z"), image);
        assertThat(during.isAccepted()).as(during.reason()).isTrue();
        assertThat(during.manifest().issuedAt()).isEqualTo(Instant.parse("2025-11-24T16:00:00Z"));
        assertThat(during.manifest().expiresAt()).isEqualTo(Instant.parse("2025-12-24T16:00:00Z"));
        assertThat(verifier.verify(jws, Instant.parse("2025-12-24T16:00:00Z")).refusal()).isEqualTo(ManifestRefusal.EXPIRED);
    }

    @Test
    void everyRefusalCodeIsDocumented() throws Exception {
        String doc = doc();
        for (ManifestRefusal code : ManifestRefusal.values()) {
            assertThat(doc).contains("| `" + code.name() + "` |");
        }
    }
}
