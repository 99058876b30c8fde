package org.secureota.workbench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Tag;

/** Keeps the dependency arrows of docs/architecture.md: ui -> scenario -> session -> actors -> foundations. */
@AnalyzeClasses(packages = "org.secureota.workbench", importOptions = ImportOption.DoNotIncludeTests.class)
@Tag("unit")
class ArchitectureTest {

    private static final String ROOT = "org.secureota.workbench.";

    @ArchTest
    static final ArchRule onlyTheUiUsesJavaFx = noClasses()
            .that().resideOutsideOfPackages(ROOT + "ui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.testfx..")
            .because("the whole lab must run headless, without JavaFX on the class path of the core");

    @ArchTest
    static final ArchRule layersPointOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy(ROOT + "cli..")
            .layer("ui").definedBy(ROOT + "ui..")
            .layer("scenario").definedBy(ROOT + "scenario..")
            .layer("session").definedBy(ROOT + "session..")
            .layer("server").definedBy(ROOT + "server..")
            .layer("network").definedBy(ROOT + "network..")
            .layer("device").definedBy(ROOT + "device..")
            .layer("attack").definedBy(ROOT + "attack..")
            .layer("pki").definedBy(ROOT + "pki..")
            .layer("firmware").definedBy(ROOT + "firmware..")
            .layer("journal").definedBy(ROOT + "journal..")
            .layer("foundation").definedBy(ROOT + "foundation..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("ui").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("scenario").mayOnlyBeAccessedByLayers("ui", "cli")
            .whereLayer("session").mayOnlyBeAccessedByLayers("scenario", "ui", "cli")
            .whereLayer("server").mayOnlyBeAccessedByLayers("session", "attack", "scenario", "ui", "cli")
            .whereLayer("network").mayOnlyBeAccessedByLayers("session", "attack", "scenario", "ui", "cli")
            .whereLayer("device").mayOnlyBeAccessedByLayers("session", "scenario", "ui", "cli")
            .whereLayer("attack").mayOnlyBeAccessedByLayers("session", "scenario", "ui", "cli")
            .whereLayer("pki").mayOnlyBeAccessedByLayers("session", "server", "network", "device", "attack", "scenario", "ui", "cli", "firmware")
            .whereLayer("firmware").mayOnlyBeAccessedByLayers("session", "server", "network", "device", "attack", "scenario", "ui", "cli")
            .whereLayer("journal").mayOnlyBeAccessedByLayers("session", "server", "network", "device", "attack", "scenario", "ui", "cli")
            .whereLayer("foundation").mayOnlyBeAccessedByLayers("session", "server", "network", "device", "attack", "scenario", "ui", "cli", "pki", "firmware", "journal");
}
