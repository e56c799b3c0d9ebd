package dev.attentive.eval.data;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A host team's own data described by a small JSON or YAML spec: a CSV/TSV interactions file and
 * optional user and item feature tables. Example ({@code shop.yaml}):
 * <pre>
 * name: shop
 * interactions:
 *   file: events.csv            # relative to the spec's folder
 *   separator: ","              # any literal; "tab" or "\t" for TSV (default ",")
 *   header: true                # the first line names the columns, exactly as declared (default true)
 *   encoding: UTF-8             # default UTF-8
 *   columns:
 *     - {name: user_id, type: user}
 *     - {name: sku, type: item}
 *     - {name: qty, type: weight}                       # optional; default weight 1
 *     - {name: ts, type: timestamp, format: iso}        # epoch-seconds (default), epoch-millis, iso, or a pattern
 *     - {name: channel, type: ignore}
 * items:
 *   file: items.tsv
 *   separator: tab
 *   columns:
 *     - {name: sku, type: id}
 *     - {name: brand, type: categorical}
 *     - {name: tags, type: multi_categorical, delimiter: "|"}
 *     - {name: price, type: numeric, missing: ["", "NA"]}
 * </pre>
 * Interaction column types: {@code user}, {@code item}, {@code weight}, {@code timestamp},
 * {@code ignore}; feature table column types: {@code id}, {@code categorical},
 * {@code multi_categorical} (with {@code delimiter}), {@code numeric}, {@code ignore}. A value listed
 * in {@code missing} (default: the empty string) leaves the field missing. A timestamp pattern such as
 * {@code yyyy-MM-dd HH:mm:ss} is read as UTC.
 *
 * <p>Unknown keys and unknown column types in the spec, a header that does not match the declared
 * columns, and malformed lines are errors ({@link DataFormatException}) naming the file, line,
 * field and what was expected; loading is all or nothing. Immutable and thread safe.
 *
 * @param name the dataset name (default: the spec file's name without extension)
 * @param interactions the interactions table, required
 * @param users the user feature table, or null
 * @param items the item feature table, or null
 */
public record DatasetSpec(String name, Table interactions, Table users, Table items) {

    /**
     * One delimited text file.
     *
     * @param file the path, relative to the spec's folder or absolute
     * @param separator the field separator literal; {@code tab} means a tab (default {@code ,})
     * @param header whether the first line is a header naming the columns (default true)
     * @param encoding the charset name (default UTF-8)
     * @param columns the columns in file order
     */
    public record Table(String file, String separator, Boolean header, String encoding, List<Column> columns) {
    }

    /**
     * One column.
     *
     * @param name the column name (a feature column's name is its field name)
     * @param type the column type (see the class comment)
     * @param delimiter the delimiter of a multi-valued column's values
     * @param format the timestamp format: {@code epoch-seconds}, {@code epoch-millis}, {@code iso} or a pattern
     * @param missing the texts that mean "missing" (default: only the empty string)
     */
    public record Column(String name, String type, String delimiter, String format, List<String> missing) {
    }

    private static final Set<String> INTERACTION_TYPES = new LinkedHashSet<>(List.of("user", "item", "weight", "timestamp", "ignore"));
    private static final Set<String> TABLE_TYPES = new LinkedHashSet<>(List.of("id", "categorical", "multi_categorical",
            "numeric", "ignore"));

    /**
     * Reads a spec file: {@code .yaml}/{@code .yml} as YAML, anything else as JSON.
     *
     * @param file the spec file
     * @return the spec, validated
     * @throws DataFormatException for a missing file, bad syntax, an unknown key (with the valid keys)
     *     or an invalid declaration (all problems at once)
     */
    public static DatasetSpec read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, "", "spec file not found");
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".yaml") || lower.endsWith(".yml")
                ? YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                : JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        DatasetSpec spec;
        try {
            spec = mapper.readValue(file.toFile(), DatasetSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new DataFormatException(file, line(e), path(e), "unknown key '" + e.getPropertyName() + "'; valid keys: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
        } catch (JacksonException e) {
            throw new DataFormatException(file, line(e), path(e), "cannot read the spec: " + e.getOriginalMessage());
        }
        if (spec == null) {
            throw new DataFormatException(file, 0, "", "the spec is empty; it needs at least 'interactions'");
        }
        spec.validate(file);
        return spec;
    }

    private static long line(JacksonException e) {
        return e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private void validate(Path file) {
        List<String> problems = new ArrayList<>();
        if (interactions == null) {
            problems.add("'interactions' is required");
        } else {
            validate("interactions", interactions, INTERACTION_TYPES, problems);
            long users = count(interactions, "user");
            long items = count(interactions, "item");
            if (users != 1) {
                problems.add("interactions need exactly one column of type 'user', found " + users);
            }
            if (items != 1) {
                problems.add("interactions need exactly one column of type 'item', found " + items);
            }
            if (count(interactions, "weight") > 1 || count(interactions, "timestamp") > 1) {
                problems.add("interactions may have at most one 'weight' and one 'timestamp' column");
            }
        }
        for (var entry : new Object[][] {{"users", users}, {"items", items}}) {
            Table t = (Table) entry[1];
            if (t != null) {
                validate((String) entry[0], t, TABLE_TYPES, problems);
                if (count(t, "id") != 1) {
                    problems.add(entry[0] + " need exactly one column of type 'id', found " + count(t, "id"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DataFormatException(file, 0, "", "invalid spec: " + String.join("; ", problems));
        }
    }

    private static long count(Table t, String type) {
        return t.columns() == null ? 0 : t.columns().stream().filter(c -> type.equals(c.type())).count();
    }

    private static void validate(String where, Table t, Set<String> types, List<String> problems) {
        if (t.file() == null || t.file().isBlank()) {
            problems.add(where + ".file is required");
        }
        if (t.separator() != null && t.separator().isEmpty()) {
            problems.add(where + ".separator must not be empty");
        }
        if (t.encoding() != null) {
            try {
                Charset.forName(t.encoding());
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                problems.add(where + ".encoding '" + t.encoding() + "' is not a known charset (e.g. UTF-8, ISO-8859-1)");
            }
        }
        if (t.columns() == null || t.columns().isEmpty()) {
            problems.add(where + ".columns must list the file's columns");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int c = 0; c < t.columns().size(); c++) {
            Column col = t.columns().get(c);
            String at = where + ".columns[" + c + "]";
            if (col.name() == null || col.name().isBlank()) {
                problems.add(at + ".name is required");
                continue;
            }
            at = where + " column '" + col.name() + "'";
            if (!names.add(col.name())) {
                problems.add(at + " is declared twice");
            }
            if (col.type() == null || !types.contains(col.type())) {
                problems.add(at + " has type '" + col.type() + "'; valid types: " + types);
                continue;
            }
            if (col.type().equals("multi_categorical") && (col.delimiter() == null || col.delimiter().isEmpty())) {
                problems.add(at + " is multi_categorical and needs a 'delimiter', e.g. \"|\"");
            }
            if (col.delimiter() != null && !col.type().equals("multi_categorical")) {
                problems.add(at + " has a 'delimiter' but only multi_categorical columns take one");
            }
            if (col.format() != null && !col.type().equals("timestamp")) {
                problems.add(at + " has a 'format' but only timestamp columns take one");
            }
            if (col.type().equals("timestamp") && col.format() != null) {
                try {
                    timestampParser(col.format());
                } catch (IllegalArgumentException e) {
                    problems.add(at + " has format '" + col.format() + "': " + e.getMessage());
                }
            }
            if (col.type().equals("categorical") || col.type().equals("multi_categorical") || col.type().equals("numeric")) {
                try {
                    new FieldSpec(col.name(), featureType(col.type()));
                } catch (IllegalArgumentException e) {
                    problems.add(at + ": " + e.getMessage());
                }
            }
        }
    }

    /** The API's feature type of a validated feature column type. */
    private static FeatureType featureType(String type) {
        return switch (type) {
            case "categorical" -> FeatureType.CATEGORICAL;
            case "multi_categorical" -> FeatureType.MULTI_CATEGORICAL;
            default -> FeatureType.NUMERIC;
        };
    }

    private interface TimestampParser {
        long parse(String text);
    }

    private static TimestampParser timestampParser(String format) {
        String f = format == null ? "epoch-seconds" : format;
        return switch (f) {
            case "epoch-seconds" -> Long::parseLong;
            case "epoch-millis" -> s -> Math.floorDiv(Long.parseLong(s), 1000L);
            case "iso" -> s -> {
                try {
                    return OffsetDateTime.parse(s).toEpochSecond();
                } catch (DateTimeParseException e) {
                    try {
                        return Instant.parse(s).getEpochSecond();
                    } catch (DateTimeParseException e2) {
                        try {
                            return LocalDateTime.parse(s).toEpochSecond(ZoneOffset.UTC);
                        } catch (DateTimeParseException e3) {
                            return LocalDate.parse(s).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                        }
                    }
                }
            };
            default -> {
                DateTimeFormatter formatter;
                try {
                    formatter = DateTimeFormatter.ofPattern(f, Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not epoch-seconds, epoch-millis, iso or a valid date-time pattern ("
                            + e.getMessage() + ")");
                }
                yield s -> {
                    TemporalAccessor t = formatter.parse(s);
                    if (t.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)) {
                        return LocalDateTime.from(t).toEpochSecond(ZoneOffset.UTC);
                    }
                    return LocalDate.from(t).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                };
            }
        };
    }

    /**
     * Loads a spec file and its data files.
     *
     * @param specFile the JSON or YAML spec
     * @return the dataset
     * @throws DataFormatException naming file, line and field for any problem
     */
    public static Dataset load(Path specFile) {
        DatasetSpec spec = read(specFile);
        Path base = specFile.toAbsolutePath().getParent();
        String fileName = specFile.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return spec.load(base, spec.name() != null ? spec.name() : dot > 0 ? fileName.substring(0, dot) : fileName);
    }

    /**
     * Loads the data files this spec describes.
     *
     * @param base the folder that relative file names are resolved against
     * @param datasetName the dataset's name
     * @return the dataset
     * @throws DataFormatException naming file, line and field for any problem
     */
    public Dataset load(Path base, String datasetName) {
        FeatureTable<UserId> userTable = users == null ? FeatureTable.empty() : table(base, users, UserId::of);
        FeatureTable<ItemId> itemTable = items == null ? FeatureTable.empty() : table(base, items, ItemId::of);
        Path file = base.resolve(interactions.file());
        List<Interaction> out = new ArrayList<>();
        List<Column> cols = interactions.columns();
        int user = index(cols, "user");
        int item = index(cols, "item");
        int weight = index(cols, "weight");
        int time = index(cols, "timestamp");
        TimestampParser parser = time >= 0 ? timestampParser(cols.get(time).format()) : null;
        for (TextFiles.Line line : rows(file, interactions)) {
            String[] f = fields(line, interactions);
            String u = required(line, f, user, cols.get(user));
            String i = required(line, f, item, cols.get(item));
            float w = 1f;
            if (weight >= 0 && !isMissing(cols.get(weight), f[weight])) {
                w = line.parseFloat(f, weight, cols.get(weight).name());
            }
            long ts = Interaction.NO_TIMESTAMP;
            if (time >= 0) {
                String raw = f[time].trim();
                if (isMissing(cols.get(time), f[time])) {
                    throw line.error(cols.get(time).name(), "expected a timestamp, got a missing value");
                }
                try {
                    ts = parser.parse(raw);
                } catch (RuntimeException e) {
                    throw line.error(cols.get(time).name(), "expected a timestamp in format '"
                            + (cols.get(time).format() == null ? "epoch-seconds" : cols.get(time).format()) + "', got '" + raw + "'");
                }
            }
            out.add(new Interaction(UserId.of(u), ItemId.of(i), ts, w));
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "", "no interactions; expected at least one data line");
        }
        return new Dataset(datasetName, out, userTable, itemTable);
    }

    private static int index(List<Column> cols, String type) {
        for (int c = 0; c < cols.size(); c++) {
            if (type.equals(cols.get(c).type())) {
                return c;
            }
        }
        return -1;
    }

    private static boolean isMissing(Column col, String raw) {
        String v = raw.trim();
        return col.missing() == null ? v.isEmpty() : v.isEmpty() || col.missing().contains(v);
    }

    private static String required(TextFiles.Line line, String[] f, int index, Column col) {
        String v = f[index].trim();
        if (isMissing(col, v)) {
            throw line.error(col.name(), "expected a non-empty " + col.type() + " id");
        }
        return v;
    }

    private static String separator(Table t) {
        String s = t.separator() == null ? "," : t.separator();
        return s.equals("tab") || s.equals("\\t") ? "\t" : s;
    }

    private static List<TextFiles.Line> rows(Path file, Table t) {
        Charset charset = t.encoding() == null ? StandardCharsets.UTF_8 : Charset.forName(t.encoding());
        List<TextFiles.Line> out = TextFiles.lines(file, charset);
        if (t.header() == null || t.header()) {
            if (out.isEmpty()) {
                throw new DataFormatException(file, 1, "", "empty file; expected a header line");
            }
            TextFiles.Line head = out.get(0);
            String[] names = fields(head, t);
            List<String> declared = t.columns().stream().map(Column::name).toList();
            List<String> found = new ArrayList<>();
            for (String n : names) {
                found.add(n.trim().replace("\uFEFF", ""));
            }
            if (!found.equals(declared)) {
                List<String> unknown = found.stream().filter(n -> !declared.contains(n)).toList();
                List<String> absent = declared.stream().filter(n -> !found.contains(n)).toList();
                throw head.error("", "the header " + found + " does not match the spec's columns " + declared
                        + (unknown.isEmpty() ? "" : "; unknown column(s) " + unknown + " (declare them, with type ignore to skip)")
                        + (absent.isEmpty() ? "" : "; missing column(s) " + absent)
                        + (unknown.isEmpty() && absent.isEmpty() ? "; the order differs" : ""));
            }
            return out.subList(1, out.size());
        }
        return out;
    }

    private static String[] fields(TextFiles.Line line, Table t) {
        String sep = separator(t);
        String[] f = sep.length() == 1 ? TextFiles.splitCsv(line, sep.charAt(0)) : TextFiles.split(line.text(), sep);
        if (f.length != t.columns().size()) {
            throw line.error("", "expected " + t.columns().size() + " fields separated by '"
                    + (sep.equals("\t") ? "\\t" : sep) + "' (" + String.join(", ", t.columns().stream().map(Column::name).toList())
                    + "), got " + f.length + " in '" + TextFiles.abbreviate(line.text()) + "'");
        }
        return f;
    }

    private static <K> FeatureTable<K> table(Path base, Table t, java.util.function.Function<String, K> key) {
        Path file = base.resolve(t.file());
        List<Column> cols = t.columns();
        int id = index(cols, "id");
        List<FieldSpec> fields = new ArrayList<>();
        for (Column c : cols) {
            if (!c.type().equals("id") && !c.type().equals("ignore")) {
                fields.add(new FieldSpec(c.name(), featureType(c.type())));
            }
        }
        Map<K, Features> rows = new LinkedHashMap<>();
        for (TextFiles.Line line : rows(file, t)) {
            String[] f = fields(line, t);
            K k = key.apply(required(line, f, id, cols.get(id)));
            Features.Builder b = Features.builder();
            for (int c = 0; c < cols.size(); c++) {
                Column col = cols.get(c);
                if (isMissing(col, f[c]) || col.type().equals("id") || col.type().equals("ignore")) {
                    continue;
                }
                String raw = f[c].trim();
                switch (col.type()) {
                    case "categorical" -> b.categorical(col.name(), raw);
                    case "multi_categorical" -> {
                        List<String> values = new ArrayList<>(new LinkedHashSet<>(
                                java.util.Arrays.stream(TextFiles.split(raw, col.delimiter())).map(String::trim)
                                        .filter(v -> !v.isEmpty()).toList()));
                        if (!values.isEmpty()) {
                            b.put(col.name(), FeatureValue.of(values));
                        }
                    }
                    case "numeric" -> b.numeric(col.name(), line.parseDouble(f, c, col.name()));
                    default -> throw new IllegalStateException("validated type " + col.type());
                }
            }
            if (rows.put(k, b.build()) != null) {
                throw line.error(cols.get(id).name(), "duplicate id " + k + "; each id must appear once");
            }
        }
        return new FeatureTable<>(new FeatureSchema(fields), rows);
    }
}
