package dev.attentive.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Access to the real benchmark datasets, which are never committed: tests read the folder named by
 * the environment variable {@value #ENV} and are skipped, with a message saying so, where it is
 * unset. Every call prints a line {@code [real-data] running …} or {@code [real-data] skipped …} so
 * that CI can count them.
 *
 * @since 0.1.0
 */
public final class RealData {
    /** The environment variable naming the datasets folder. */
    public static final String ENV = "ATTENTIVE_DATA_DIR";

    private RealData() {
    }

    /**
     * The folder of one dataset, or a skipped test when it is not available.
     *
     * @param dataset the sub-folder, such as {@code "ml-100k"}
     * @param test the test's name, for the log line
     * @return the folder
     */
    public static Path require(String dataset, String test) {
        String dir = System.getenv(ENV);
        if (dir == null || dir.isBlank()) {
            System.out.println("[real-data] skipped " + test + ": " + ENV + " is unset");
            Assumptions.abort(ENV + " is unset: set it to the folder holding " + dataset + "/ to run " + test);
        }
        Path path = Path.of(dir).toAbsolutePath().resolve(dataset);
        if (!Files.isDirectory(path)) {
            System.out.println("[real-data] skipped " + test + ": " + path + " does not exist");
            Assumptions.abort(path + " does not exist: " + ENV + " must name the folder holding " + dataset + "/");
        }
        System.out.println("[real-data] running " + test + " on " + path);
        return path;
    }
}
