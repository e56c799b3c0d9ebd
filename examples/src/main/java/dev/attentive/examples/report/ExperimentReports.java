package dev.attentive.examples.report;

import dev.attentive.eval.metrics.Significance;
import dev.attentive.eval.runner.ExperimentResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Writes an experiment's outputs: {@code results.json} (through the library's
 * {@link ExperimentResult#writeJson}), {@code report.md}, {@code report.html} and the PNG plots they
 * show ({@code recall-at-k.png}: mean test Recall@K for K = 1..50; {@code ndcg-at-10.png}: test
 * NDCG@10 per model with a 95% bootstrap interval over users and seeds), drawn with XChart. Stateless
 * and thread safe.
 */
public final class ExperimentReports {
    /** The cut-offs of the Recall@K curve: the experiment runner scores test metrics at K = 1..50. */
    private static final int MAX_K = 50;
    private static final List<String> TABLE = List.of("recall@10", "ndcg@10", "mrr@10", "hit@10", "precision@10",
            "map@10", "coverage@10", "gini@10");

    private ExperimentReports() {
    }

    /**
     * Writes every output of an experiment into a folder (created if needed). Each file is written
     * under a temporary name and moved into place, so a failure never leaves a half-written file.
     *
     * @param result the results
     * @param folder the output folder
     * @throws UncheckedIOException when the folder cannot be written
     */
    public static void write(ExperimentResult result, Path folder) {
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(folder);
            plots(result, folder);
            result.writeJson(folder.resolve("results.json"));
            writeAtomically(folder.resolve("report.md"), markdown(result));
            writeAtomically(folder.resolve("report.html"), html(result));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write results to " + folder, e);
        }
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void plots(ExperimentResult r, Path folder) throws IOException {
        XYChart curve = new XYChartBuilder().width(720).height(440).title("Test Recall@K (" + r.dataset() + ", "
                + r.protocol() + ")").xAxisTitle("K").yAxisTitle("Recall@K").build();
        double[] ks = new double[MAX_K];
        for (int i = 0; i < ks.length; i++) {
            ks[i] = i + 1;
        }
        for (String model : r.models().keySet()) {
            double[] y = new double[ks.length];
            for (int i = 0; i < ks.length; i++) {
                y[i] = r.meanTest(model, "recall@" + (i + 1));
            }
            curve.addSeries(model, ks, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        saveAtomically(curve, folder.resolve("recall-at-k"));
        CategoryChart bars = new CategoryChartBuilder().width(720).height(440).title("Test NDCG@10 with 95% CI")
                .xAxisTitle("model").yAxisTitle("NDCG@10").build();
        List<String> names = new ArrayList<>(r.models().keySet());
        List<Double> means = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (String model : names) {
            double mean = r.meanTest(model, "ndcg@10");
            double[] ci = Significance.bootstrapCi(r.perUserNdcg().get(model), 1000, 7);
            means.add(mean);
            errors.add(Math.max(mean - ci[0], ci[1] - mean));
        }
        bars.addSeries("NDCG@10", names, means, errors);
        bars.getStyler().setLegendVisible(false);
        saveAtomically(bars, folder.resolve("ndcg-at-10"));
    }

    static void saveAtomically(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path base) throws IOException {
        Path tmp = base.resolveSibling(base.getFileName() + ".tmp");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(base.resolveSibling(tmp.getFileName() + ".png"), base.resolveSibling(base.getFileName() + ".png"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String markdown(ExperimentResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.dataset()).append(" — protocol ").append(r.protocol()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Seeds %s. After filtering: %,d users, %,d items; split train %,d / valid %,d / test %,d."
                + " Full-catalogue ranking, training and validation items masked; means over seeds.%n%n",
                r.seeds(), r.split().users(), r.split().items(), r.split().train(), r.split().valid(), r.split().test()));
        sb.append("| model |");
        TABLE.forEach(m -> sb.append(' ').append(m).append(" |"));
        sb.append(" train s | eval s | params |\n|---|");
        TABLE.forEach(m -> sb.append("---:|"));
        sb.append("---:|---:|---|\n");
        for (var e : r.models().entrySet()) {
            sb.append("| ").append(e.getKey()).append(" |");
            for (String m : TABLE) {
                sb.append(String.format(Locale.ROOT, " %.4f |", r.meanTest(e.getKey(), m)));
            }
            var first = e.getValue().get(0);
            sb.append(String.format(Locale.ROOT, " %.1f | %.2f | %s |%n",
                    e.getValue().stream().mapToDouble(ExperimentResult.SeedResult::trainSeconds).average().orElse(0),
                    e.getValue().stream().mapToDouble(ExperimentResult.SeedResult::evalSeconds).average().orElse(0),
                    first.params()));
        }
        sb.append("\n![Recall@K](recall-at-k.png)\n\n![NDCG@10](ndcg-at-10.png)\n\n");
        if (!r.comparisons().isEmpty()) {
            sb.append("## Paired comparisons (per user and seed)\n\n| a | b | metric | mean a−b | 95% CI | t-test p | Wilcoxon p |\n"
                    + "|---|---|---|---:|---|---:|---:|\n");
            for (var c : r.comparisons()) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %+.4f | [%+.4f, %+.4f] | %.3g | %.3g |%n", c.a(), c.b(),
                        c.metric(), c.meanDiff(), c.ciLow(), c.ciHigh(), c.pValue(), c.wilcoxonP()));
            }
        }
        return sb.toString();
    }

    static String html(ExperimentResult r) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(r.dataset())).append(" evaluation</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}</style></head><body>\n");
        sb.append("<h1>").append(escape(r.dataset())).append(" — protocol ").append(escape(r.protocol())).append("</h1>\n");
        sb.append(String.format(Locale.ROOT, "<p>Seeds %s. %,d users, %,d items; train %,d / valid %,d / test %,d.</p>%n",
                r.seeds(), r.split().users(), r.split().items(), r.split().train(), r.split().valid(), r.split().test()));
        sb.append("<table><tr><th>model</th>");
        TABLE.forEach(m -> sb.append("<th>").append(m).append("</th>"));
        sb.append("<th>params</th></tr>\n");
        for (var e : r.models().entrySet()) {
            sb.append("<tr><td>").append(escape(e.getKey())).append("</td>");
            for (String m : TABLE) {
                sb.append(String.format(Locale.ROOT, "<td>%.4f</td>", r.meanTest(e.getKey(), m)));
            }
            sb.append("<td>").append(escape(e.getValue().get(0).params().toString())).append("</td></tr>\n");
        }
        sb.append("</table>\n<p><img src=\"recall-at-k.png\" alt=\"Recall@K\"> <img src=\"ndcg-at-10.png\" alt=\"NDCG@10\"></p>\n");
        if (!r.comparisons().isEmpty()) {
            sb.append("<h2>Paired comparisons</h2><table><tr><th>a</th><th>b</th><th>metric</th><th>mean a−b</th>"
                    + "<th>95% CI</th><th>t-test p</th><th>Wilcoxon p</th></tr>\n");
            for (var c : r.comparisons()) {
                sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%+.4f</td><td>[%+.4f, %+.4f]</td>"
                        + "<td>%.3g</td><td>%.3g</td></tr>%n", escape(c.a()), escape(c.b()), c.metric(), c.meanDiff(),
                        c.ciLow(), c.ciHigh(), c.pValue(), c.wilcoxonP()));
            }
            sb.append("</table>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
