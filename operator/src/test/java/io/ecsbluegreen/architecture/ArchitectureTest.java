package io.ecsbluegreen.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The layering the build keeps, read from the compiled classes of all three modules: the reconcile path has
 * no package cycle, the core (model, spec, plan and the observed state the planner reads) uses nothing but
 * itself, the JDK, SnakeYAML and Jackson, nothing outside the simulator uses the simulator, and CDI lives
 * in {@code app} alone.
 */
class ArchitectureTest {
    static final String BASE = "io.ecsbluegreen";
    static final String[] CORE = {BASE + ".model..", BASE + ".spec..", BASE + ".plan..", BASE + ".observed.."};

    // test classes are left out wherever they come from: a module's test-classes or the simulator's test-jar
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages(BASE);

    @Test
    void theImportSeesEveryModule() {
        assertThat(MAIN.containPackage(BASE + ".plan")).as("core").isTrue();
        assertThat(MAIN.containPackage(BASE + ".sim")).as("simulator").isTrue();
        assertThat(MAIN.containPackage(BASE + ".loop")).as("operator").isTrue();
        assertThat(MAIN.containPackage(BASE + ".architecture.fixture.a")).as("test classes are not imported").isFalse();
        assertThat(MAIN.stream().map(c -> c.getSimpleName())).as("nor the simulator's test-jar").doesNotContain("SimClients");
    }

    @Test
    void noPackageCycleAnywhere() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theCoreUsesOnlyItselfTheJdkSnakeYamlAndJackson() {
        classes().that().resideInAnyPackage(CORE).should().onlyDependOnClassesThat()
                .resideInAnyPackage(concat(CORE, "java..", "org.yaml.snakeyaml..", "com.fasterxml.jackson.."))
                .check(MAIN);
    }

    @Test
    void nothingButTheSimulatorUsesTheSimulator() {
        noClasses().that().resideOutsideOfPackage(BASE + ".sim..").should().dependOnClassesThat()
                .resideInAPackage(BASE + ".sim..").check(MAIN);
    }

    @Test
    void theSimulatorUsesOnlyTheCoreOfTheProject() {
        classes().that().resideInAPackage(BASE + ".sim..").should().onlyDependOnClassesThat()
                .resideInAnyPackage(concat(CORE, BASE + ".sim..", "java..", "javax..", "com.sun.net.httpserver..",
                        "com.fasterxml.jackson..", "org.yaml.snakeyaml.."))
                .check(MAIN);
    }

    @Test
    void nothingDependsOnTheWiring() {
        noClasses().that().resideOutsideOfPackage(BASE + ".app..").should().dependOnClassesThat()
                .resideInAPackage(BASE + ".app..").check(MAIN);
    }

    @Test
    void cdiIsUsedInAppAlone() {
        noClasses().that().resideOutsideOfPackage(BASE + ".app..").should().dependOnClassesThat()
                .resideInAnyPackage("jakarta.inject..", "jakarta.enterprise..", "io.quarkus.arc..").check(MAIN);
    }

    @Test
    void theCycleRuleFindsADeliberateCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages(BASE + ".architecture.fixture");
        ArchRule rule = slices().matching(BASE + ".architecture.fixture.(*)..").should().beFreeOfCycles();
        assertThatThrownBy(() -> rule.check(fixture)).hasMessageContaining("Cycle detected")
                .hasMessageContaining("fixture.a.Left").hasMessageContaining("fixture.b.Right");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
