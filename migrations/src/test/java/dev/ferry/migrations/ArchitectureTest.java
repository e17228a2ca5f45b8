package dev.ferry.migrations;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Steps and the LNMP knowledge see ports, never the adapters' libraries or the database: these rules keep
 * the pure core pure. Building fabric8 model objects (plain data) is allowed; calling the client is not.
 */
@AnalyzeClasses(packages = "dev.ferry.migrations", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noSshLibrary = noClasses().that().resideInAPackage("dev.ferry.migrations..")
            .should().dependOnClassesThat().resideInAnyPackage("net.schmizz..", "com.hierynomus..")
            .because("remote commands go through the RemoteShell port");

    @ArchTest
    static final ArchRule noKubernetesClient = noClasses().that().resideInAPackage("dev.ferry.migrations..")
            .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..")
            .because("cluster calls go through the cluster port; model classes are fine");

    @ArchTest
    static final ArchRule noDatabase = noClasses().that().resideInAPackage("dev.ferry.migrations..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "javax.sql..",
                    "org.flywaydb..", "org.h2..", "org.postgresql..")
            .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.ferry.state.Store")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.ferry.state.event.EventLog")
            .because("steps read and write state only through their StepContext");

    @ArchTest
    static final ArchRule noDaemon = noClasses().that().resideInAPackage("dev.ferry.migrations..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.ferry.daemon..", "org.quartz..", "io.javalin..")
            .because("dependencies point daemon -> migrations -> state");
}
