package dev.attentive.runtime;

import dev.attentive.api.Features;
import dev.attentive.api.ItemId;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link CrashRecoveryTest}: serves from a config file and changes the catalogue (or
 * retrains) in a loop, printing each acknowledged step to stdout, until the test kills it with
 * {@code destroyForcibly()} (SIGKILL on Linux). Lines:
 * <pre>
 * READY generation
 * ACK id             after catalogue().put(id, features(i)) returned
 * REMOVING id        before catalogue().remove(id) is called
 * REMOVED id         after it returned
 * RETRAIN            before retrain() is called
 * COMMITTED g        after retrain() returned, serving generation g
 * </pre>
 */
public final class CrashChild {
    private CrashChild() {
    }

    /**
     * The features of the i-th item the child puts (the test recomputes them to compare).
     *
     * @param i the item's number
     * @return its features, in the synthetic data's item schema
     */
    static Features features(int i) {
        return Features.builder().categorical("genre", "g" + i % 4).numeric("quality", (i % 10) / 10.0)
                .categorical("color", "c" + i % 6).multi("tags", List.of("tag" + i % 20)).numeric("weight", i % 7)
                .build();
    }

    /**
     * Runs the child.
     *
     * @param args {@code catalogue|retrain CONFIG_FILE}
     */
    public static void main(String[] args) {
        String mode = args[0];
        try (ServingRecommender served = Attentive.fromConfig(Path.of(args[1])).build()) {
            System.out.println("READY " + served.generation());
            System.out.flush();
            for (int i = 0; ; i++) {
                if (mode.equals("retrain") && i % 5 == 4) {
                    System.out.println("RETRAIN");
                    System.out.flush();
                    served.retrain();
                    System.out.println("COMMITTED " + served.generation());
                    System.out.flush();
                    continue;
                }
                String id = "crash-" + i;
                served.catalogue().put(ItemId.of(id), features(i));
                System.out.println("ACK " + id);
                System.out.flush();
                if (i % 4 == 3) {
                    String gone = "crash-" + (i - 2);
                    System.out.println("REMOVING " + gone);
                    System.out.flush();
                    served.catalogue().remove(ItemId.of(gone));
                    System.out.println("REMOVED " + gone);
                    System.out.flush();
                }
            }
        }
    }
}
