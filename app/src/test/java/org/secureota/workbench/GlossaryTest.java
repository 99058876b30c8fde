package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.scenario.DemoScript;
import org.secureota.workbench.scenario.ScenarioRun;
import org.secureota.workbench.scenario.ScriptReader;
import org.secureota.workbench.scenario.Step;
import org.junit.jupiter.api.Tag;

/**
 * The French texts use one term per concept: docs/glossaire.md lists, for each concept, the variants
 * not to write, and no French text of the scripts, the attacker's panel or the window contains one.
 * The table is read from the glossary itself, so the document and the check cannot drift apart.
 */
@Tag("unit")
class GlossaryTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath().normalize();

    /** The forbidden variants of the glossary's tables (third column, each in backticks). */
    static List<String> forbiddenVariants() throws IOException {
        List<String> variants = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/glossaire.md"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("|") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.substring(1).split("\\|", -1);
            if (cells.length < 3) {
                continue;
            }
            Matcher m = Pattern.compile("`([^`]+)`").matcher(cells[2]);
            while (m.find()) {
                variants.add(m.group(1));
            }
        }
        return variants;
    }

    /**
     * A whole-word match. A variant in capitals (an acronym such as CA) matches exactly; one in lower case
     * also matches with its first letter capitalised, at the start of a sentence.
     */
    static Pattern pattern(String variant) {
        String body = variant.equals(variant.toUpperCase(java.util.Locale.ROOT)) ? Pattern.quote(variant)
                : "[" + variant.charAt(0) + Character.toUpperCase(variant.charAt(0)) + "]" + Pattern.quote(variant.substring(1));
        return Pattern.compile("(?<![\\p{L}\\p{N}_])" + body + "(?![\\p{L}\\p{N}_])");
    }

    /** Every French text, by where it comes from: bundle keys and each script's title, summary and narrations. */
    static Map<String, String> frenchTexts() throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String bundle : List.of("resources/i18n/attacks_fr.properties",
                "resources/org/secureota/workbench/ui/messages_fr.properties")) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(ROOT.resolve(bundle), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> texts.put(bundle + ": " + k, p.getProperty(k)));
        }
        ScriptReader reader = ScenarioRun.reader();
        List<Path> scripts;
        try (Stream<Path> list = Files.list(ROOT.resolve("demo-scripts"))) {
            scripts = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : scripts) {
            DemoScript s = reader.read(file);
            String at = "demo-scripts/" + file.getFileName();
            texts.put(at + ": title", s.title().fr());
            texts.put(at + ": summary", s.summary().fr());
            for (Step step : s.steps()) {
                texts.put(at + ": step " + step.index(), step.narration().fr());
            }
        }
        return texts;
    }

    @Test
    void theFrenchTextsUseOnlyTheGlossarysTermForEachListedConcept() throws Exception {
        List<String> variants = forbiddenVariants();
        assertThat(variants).as("variants read from docs/glossaire.md")
                .contains("CA", "retour en arrière", "anti-retour", "source d'heure", "négociation TLS", "écriture déchirée");
        Map<String, String> texts = frenchTexts();
        assertThat(texts).as("French texts found").hasSizeGreaterThan(300);
        List<String> found = new ArrayList<>();
        for (String v : variants) {
            Pattern p = pattern(v);
            texts.forEach((where, text) -> {
                if (p.matcher(text).find()) {
                    found.add(where + " writes '" + v + "' (docs/glossaire.md names the one term to use): " + text);
                }
            });
        }
        assertThat(found).as("French texts that use a variant the glossary forbids").isEmpty();
    }

    @Test
    void theMatchIsWholeWordWithAnOptionalCapitalFirstLetterAndExactForAcronyms() {
        assertThat(pattern("retour en arrière").matcher("Retour en arrière refusé.").find()).isTrue();
        assertThat(pattern("retour en arrière").matcher("un retour en arrière").find()).isTrue();
        assertThat(pattern("CA").matcher("émis par la CA du labo").find()).isTrue();
        assertThat(pattern("CA").matcher("l'AC du labo, CA_CERT, ça, Canada").find()).isFalse();
        assertThat(pattern("hash").matcher("HASH_MISMATCH, écran HASH INVALID").find()).isFalse();
        assertThat(pattern("hash").matcher("le hash diffère").find()).isTrue();
        assertThat(pattern("annulé").matcher("annulée").find()).isFalse();
    }
}
