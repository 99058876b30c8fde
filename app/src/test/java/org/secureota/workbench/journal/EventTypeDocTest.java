package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** docs/journal.md lists every event type of the catalogue, with its source and fields, and nothing else. */
@Tag("unit")
class EventTypeDocTest {

    private static final Path DOC = Path.of(System.getProperty("workbench.projectRoot", ".")).resolve("docs/journal.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+\\.[a-z_.]+)` \\| (\\w+) \\| ([^|]*) \\|", Pattern.MULTILINE);

    @Test
    void theDocumentAndTheCatalogueAgree() throws Exception {
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(Files.readString(DOC));
        while (m.find()) {
            documented.put(m.group(1), m.group(2) + " " + m.group(3).replace("`", "").replace(" ", ""));
        }
        Map<String, String> code = new LinkedHashMap<>();
        for (EventType t : EventType.values()) {
            code.put(t.wireName(), t.source().wireName() + " " + String.join(",", t.fields()));
        }
        assertThat(documented).as("rows of docs/journal.md vs EventType (wire name -> source and fields)")
                .containsExactlyInAnyOrderEntriesOf(code);
    }

    @Test
    void mainCodeAppendsOnlyCataloguedTypes() {
        // The string overloads stay for the transition (and for readers of old files); nothing in the
        // workbench itself may use them, so every type it emits is in the catalogue, hence in the doc.
        com.tngtech.archunit.core.domain.JavaClasses main = new com.tngtech.archunit.core.importer.ClassFileImporter()
                .withImportOption(com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.secureota.workbench");
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().doNotHaveFullyQualifiedName(Journal.class.getName())
                .should().callMethod(Journal.class, "append", Source.class, String.class, String.class, String.class,
                        Map.class)
                .orShould().callMethod(Journal.class, "append", Source.class, String.class, String.class)
                .because("event types come from journal.EventType, documented in docs/journal.md")
                .check(main);
    }

    @Test
    void wireNamesAreUniqueAndFoundAgain() {
        List<String> names = Arrays.stream(EventType.values()).map(EventType::wireName).toList();
        assertThat(names).doesNotHaveDuplicates();
        for (EventType t : EventType.values()) {
            assertThat(EventType.fromWireName(t.wireName())).contains(t);
        }
        assertThat(EventType.fromWireName("no.such")).isEmpty();
    }
}
