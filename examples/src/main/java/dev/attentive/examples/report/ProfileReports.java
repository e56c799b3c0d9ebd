package dev.attentive.examples.report;

import dev.attentive.eval.data.CleaningReport;
import dev.attentive.eval.profile.DatasetProfile;
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
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a {@link DatasetProfile}: {@code profile.json} (through the library's
 * {@link DatasetProfile#writeJson}), {@code profile.md}, {@code profile.html} and the plots they
 * show, drawn with XChart ({@code popularity.png}: interactions per item by popularity rank on
 * log-log axes; {@code activity.png}: a histogram of interactions per user; {@code ratings.png}: the
 * rating distribution, only for explicit data). Every file is written under a temporary name and
 * moved into place. Stateless and thread safe.
 */
public final class ProfileReports {
    private ProfileReports() {
    }

    /**
     * Writes every output into a folder (created if needed).
     *
     * @param profile the profile
     * @param cleaning the cleaning report of the profiled data, or null
     * @param folder the output folder
     * @throws UncheckedIOException when the folder cannot be written
     */
    public static void write(DatasetProfile profile, CleaningReport cleaning, Path folder) {
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(folder);
            plots(profile, folder);
            profile.writeJson(folder.resolve("profile.json"), cleaning);
            writeAtomically(folder.resolve("profile.md"), markdown(profile, cleaning));
            writeAtomically(folder.resolve("profile.html"), html(profile, cleaning));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the profile to " + folder, e);
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The profile as markdown text, the same text the {@code profile} command prints.
     *
     * @param p the profile
     * @param cleaning the cleaning report, or null
     * @return the markdown
     */
    public static String markdown(DatasetProfile p, CleaningReport cleaning) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Profile of ").append(p.name()).append("\n\n");
        for (String[] row : summary(p)) {
            sb.append("- ").append(row[0]).append(": ").append(row[1]).append('\n');
        }
        if (!p.ratings().isEmpty()) {
            sb.append("\n## Ratings\n\n| rating | count | share |\n|---:|---:|---:|\n");
            p.ratings().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| %s | %,d | %.1f%% |%n", trim(k), v,
                    100.0 * v / p.interactions())));
        }
        if (!p.fields().isEmpty()) {
            sb.append("\n## Features\n\n| table | field | type | cardinality | missing | min | max | mean |\n"
                    + "|---|---|---|---:|---:|---:|---:|---:|\n");
            for (var f : p.fields()) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %.1f%% | %s | %s | %s |%n", f.table(), f.name(),
                        f.type(), f.cardinality(), 100 * f.missingShare(), num(f.min()), num(f.max()), num(f.mean())));
            }
        }
        if (cleaning != null) {
            sb.append("\n## Cleaning\n\n");
            cleaning.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        sb.append("\n![popularity](popularity.png)\n\n![activity](activity.png)\n");
        if (!p.ratings().isEmpty()) {
            sb.append("\n![ratings](ratings.png)\n");
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static List<String[]> summary(DatasetProfile p) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"users", String.format(Locale.ROOT, "%,d", p.users())});
        rows.add(new String[] {"items", String.format(Locale.ROOT, "%,d (catalogue %,d)", p.items(), p.catalogue())});
        rows.add(new String[] {"interactions", String.format(Locale.ROOT, "%,d (%,d distinct user-item pairs)",
                p.interactions(), p.pairs())});
        rows.add(new String[] {"sparsity", String.format(Locale.ROOT, "%.4f%% (density %.4f%%)", 100 * (1 - p.density()),
                100 * p.density())});
        var a = p.activity();
        rows.add(new String[] {"interactions per user", String.format(Locale.ROOT,
                "min %d, median %.1f, mean %.1f, p90 %d, p99 %d, max %d", a.min(), a.median(), a.mean(), a.p90(), a.p99(), a.max())});
        var q = p.popularity();
        rows.add(new String[] {"interactions per item", String.format(Locale.ROOT,
                "min %d, median %.1f, mean %.1f, p90 %d, p99 %d, max %d", q.min(), q.median(), q.mean(), q.p90(), q.p99(), q.max())});
        var t = p.longTail();
        rows.add(new String[] {"long tail", String.format(Locale.ROOT,
                "top 1%% of items hold %.1f%%, top 10%% hold %.1f%%, top 20%% hold %.1f%% of interactions; %.1f%% of items hold half;"
                        + " Gini %.3f; %.1f%% of items have one interaction",
                100 * t.top1(), 100 * t.top10(), 100 * t.top20(), 100 * t.itemsForHalf(), t.gini(), 100 * t.singletons())});
        rows.add(new String[] {"time", p.time() == null ? "no timestamps"
                : String.format(Locale.ROOT, "%s to %s (%.1f%% of interactions have a timestamp)", p.time().first(),
                        p.time().last(), 100 * p.time().withTimestamp())});
        rows.add(new String[] {"ratings", p.ratings().isEmpty() ? "implicit (every weight is 1)"
                : p.ratings().size() + " distinct values"});
        return rows;
    }

    /**
     * The profile as an HTML page showing the plots.
     *
     * @param p the profile
     * @param cleaning the cleaning report, or null
     * @return the HTML
     */
    public static String html(DatasetProfile p, CleaningReport cleaning) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Profile of ")
                .append(escape(p.name())).append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}</style></head><body>\n");
        sb.append("<h1>Profile of ").append(escape(p.name())).append("</h1>\n<table>\n");
        for (String[] row : summary(p)) {
            sb.append("<tr><th>").append(escape(row[0])).append("</th><td style=\"text-align:left\">").append(escape(row[1]))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        if (!p.fields().isEmpty()) {
            sb.append("<h2>Features</h2>\n<table><tr><th>table</th><th>field</th><th>type</th><th>cardinality</th>"
                    + "<th>missing</th><th>min</th><th>max</th><th>mean</th></tr>\n");
            for (var f : p.fields()) {
                sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%.1f%%</td>"
                        + "<td>%s</td><td>%s</td><td>%s</td></tr>%n", f.table(), escape(f.name()), f.type(), f.cardinality(),
                        100 * f.missingShare(), num(f.min()), num(f.max()), num(f.mean())));
            }
            sb.append("</table>\n");
        }
        if (cleaning != null) {
            sb.append("<h2>Cleaning</h2>\n<pre>");
            cleaning.lines().forEach(l -> sb.append(escape(l)).append('\n'));
            sb.append("</pre>\n");
        }
        sb.append("<p><img src=\"popularity.png\" alt=\"interactions per item by rank\"> "
                + "<img src=\"activity.png\" alt=\"interactions per user\">");
        if (!p.ratings().isEmpty()) {
            sb.append(" <img src=\"ratings.png\" alt=\"rating distribution\">");
        }
        return sb.append("</p>\n</body></html>\n").toString();
    }

    private static void plots(DatasetProfile p, Path folder) throws IOException {
        List<Integer> desc = p.itemCountsDescending();
        double[] rank = new double[desc.size()];
        double[] count = new double[desc.size()];
        for (int r = 0; r < rank.length; r++) {
            rank[r] = r + 1;
            count[r] = desc.get(r);
        }
        XYChart tail = new XYChartBuilder().width(720).height(440).title("Popularity long tail (" + p.name() + ")")
                .xAxisTitle("item rank").yAxisTitle("interactions").build();
        tail.getStyler().setXAxisLogarithmic(true);
        tail.getStyler().setYAxisLogarithmic(true);
        tail.getStyler().setLegendVisible(false);
        tail.addSeries("items", rank, count).setMarker(SeriesMarkers.NONE);
        save(tail, folder.resolve("popularity"));

        int max = p.activity().max();
        int bins = Math.min(30, Math.max(1, max));
        double width = Math.max(1.0, Math.ceil((double) max / bins));
        int[] hist = new int[bins];
        for (int c : p.userCounts()) {
            hist[Math.min(bins - 1, (int) ((c - 1) / width))]++;
        }
        List<String> labels = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            labels.add(String.format(Locale.ROOT, "%d-%d", (int) (b * width) + 1, (int) ((b + 1) * width)));
            values.add(hist[b]);
        }
        CategoryChart activity = new CategoryChartBuilder().width(720).height(440).title("Interactions per user")
                .xAxisTitle("interactions").yAxisTitle("users").build();
        activity.getStyler().setLegendVisible(false);
        activity.getStyler().setXAxisLabelRotation(60);
        activity.addSeries("users", labels, values);
        save(activity, folder.resolve("activity"));

        if (!p.ratings().isEmpty()) {
            CategoryChart ratings = new CategoryChartBuilder().width(720).height(440).title("Rating distribution")
                    .xAxisTitle("rating").yAxisTitle("interactions").build();
            ratings.getStyler().setLegendVisible(false);
            ratings.addSeries("ratings", p.ratings().keySet().stream().map(ProfileReports::trim).toList(),
                    new ArrayList<>(p.ratings().values()));
            save(ratings, folder.resolve("ratings"));
        }
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path base) throws IOException {
        Path tmp = base.resolveSibling(base.getFileName() + ".tmp");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(base.resolveSibling(tmp.getFileName() + ".png"), base.resolveSibling(base.getFileName() + ".png"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
