package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.attack.AttackCatalog;
import org.junit.jupiter.api.Tag;

@Tag("integration")
class AttackCommandTest {

    @Test
    void listPrintsEveryAttackWithItsVerdictInEnglishAndFrench() {
        CliTestSupport.Run en = CliTestSupport.run("attack", "list");
        assertThat(en.exitCode()).as(en.err()).isZero();
        AttackCatalog.all().forEach(a -> assertThat(en.out()).contains(a.id()));
        assertThat(en.out()).contains("HASH_MISMATCH", "Flipped bit in the image (one byte changed)", "offset=random");

        CliTestSupport.Run fr = CliTestSupport.run("attack", "list", "--lang", "fr");
        assertThat(fr.exitCode()).isZero();
        assertThat(fr.out()).contains("Un bit inversé dans l'image (octet modifié)", "stockage du serveur");
    }

    @Test
    void jsonListsIdsSurfacesParametersAndVerdicts() throws Exception {
        CliTestSupport.Run r = CliTestSupport.run("attack", "list", "--json", "--lang", "fr");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("language").asText()).isEqualTo("fr");
        assertThat(doc.get("attacks")).hasSize(AttackCatalog.all().size());
        JsonNode drop = null;
        for (JsonNode a : doc.get("attacks")) {
            if (a.get("id").asText().equals("dropped-connection")) {
                drop = a;
            }
        }
        assertThat(drop).as("dropped-connection in the list").isNotNull();
        assertThat(drop.get("acts_on").asText()).isEqualTo("network");
        assertThat(drop.get("expected_verdicts").get(0).asText()).isEqualTo("UPDATED");
        assertThat(drop.get("parameters").get(0).get("name").asText()).isEqualTo("bytes");
    }

    @Test
    void anUnknownLanguageIsRefused() {
        CliTestSupport.Run r = CliTestSupport.run("attack", "list", "--lang", "de");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--lang is 'de'");
    }
}
