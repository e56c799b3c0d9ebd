package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.eval.fixtures.ShopSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line's face: exit statuses, one-line errors, what {@code --quiet} leaves out, progress
 * bars, and what {@code evaluate} prints besides its table (filters, inputs, significance). Every run
 * goes through {@link AttentiveCli#commandLine()} with its standard output and error captured.
 */
class AttentiveCliTest {
    @TempDir
    Path dir;

    /** A finished run: its exit status and what it wrote. */
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = AttentiveCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @AfterEach
    void terminalAsTheSystemSays() {
        CliOutput.terminalOverride = null;
    }

    @Test
    void pluginsListsTheProvidersOfEveryModuleOnTheClassPath() {
        Run r = run("plugins");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .contains("retrievers (")
                .contains("  exact ")
                .contains("  mean ");
    }

    @Test
    void anUnknownModelIsOneLineAndExitTwoBeforeAnyDataLoads() {
        // The data folder does not exist: had the data been loaded first, the error would say so.
        Run r = run("evaluate", "--dataset", "ml-100k", "--data-dir", dir.resolve("nowhere").toString(),
                "--models", "popp", "--out", dir.resolve("out").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: Cannot run the models: unknown model 'popp' (available: bpr, "
                + "ease, fm, itemknn, pop, random, test-internal-failure, two-stage, two-tower); did you mean 'pop'?");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMalformedDataLineIsOneLineNamingFileLineAndField() throws IOException {
        Path spec = ShopSpec.write(dir, "user_id,sku,qty,ts,channel\nu1,s1,2,2024-01-02 03:04:05,web\n"
                + "u2,s2,lots,2024-01-01 00:00:00,app\n", "id\tage\tcity\nu1\t31\tParis\nu2\t40\tRome\n", "s1::a\ns2::b\n");
        Run r = run("evaluate", "--dataset", "spec:" + spec, "--models", "pop", "--out", dir.resolve("out").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: " + dir.resolve("events.csv") + ":3 field 'qty': "
                + "expected a finite number, got 'lots'");
    }

    @Test
    void aMissingDataFolderIsOneLineWithThePath() {
        Path missing = dir.resolve("missing");
        Run r = run("evaluate", "--dataset", "ml-100k", "--data-dir", missing.toString(), "--models", "pop",
                "--out", dir.resolve("out").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: No folder " + missing.resolve("ml-100k") + " for dataset "
                + "'ml-100k'; --data-dir must name the folder that holds ml-100k/ (fetch it with the fetch command)");
    }

    @Test
    void anUnknownOptionIsOneLineWithASuggestionAndWhereTheHelpIs() {
        Run r = run("evaluate", "--dataset", "synthetic", "--models", "pop", "--seed=3");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: Unknown option: '--seed=3'; did you mean --seeds? "
                + "(see 'attentive evaluate --help')");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void quietAndVerboseTogetherAreBadUsage() {
        Run r = run("--quiet", "--verbose", "plugins");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: --quiet and --verbose cannot be used together "
                + "(see 'attentive --help')");
    }

    @Test
    void anInternalFailureIsExitOneWithAHintAndItsStackTraceOnlyWhenVerbose() {
        Run r = run("evaluate", "--dataset", "synthetic", "--models", FailingModelProvider.NAME, "--k-core", "5",
                "--threads", "1", "--out", dir.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("error: internal failure: java.lang.IllegalStateException: "
                + FailingModelProvider.MESSAGE + " (rerun with --verbose for the stack trace)");

        Run verbose = run("evaluate", "--verbose", "--dataset", "synthetic", "--models", FailingModelProvider.NAME,
                "--k-core", "5", "--threads", "1", "--out", dir.resolve("out").toString());
        assertThat(verbose.status()).isEqualTo(1);
        assertThat(verbose.errLines().get(0)).isEqualTo("error: internal failure: java.lang.IllegalStateException: "
                + FailingModelProvider.MESSAGE);
        assertThat(verbose.err()).contains("at dev.attentive.examples.FailingModelProvider.train(");
    }

    @Test
    void quietPrintsResultsButNoProgressNarrationOrLogs() {
        CliOutput.terminalOverride = true;
        String[] args = {"evaluate", "--dataset", "synthetic", "--models", "pop,bpr[epochs=2,dim=8]", "--k-core", "5",
                "--threads", "1", "--no-default-grids", "--out", dir.resolve("out").toString()};
        // Where standard error is a terminal, a normal run draws a bar per training, with its epochs...
        Run normal = run(args);
        assertThat(normal.status()).as(normal.err()).isZero();
        assertThat(normal.err()).contains("\r[1/2] pop seed 2020", "\r[2/2] bpr[epochs=2,dim=8] seed 2020", "2/2 epochs");
        assertThat(normal.out()).contains("synthetic after filtering:", "Wrote ");
        // ... and --quiet, with everything else the same, draws none and narrates nothing.
        String[] quietArgs = new String[args.length + 1];
        quietArgs[0] = "--quiet";
        System.arraycopy(args, 0, quietArgs, 1, args.length);
        Run quiet = run(quietArgs);
        assertThat(quiet.status()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).doesNotContain("after filtering", "Wrote ", "cleaning:", "\r")
                .contains("seed 2020: train ", "  pop ", "  bpr[epochs=2,dim=8] ", "paired comparisons", "inputs (");
    }

    @Test
    void noBarsWhereStandardErrorIsNoTerminal() {
        CliOutput.terminalOverride = false;
        Run r = run("evaluate", "--dataset", "synthetic", "--models", "pop", "--k-core", "5", "--threads", "1",
                "--out", dir.resolve("out").toString());
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void evaluateSaysWhatTheRatingFilterDroppedWithTheCount() throws IOException {
        StringBuilder events = new StringBuilder("user_id,sku,qty,ts,channel\n");
        int total = 0;
        int below = 0;
        for (int u = 0; u < 40; u++) {
            for (int k = 0; k < 10; k++) {
                int qty = 1 + (u * 3 + k * 7) % 5;
                events.append("u").append(u).append(",s").append((u * 11 + k * 7) % 100).append(',').append(qty)
                        .append(",2024-01-01 00:00:").append(String.format(Locale.ROOT, "%02d", k)).append(",web\n");
                total++;
                below += qty < 3 ? 1 : 0;
            }
        }
        StringBuilder users = new StringBuilder("id\tage\tcity\n");
        for (int u = 0; u < 40; u++) {
            users.append("u").append(u).append('\t').append(20 + u).append("\tc").append(u % 3).append('\n');
        }
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            items.append("s").append(i).append("::t").append(i % 4).append('\n');
        }
        Path spec = ShopSpec.write(dir, events.toString(), users.toString(), items.toString());
        Run r = run("evaluate", "--dataset", "spec:" + spec, "--models", "pop,random", "--k-core", "1", "--threads", "1",
                "--out", dir.resolve("out").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(below).as("the data has ratings below 3").isPositive();
        assertThat(r.out()).contains(String.format(Locale.ROOT,
                "filter: min rating 3 dropped %,d of %,d interactions (%.1f %%)%n", below, total, 100.0 * below / total));
    }

    @Test
    void evaluatePrintsEachModelsInputsAndTheSignificanceTable() throws IOException {
        Path out = dir.resolve("out");
        Run r = run("evaluate", "--dataset", "synthetic", "--models", "pop,random,two-tower[epochs=1,dim=8]",
                "--k-core", "5", "--threads", "1", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("inputs (beside the interactions):\n"
                + String.format(Locale.ROOT, "  %-28s %s%n", "pop", "interactions only")
                + String.format(Locale.ROOT, "  %-28s %s%n", "random", "interactions only"));
        // The two-tower model embeds every user and item field of the synthetic data, and recent items.
        assertThat(r.out()).containsPattern("  two-tower\\[epochs=1,dim=8\\] +user: [a-z_]+(, [a-z_]+)+; "
                + "item: [a-z_]+(, [a-z_]+)+; recent items \\(mean, static\\)\n");
        // One row per pair and metric, with the numbers of results.json.
        JsonNode results = JsonMapper.builder().build().readTree(Files.readString(out.resolve("results.json")));
        assertThat(results.get("comparisons")).hasSize(6);
        assertThat(r.out()).contains("paired comparisons per user and seed (* where t-test and Wilcoxon p < 0.05, "
                + "uncorrected):");
        for (JsonNode c : results.get("comparisons")) {
            String row = String.format(Locale.ROOT, "  %-28s %-28s %-10s %+8.4f  [%+.4f, %+.4f]", c.get("a").asString(),
                    c.get("b").asString(), c.get("metric").asString(), c.get("mean_diff").asDouble(),
                    c.get("ci95").get(0).asDouble(), c.get("ci95").get(1).asDouble());
            assertThat(r.out()).contains(row);
        }
    }

    @Test
    void trainingLogsOneSummaryAndItsEpochsOnlyAtDebugAndTheCommandLinePrintsEachEventOnce() {
        CliOutput.terminalOverride = false;
        String[] args = {"evaluate", "--dataset", "synthetic", "--models", "two-tower[epochs=2,dim=8]", "--k-core", "5",
                "--threads", "1", "--out", dir.resolve("out").toString()};
        Run normal = run(args);
        assertThat(normal.status()).as(normal.err()).isZero();
        // The library's INFO summary would repeat the table row, and epochs are a progress bar's business.
        assertThat(normal.err()).isEmpty();
        assertThat(normal.out()).doesNotContain("epoch 1", "two-tower: trained");

        String[] verboseArgs = new String[args.length + 1];
        verboseArgs[0] = "--verbose";
        System.arraycopy(args, 0, verboseArgs, 1, args.length);
        Run verbose = run(verboseArgs);
        assertThat(verbose.status()).as(verbose.err()).isZero();
        String trainer = "[dev.attentive.model.train.Trainer] ";
        assertThat(verbose.errLines()).filteredOn(l -> l.startsWith("debug " + trainer + "two-tower epoch ")).hasSize(2);
        assertThat(verbose.errLines()).filteredOn(l -> l.contains(trainer)).filteredOn(l -> l.startsWith("info "))
                .singleElement().asString().startsWith("info " + trainer + "two-tower: trained 2 epochs in ")
                .contains("interactions/s), best epoch ");
    }

    @Test
    void aTrainingWithoutValidationNeverSaysNaN() {
        CliOutput.terminalOverride = false;
        String user = dev.attentive.eval.runner.Datasets.load("synthetic", null).interactions().get(0).user().value();
        Run r = run("recommend", "--verbose", "--dataset", "synthetic", "--user", user, "--model",
                "two-tower[epochs=2,dim=8]", "-k", "3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.errLines()).anyMatch(l -> l.startsWith("info [dev.attentive.model.train.Trainer] two-tower: "
                + "trained 2 epochs in ") && !l.contains("best epoch"));
        assertThat(r.err() + r.out()).doesNotContain("NaN");
    }
}
