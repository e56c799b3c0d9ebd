package dev.attentive.examples;

import dev.attentive.eval.data.MovieLensFetcher;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fetch}: downloads a MovieLens release from GroupLens into {@code --data-dir}, verifies the
 * published MD5, unzips it safely and moves it into place only when all went well (the work is the
 * library's {@link MovieLensFetcher}).
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download a MovieLens release (ml-100k, ml-1m, ml-latest-small, ml-20m, ml-25m), verify its checksum, unzip it.")
final class FetchCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    @Option(names = "--dataset", required = true, description = "ml-100k, ml-1m, ml-latest-small, ml-20m or ml-25m")
    String dataset;

    @Option(names = "--data-dir", description = "Folder to put <dataset>/ into (default: $ATTENTIVE_DATA_DIR, else ./data)")
    Path dataDir;

    @Option(names = "--base-url", description = "Where the zips and their .md5 files are (default: "
            + "https://files.grouplens.org/datasets/movielens/)")
    URI baseUrl = MovieLensFetcher.OFFICIAL;

    @Option(names = "--force", description = "Replace an existing <data-dir>/<dataset>/")
    boolean force;

    @Override
    public Integer call() {
        Path target = dataDir;
        if (target == null) {
            String env = System.getenv("ATTENTIVE_DATA_DIR");
            target = env == null || env.isBlank() ? Path.of("data") : Path.of(env);
        }
        CliOutput out = root.output();
        out.info("Fetching " + baseUrl.resolve(dataset + ".zip") + " into " + target);
        Path folder;
        CliOutput.Progress bar = out.progress("fetching " + dataset, -1, "");
        try {
            folder = new MovieLensFetcher(baseUrl).fetch(dataset, target, force);
        } finally {
            bar.close();
        }
        out.result("Done: " + folder + " (MD5 verified against " + baseUrl.resolve(dataset + ".zip.md5") + ")");
        return 0;
    }
}
