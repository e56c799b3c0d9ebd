package dev.attentive.examples.report;

import dev.attentive.eval.tune.ModelSearch;
import dev.attentive.eval.tune.Trial;
import dev.attentive.eval.tune.TuneResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Writes a tuning run's outputs: everything {@link ExperimentReports} writes for the test run, with
 * {@code results.json} carrying the search ({@link TuneResult#toJson()}), a tuning section in
 * {@code report.md} and {@code report.html}, and {@code search-curve.png}: the best validation NDCG@10
 * so far by trial, per model. Stateless and thread safe.
 */
public final class TuneReports {
    private TuneReports() {
    }

    /**
     * Writes every output of a tuning run into a folder (created if needed), each file atomically.
     *
     * @param result the searches, with or without test results
     * @param folder the output folder
     * @throws UncheckedIOException when the folder cannot be written
     */
    public static void write(TuneResult result, Path folder) {
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(folder);
            if (result.test() != null) {
                ExperimentReports.write(result.test(), folder);
            }
            searchCurve(result, folder);
            result.writeJson(folder.resolve("results.json"));
            String md = result.test() != null ? ExperimentReports.markdown(result.test())
                    : "# " + result.dataset() + " — protocol " + result.protocol() + "\n\n";
            ExperimentReports.writeAtomically(folder.resolve("report.md"), md + markdown(result));
            String html = result.test() != null ? ExperimentReports.html(result.test())
                    : "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tuning</title></head><body>\n"
                            + "</body></html>\n";
            int end = html.lastIndexOf("</body>");
            ExperimentReports.writeAtomically(folder.resolve("report.html"),
                    html.substring(0, end) + html(result) + html.substring(end));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write results to " + folder, e);
        }
    }

    private static void searchCurve(TuneResult r, Path folder) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(440).title("Search curve (" + r.dataset()
                + ", validation seeds " + r.tuneSeeds() + ")").xAxisTitle("trial").yAxisTitle("best validation NDCG@10 so far")
                .build();
        for (ModelSearch s : r.searches().values()) {
            double[] x = s.trials().stream().filter(t -> !Double.isNaN(t.bestSoFar())).mapToDouble(t -> t.index() + 1).toArray();
            double[] y = s.trials().stream().filter(t -> !Double.isNaN(t.bestSoFar())).mapToDouble(Trial::bestSoFar).toArray();
            if (x.length > 0) {
                chart.addSeries(s.label(), x, y);
            }
        }
        ExperimentReports.saveAtomically(chart, folder.resolve("search-curve"));
    }

    static String markdown(TuneResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "## Tuning%n%nRandom search, search seed %d, budget %d trials%s per model; "
                + "chosen on validation NDCG@10 of seeds %s (test never read during the search); trial 0 %s.%n%n",
                r.searchSeed(), r.budget().trials(), r.budget().seconds() > 0
                        ? String.format(Locale.ROOT, " or %.0f s", r.budget().seconds()) : "",
                r.tuneSeeds(), r.startedFromDefaults() ? "runs the model's defaults" : "is drawn at random"));
        sb.append("| model | trials | search s | stopped by | defaults valid NDCG@10 | chosen valid NDCG@10 | chosen trial "
                + "| chosen settings |\n|---|---:|---:|---|---:|---:|---:|---|\n");
        for (ModelSearch s : r.searches().values()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %.4f | %d | %s |%n", s.label(),
                    s.trials().size(), s.seconds(), s.stoppedBy(),
                    r.startedFromDefaults() ? String.format(Locale.ROOT, "%.4f", s.trials().get(0).validNdcg10()) : "—",
                    s.chosenValidNdcg10(), s.chosenTrial(), s.chosen()));
        }
        sb.append("\n![Search curve](search-curve.png)\n\n");
        for (ModelSearch s : r.searches().values()) {
            sb.append("### ").append(s.label()).append(" trials\n\nSpace: ").append(s.space())
                    .append(s.fixed().isEmpty() ? "" : "; fixed: " + s.fixed()).append("\n\n")
                    .append("| trial | valid NDCG@10 | best so far | s | settings |\n|---:|---:|---:|---:|---|\n");
            for (Trial t : s.trials()) {
                sb.append(String.format(Locale.ROOT, "| %d | %s | %.4f | %.1f | %s |%n", t.index(),
                        t.succeeded() ? String.format(Locale.ROOT, "%.4f", t.validNdcg10()) : "failed: " + t.error(),
                        t.bestSoFar(), t.seconds(), t.settings()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String html(TuneResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<h2>Tuning</h2>%n<p>Random search, search seed %d, budget %d trials per model; "
                + "chosen on validation NDCG@10 of seeds %s (test never read during the search).</p>%n", r.searchSeed(),
                r.budget().trials(), r.tuneSeeds()));
        sb.append("<table><tr><th>model</th><th>trials</th><th>search s</th><th>chosen valid NDCG@10</th><th>chosen trial</th>"
                + "<th>chosen settings</th></tr>\n");
        for (ModelSearch s : r.searches().values()) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.4f</td><td>%d</td><td>%s</td></tr>%n",
                    ExperimentReports.escape(s.label()), s.trials().size(), s.seconds(), s.chosenValidNdcg10(),
                    s.chosenTrial(), ExperimentReports.escape(s.chosen().toString())));
        }
        return sb.append("</table>\n<p><img src=\"search-curve.png\" alt=\"search curve\"></p>\n").toString();
    }
}
