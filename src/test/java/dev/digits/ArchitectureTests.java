package dev.digits;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The layering of the code, checked on the compiled main classes (tests may reach anywhere).
 *
 * <ul>
 *   <li>The engine ({@code model}, {@code data}, {@code images}, {@code training}) is plain Java over
 *       DJL: it knows neither HTTP nor the features that serve it.</li>
 *   <li>{@code web} (problem details, request limits, error pages) serves every feature and names none:
 *       features declare their problems ({@link dev.digits.problems.ProblemException}), their body
 *       limits ({@link dev.digits.web.BodyLimit}) and their protocols' error bodies
 *       ({@link dev.digits.web.ProtocolErrors}) to it.</li>
 *   <li>{@code problems} is the bottom: every package may throw its exceptions; it uses nothing of
 *       ours and no framework.</li>
 *   <li>{@code jobs} trains and evaluates through the engine and the registry, never through
 *       {@code inference}.</li>
 *   <li>{@code storage} itself (its ports and helpers, e.g. {@code AtomicFiles}, {@code BlobStore}) is
 *       low-level. Its adapters ({@code storage.filesystem}, and any other subpackage) are the outermost
 *       ring: they implement the repository ports that the features declare ({@code ModelRepository},
 *       {@code JobRepository}, {@code DatasetRepository}), so they depend on those features, and nothing
 *       names them, Spring wires them.</li>
 *   <li>No two packages depend on each other, directly or round a cycle; the adapters are a slice of
 *       their own for this (see {@link #SLICES}).</li>
 * </ul>
 */
@AnalyzeClasses(packages = "dev.digits", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    private static final String[] ENGINE = {"dev.digits.model..", "dev.digits.data..", "dev.digits.images..",
            "dev.digits.training.."};

    private static final String[] SPRING_WEB = {"org.springframework.web..", "org.springframework.http..",
            "jakarta.servlet.."};

    /** Where the store's adapters live: every subpackage of {@code storage}. */
    private static final String STORAGE_ADAPTERS = "dev.digits.storage.*..";

    /** The rules on adapters allow an empty match; this keeps their pattern from matching nothing by mistake. */
    @ArchTest
    static void theAdapterPatternMeansTheSubpackagesOfStorage(JavaClasses classes) {
        assertThat(classes.that(resideInAPackage(STORAGE_ADAPTERS)).stream().map(JavaClass::getName))
                .containsExactlyInAnyOrderElementsOf(classes.stream()
                        .filter(c -> c.getPackageName().startsWith("dev.digits.storage.")).map(JavaClass::getName)
                        .toList());
    }

    @ArchTest
    static final ArchRule engineKnowsNoFeature = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("dev.digits.web..", "dev.digits.security..",
                    "dev.digits.inference..", "dev.digits.jobs..", "dev.digits.registry..", "dev.digits.datasets..",
                    STORAGE_ADAPTERS)
            .because("the engine is used by the features, not the other way round");

    @ArchTest
    static final ArchRule engineKnowsNoHttp = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage(SPRING_WEB)
            .because("the engine runs the same in a job, a command-line tool or a test as behind HTTP; its "
                    + "exceptions declare their problem through dev.digits.problems, which needs no HTTP library");

    @ArchTest
    static final ArchRule webKnowsNoFeature = noClasses().that().resideInAPackage("dev.digits.web..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.digits.inference..", "dev.digits.jobs..",
                    "dev.digits.registry..", "dev.digits.datasets..", "dev.digits.model..", "dev.digits.images..",
                    "dev.digits.training..", "dev.digits.data..", "dev.digits.security..", STORAGE_ADAPTERS)
            .because("features contribute to the web layer (ProblemException, BodyLimit and ProtocolErrors "
                    + "beans) instead of being named by it");

    @ArchTest
    static final ArchRule problemsAreTheBottom = noClasses().that().resideInAPackage("dev.digits.problems..")
            .should().dependOnClassesThat().resideOutsideOfPackages("dev.digits.problems..", "java..")
            .because("every package, the engine included, declares its problems with it");

    @ArchTest
    static final ArchRule jobsDoNotGoThroughInference = noClasses().that().resideInAPackage("dev.digits.jobs..")
            .should().dependOnClassesThat().resideInAPackage("dev.digits.inference..")
            .because("jobs train and evaluate through the engine and the registry; what jobs and inference both "
                    + "need (the overload problem, say) lives lower");

    @ArchTest
    static final ArchRule storageKnowsNoFeature = noClasses().that().resideInAPackage("dev.digits.storage")
            .should().dependOnClassesThat().resideInAnyPackage("dev.digits.web..", "dev.digits.inference..",
                    "dev.digits.jobs..", "dev.digits.datasets..", "dev.digits.registry..", "dev.digits.security..",
                    STORAGE_ADAPTERS)
            .allowEmptyShould(true)
            .because("the store's ports and helpers are used by the engine and the features alike");

    @ArchTest
    static final ArchRule storageAdaptersStayBehindThePorts = noClasses().that().resideInAPackage(STORAGE_ADAPTERS)
            .should().dependOnClassesThat().resideInAnyPackage("dev.digits.web..", "dev.digits.inference..",
                    "dev.digits.security..")
            .allowEmptyShould(true)
            .because("an adapter implements the repository ports of registry, jobs and datasets; it does not "
                    + "serve requests");

    @ArchTest
    static final ArchRule storageAdaptersAreNamedByNoOne = noClasses().that().resideOutsideOfPackage(STORAGE_ADAPTERS)
            .should().dependOnClassesThat().resideInAPackage(STORAGE_ADAPTERS)
            .because("features use the ports; which adapter implements them is configuration (digits.store)");

    /** Top-level packages, except that each adapter of {@code storage} is a slice of its own. */
    static final SliceAssignment SLICES = new SliceAssignment() {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String[] names = javaClass.getPackageName().split("\\.");
            if (names.length < 3 || !names[0].equals("dev") || !names[1].equals("digits")) {
                return SliceIdentifier.ignore(); // the application class and shared settings, and libraries
            }
            if (names[2].equals("storage") && names.length > 3) {
                return SliceIdentifier.of("storage." + names[3]);
            }
            return SliceIdentifier.of(names[2]);
        }

        @Override
        public String getDescription() {
            return "top-level packages of dev.digits, each storage adapter apart";
        }
    };

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().assignedFrom(SLICES).should().beFreeOfCycles();
}
