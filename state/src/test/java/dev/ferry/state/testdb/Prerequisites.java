package dev.ferry.state.testdb;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that what a fixture needs from the machine is there (root, Debian packages), failing with a
 * message that says how to get it: a missing prerequisite is an error, never a reason to skip.
 */
public final class Prerequisites {
    private static final String INSTALL_HINT = "run scripts/install-test-deps.sh (as root) to install the test prerequisites";

    private Prerequisites() {
    }

    public static boolean runningAsRoot() {
        return Command.of("id", "-u").runOrThrow().stdout().strip().equals("0");
    }

    public static void requireRoot(String fixture, String why) {
        if (!runningAsRoot()) {
            throw new FixtureException(fixture + " must run as root (" + why + "); the tests run as "
                    + System.getProperty("user.name") + ". Run the test suite as root, as CI does (.ci/run).");
        }
    }

    /** Fails unless the program exists and is executable, naming the Debian package that provides it. */
    public static Path requireExecutable(String fixture, String program, String debianPackage) {
        Path path = Path.of(program);
        if (!Files.isExecutable(path)) {
            throw new FixtureException(fixture + " needs " + program + " from the Debian package " + debianPackage
                    + ", which is not installed: " + INSTALL_HINT + ".");
        }
        return path;
    }
}
