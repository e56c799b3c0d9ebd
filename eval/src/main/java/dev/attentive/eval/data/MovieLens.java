package dev.attentive.eval.data;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loaders for the GroupLens MovieLens releases: 100K ({@code u.data}, {@code u.user}, {@code u.item}),
 * 1M ({@code ratings.dat} or {@code ratings_no_timestamps.dat}, {@code users.dat}, {@code movies.dat})
 * and the CSV releases such as {@code ml-latest-small} ({@code ratings.csv}, {@code movies.csv},
 * optional {@code tags.csv}).
 *
 * <p>Interaction weights are the ratings; timestamps are seconds since the epoch (absent for the
 * 1M ratings file without its time field). User features: age, gender, occupation and a two-character
 * zip prefix ({@code zip2}); item features: genres (multi-valued), release year (numeric, missing when
 * unknown) and, for the CSV releases, tags. Loading is all or nothing: a malformed line throws a
 * {@link DataFormatException} naming file, line and field. Stateless and thread safe.
 */
public final class MovieLens {
    /** The dataset names this class loads, as used on the command line. */
    public static final List<String> NAMES = List.of("ml-100k", "ml-1m", "ml-latest-small");

    private static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");
    private static final Pattern TITLE_YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");

    private MovieLens() {
    }

    /**
     * Loads a release by name from its folder.
     *
     * @param name one of {@link #NAMES}, or any name starting with {@code ml-} whose folder holds a CSV release
     * @param folder the release's folder (holding {@code u.data}, {@code ratings.dat} or {@code ratings.csv})
     * @return the dataset
     * @throws DataFormatException when a file is missing or malformed
     */
    public static Dataset load(String name, Path folder) {
        return switch (name) {
            case "ml-100k" -> ml100k(folder);
            case "ml-1m" -> ml1m(folder);
            default -> {
                if (Files.isRegularFile(folder.resolve("ratings.csv"))) {
                    yield csvRelease(name, folder);
                }
                throw new IllegalArgumentException("Unknown MovieLens release '" + name + "' in " + folder
                        + ": expected one of " + NAMES + " or a folder with ratings.csv");
            }
        };
    }

    /**
     * Loads MovieLens 100K.
     *
     * @param folder the folder holding {@code u.data}, {@code u.user} and {@code u.item}
     * @return the dataset named {@code ml-100k}
     */
    public static Dataset ml100k(Path folder) {
        List<Interaction> interactions = new ArrayList<>();
        Path data = folder.resolve("u.data");
        for (TextFiles.Line line : TextFiles.lines(data, StandardCharsets.ISO_8859_1)) {
            String[] f = line.text().split("\t", -1);
            line.expectFields(f, "4 tab-separated fields: user id, item id, rating, timestamp", 4);
            int user = line.parseInt(f, 0, "user id");
            int item = line.parseInt(f, 1, "item id");
            float rating = line.parseFloat(f, 2, "rating");
            checkRating(line, rating, 1, 5);
            long ts = line.parseLong(f, 3, "timestamp");
            interactions.add(new Interaction(UserId.of(Integer.toString(user)), ItemId.of(Integer.toString(item)), ts, rating));
        }
        Map<UserId, Features> users = new LinkedHashMap<>();
        for (TextFiles.Line line : TextFiles.lines(folder.resolve("u.user"), StandardCharsets.ISO_8859_1)) {
            String[] f = line.text().split("\\|", -1);
            line.expectFields(f, "5 '|'-separated fields: user id, age, gender, occupation, zip code", 5);
            int id = line.parseInt(f, 0, "user id");
            Features.Builder b = Features.builder().numeric("age", line.parseInt(f, 1, "age"))
                    .categorical("gender", line.nonBlank(f, 2, "gender"))
                    .categorical("occupation", line.nonBlank(f, 3, "occupation"));
            zip(b, f[4]);
            putUnique(users, UserId.of(Integer.toString(id)), b.build(), line, "user id");
        }
        Map<ItemId, Features> items = new LinkedHashMap<>();
        for (TextFiles.Line line : TextFiles.lines(folder.resolve("u.item"), StandardCharsets.ISO_8859_1)) {
            String[] f = line.text().split("\\|", -1);
            line.expectFields(f, "24 '|'-separated fields: id, title, release date, video date, URL, 19 genre flags", 24);
            int id = line.parseInt(f, 0, "movie id");
            List<String> genres = new ArrayList<>();
            for (int g = 0; g < 19; g++) {
                String flag = f[5 + g].trim();
                if (flag.equals("1")) {
                    genres.add(ML100K_GENRES.get(g));
                } else if (!flag.equals("0")) {
                    throw line.error(ML100K_GENRES.get(g), "expected a genre flag 0 or 1, got '" + flag + "'");
                }
            }
            Features.Builder b = Features.builder().multi("genres", genres);
            String date = f[2].trim();
            if (!date.isEmpty()) {
                if (!date.matches("\\d{1,2}-[A-Za-z]{3}-\\d{4}")) {
                    throw line.error("release date", "expected dd-Mon-yyyy such as 01-Jan-1995, got '" + date + "'");
                }
                b.numeric("year", Integer.parseInt(date.substring(date.length() - 4)));
            }
            putUnique(items, ItemId.of(Integer.toString(id)), b.build(), line, "movie id");
        }
        return assemble("ml-100k", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.numeric("age"), FieldSpec.categorical("gender"),
                        FieldSpec.categorical("occupation"), FieldSpec.categorical("zip2")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.multiCategorical("genres"), FieldSpec.numeric("year")), items),
                data, folder.resolve("u.user"), folder.resolve("u.item"));
    }

    /**
     * Loads MovieLens 1M. The ratings come from {@code ratings.dat} when present, else from
     * {@code ratings_no_timestamps.dat}; either may have 3 fields (no timestamp) or 4.
     *
     * @param folder the folder
     * @return the dataset named {@code ml-1m}
     */
    public static Dataset ml1m(Path folder) {
        Path ratings = folder.resolve("ratings.dat");
        if (!Files.isRegularFile(ratings)) {
            ratings = folder.resolve("ratings_no_timestamps.dat");
        }
        if (!Files.isRegularFile(ratings)) {
            throw new DataFormatException(folder.resolve("ratings.dat"), 0, "",
                    "file not found (neither ratings.dat nor ratings_no_timestamps.dat is in " + folder + ")");
        }
        List<Interaction> interactions = new ArrayList<>();
        int expected = -1;
        for (TextFiles.Line line : TextFiles.lines(ratings, StandardCharsets.ISO_8859_1)) {
            String[] f = TextFiles.split(line.text(), "::");
            line.expectFields(f, "UserID::MovieID::Rating[::Timestamp] (3 or 4 fields)", 3, 4);
            if (expected < 0) {
                expected = f.length;
            } else if (f.length != expected) {
                throw line.error("", "expected " + expected + " fields like the first line, got " + f.length);
            }
            int user = line.parseInt(f, 0, "UserID");
            int item = line.parseInt(f, 1, "MovieID");
            float rating = line.parseFloat(f, 2, "Rating");
            checkRating(line, rating, 1, 5);
            long ts = f.length == 4 ? line.parseLong(f, 3, "Timestamp") : Interaction.NO_TIMESTAMP;
            interactions.add(new Interaction(UserId.of(Integer.toString(user)), ItemId.of(Integer.toString(item)), ts, rating));
        }
        Map<UserId, Features> users = new LinkedHashMap<>();
        Path usersFile = folder.resolve("users.dat");
        for (TextFiles.Line line : TextFiles.lines(usersFile, StandardCharsets.ISO_8859_1)) {
            String[] f = TextFiles.split(line.text(), "::");
            line.expectFields(f, "UserID::Gender::Age::Occupation::Zip-code (5 fields)", 5);
            int id = line.parseInt(f, 0, "UserID");
            Features.Builder b = Features.builder().categorical("gender", line.nonBlank(f, 1, "Gender"))
                    .categorical("age", Integer.toString(line.parseInt(f, 2, "Age")))
                    .categorical("occupation", Integer.toString(line.parseInt(f, 3, "Occupation")));
            zip(b, f[4]);
            putUnique(users, UserId.of(Integer.toString(id)), b.build(), line, "UserID");
        }
        Map<ItemId, Features> items = new LinkedHashMap<>();
        Path moviesFile = folder.resolve("movies.dat");
        for (TextFiles.Line line : TextFiles.lines(moviesFile, StandardCharsets.ISO_8859_1)) {
            String[] f = TextFiles.split(line.text(), "::");
            line.expectFields(f, "MovieID::Title::Genres (3 fields)", 3);
            int id = line.parseInt(f, 0, "MovieID");
            putUnique(items, ItemId.of(Integer.toString(id)), movie(f[1], f[2]), line, "MovieID");
        }
        return assemble("ml-1m", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("gender"), FieldSpec.categorical("age"),
                        FieldSpec.categorical("occupation"), FieldSpec.categorical("zip2")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.multiCategorical("genres"), FieldSpec.numeric("year")), items),
                ratings, usersFile, moviesFile);
    }

    /**
     * Loads a CSV release ({@code ml-latest-small}, {@code ml-20m}, {@code ml-25m}): UTF-8 with a header
     * line, {@code ratings.csv} ({@code userId,movieId,rating,timestamp}), {@code movies.csv}
     * ({@code movieId,title,genres}) and, when present, {@code tags.csv} ({@code userId,movieId,tag,timestamp}),
     * whose tags become the item field {@code tags} (lower-cased).
     *
     * @param name the dataset name
     * @param folder the folder
     * @return the dataset
     */
    public static Dataset csvRelease(String name, Path folder) {
        Path ratings = folder.resolve("ratings.csv");
        List<Interaction> interactions = new ArrayList<>();
        List<TextFiles.Line> lines = TextFiles.lines(ratings, StandardCharsets.UTF_8);
        checkHeader(lines, ratings, "userId,movieId,rating,timestamp");
        for (TextFiles.Line line : lines.subList(1, lines.size())) {
            String[] f = TextFiles.splitCsv(line, ',');
            line.expectFields(f, "4 comma-separated fields: userId, movieId, rating, timestamp", 4);
            int user = line.parseInt(f, 0, "userId");
            int item = line.parseInt(f, 1, "movieId");
            float rating = line.parseFloat(f, 2, "rating");
            checkRating(line, rating, 0.5f, 5);
            long ts = line.parseLong(f, 3, "timestamp");
            interactions.add(new Interaction(UserId.of(Integer.toString(user)), ItemId.of(Integer.toString(item)), ts, rating));
        }
        Map<ItemId, Set<String>> tags = new LinkedHashMap<>();
        Path tagsFile = folder.resolve("tags.csv");
        if (Files.isRegularFile(tagsFile)) {
            List<TextFiles.Line> tagLines = TextFiles.lines(tagsFile, StandardCharsets.UTF_8);
            checkHeader(tagLines, tagsFile, "userId,movieId,tag,timestamp");
            for (TextFiles.Line line : tagLines.subList(1, tagLines.size())) {
                String[] f = TextFiles.splitCsv(line, ',');
                line.expectFields(f, "4 comma-separated fields: userId, movieId, tag, timestamp", 4);
                int item = line.parseInt(f, 1, "movieId");
                tags.computeIfAbsent(ItemId.of(Integer.toString(item)), k -> new TreeSet<>())
                        .add(f[2].trim().toLowerCase(Locale.ROOT));
            }
        }
        Map<ItemId, Features> items = new LinkedHashMap<>();
        Path moviesFile = folder.resolve("movies.csv");
        List<TextFiles.Line> movieLines = TextFiles.lines(moviesFile, StandardCharsets.UTF_8);
        checkHeader(movieLines, moviesFile, "movieId,title,genres");
        for (TextFiles.Line line : movieLines.subList(1, movieLines.size())) {
            String[] f = TextFiles.splitCsv(line, ',');
            line.expectFields(f, "3 comma-separated fields: movieId, title, genres", 3);
            int id = line.parseInt(f, 0, "movieId");
            ItemId key = ItemId.of(Integer.toString(id));
            Features movie = movie(f[1], f[2]);
            if (!tags.isEmpty()) {
                Map<String, FeatureValue> values = new LinkedHashMap<>(movie.values());
                values.put("tags", FeatureValue.of(List.copyOf(tags.getOrDefault(key, Set.of()))));
                movie = new Features(values);
            }
            putUnique(items, key, movie, line, "movieId");
        }
        FeatureSchema itemSchema = tags.isEmpty()
                ? FeatureSchema.of(FieldSpec.multiCategorical("genres"), FieldSpec.numeric("year"))
                : FeatureSchema.of(FieldSpec.multiCategorical("genres"), FieldSpec.numeric("year"),
                        FieldSpec.multiCategorical("tags"));
        return assemble(name, interactions, FeatureTable.empty(), new FeatureTable<>(itemSchema, items),
                ratings, null, moviesFile);
    }

    private static void checkHeader(List<TextFiles.Line> lines, Path file, String header) {
        if (lines.isEmpty()) {
            throw new DataFormatException(file, 1, "", "empty file; expected the header '" + header + "'");
        }
        String first = lines.get(0).text().strip();
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        if (!first.equals(header)) {
            throw lines.get(0).error("", "expected the header '" + header + "', got '" + TextFiles.abbreviate(first) + "'");
        }
    }

    private static Features movie(String title, String genreField) {
        Features.Builder b = Features.builder();
        String g = genreField.trim();
        List<String> genres = g.isEmpty() || g.equals("(no genres listed)") ? List.of() : List.of(g.split("\\|"));
        b.multi("genres", genres);
        Matcher m = TITLE_YEAR.matcher(title.trim());
        if (m.find()) {
            b.numeric("year", Integer.parseInt(m.group(1)));
        }
        return b.build();
    }

    private static void zip(Features.Builder b, String zip) {
        String z = zip.trim();
        if (z.length() >= 2) {
            b.categorical("zip2", z.substring(0, 2).toUpperCase(Locale.ROOT));
        }
    }

    private static void checkRating(TextFiles.Line line, float rating, float min, float max) {
        if (rating < min || rating > max) {
            throw line.error("rating", "expected a rating in [" + min + ", " + max + "], got " + rating);
        }
    }

    private static <K> void putUnique(Map<K, Features> rows, K key, Features features, TextFiles.Line line, String field) {
        if (rows.put(key, features) != null) {
            throw line.error(field, "duplicate id " + key + "; each id must appear once");
        }
    }

    private static Dataset assemble(String name, List<Interaction> interactions, FeatureTable<UserId> users,
            FeatureTable<ItemId> items, Path interactionsFile, Path usersFile, Path itemsFile) {
        if (interactions.isEmpty()) {
            throw new DataFormatException(interactionsFile, 0, "", "no interactions; expected at least one line");
        }
        // Interactions must reference known rows: a MovieLens release is internally consistent, so a
        // reference to a missing row means a damaged or mismatched file.
        Set<UserId> missingUsers = new HashSet<>();
        Set<ItemId> missingItems = new HashSet<>();
        for (Interaction i : interactions) {
            if (usersFile != null && !users.rows().containsKey(i.user())) {
                missingUsers.add(i.user());
            }
            if (!items.rows().containsKey(i.item())) {
                missingItems.add(i.item());
            }
        }
        if (!missingUsers.isEmpty()) {
            throw new DataFormatException(usersFile, 0, "user id", missingUsers.size()
                    + " user(s) rated in " + interactionsFile.getFileName() + " have no row here, e.g. "
                    + missingUsers.stream().sorted().limit(5).toList() + "; are the files from the same release?");
        }
        if (!missingItems.isEmpty()) {
            throw new DataFormatException(itemsFile, 0, "movie id", missingItems.size()
                    + " item(s) rated in " + interactionsFile.getFileName() + " have no row here, e.g. "
                    + missingItems.stream().sorted().limit(5).toList() + "; are the files from the same release?");
        }
        return new Dataset(name, interactions, users, items);
    }
}
