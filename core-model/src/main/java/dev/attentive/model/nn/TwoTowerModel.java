package dev.attentive.model.nn;

import dev.attentive.api.Attention;
import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Parameter;
import dev.attentive.api.Tower;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.model.MlpTowerProvider;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.features.FieldEncoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a trained two-tower model is: config, encoders, parameters of both sides, the catalogue
 * with its features, and the known users with their features, training items and recent items.
 * Parameters change only while training; afterwards the model is read-only and thread safe.
 */
public final class TwoTowerModel {
    public static final String HOUR = "hour";
    public static final String DAY_OF_WEEK = "dayOfWeek";

    public final TwoTowerModelProvider.Config config;
    public final FeatureSchema userSchema;
    public final FeatureSchema itemSchema;
    public final Side user;
    public final Side item;
    public final Parameter logScale;

    /** The catalogue, in index order, with features and item-id-table rows (0: no id row). */
    public final ItemId[] items;
    public final Features[] itemFeatures;
    public final int[] itemIdRow;
    public final Map<ItemId, Integer> itemIndex;
    /** Known users, in index order. */
    public final UserId[] users;
    public final Features[] userFeatures;
    public final Map<UserId, Integer> userIndex;
    /** Per user, the catalogue indices of training items, in time order (oldest first). */
    public final int[][] userItems;
    /** Training frequency of each catalogue item. */
    public final long[] itemCounts;
    /** Provenance entries (dataset, fingerprint, seed, training time); written only by the trainer. */
    public final Map<String, String> provenance;

    public TwoTowerModel(TwoTowerModelProvider.Config config, FeatureSchema userSchema, FeatureSchema itemSchema,
            List<FieldEncoder> userFields, List<FieldEncoder> itemFields, ItemId[] items, Features[] itemFeatures,
            UserId[] users, Features[] userFeatures, int[][] userItems, long[] itemCounts, long seed,
            Map<String, String> provenance) {
        this.config = config;
        this.userSchema = userSchema;
        this.itemSchema = itemSchema;
        this.items = items;
        this.itemFeatures = itemFeatures;
        this.users = users;
        this.userFeatures = userFeatures;
        this.userItems = userItems;
        this.itemCounts = itemCounts;
        this.provenance = new LinkedHashMap<>(provenance);
        this.itemIndex = new HashMap<>();
        for (int i = 0; i < items.length; i++) {
            itemIndex.put(items[i], i);
        }
        this.userIndex = new HashMap<>();
        for (int u = 0; u < users.length; u++) {
            userIndex.put(users[u], u);
        }
        FieldEncoder itemIdField = itemFields.get(0);
        this.itemIdRow = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            itemIdRow[i] = itemIdField.vocabulary.getOrDefault(items[i].value(), 0);
        }
        SplittableRandom init = new SplittableRandom(seed);
        this.item = makeSide("item", config, itemFields, config.itemWidths(), false, init.nextLong());
        this.user = makeSide("user", config, userFields, config.userWidths(), config.hasHistory(), init.nextLong());
        if (user.historyAttention != null) {
            user.historyTable = item.tables[0];
        }
        this.logScale = new Parameter("temperature.logScale", new int[] {1},
                new float[] {(float) Math.log(1 / config.temperature())});
    }

    private static Side makeSide(String prefix, TwoTowerModelProvider.Config config, List<FieldEncoder> fields,
            List<Integer> widths, boolean history, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int dim = config.dim();
        Parameter[] tables = new Parameter[fields.size()];
        for (int f = 0; f < fields.size(); f++) {
            FieldEncoder e = fields.get(f);
            float[] values = new float[e.rows() * dim];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) gaussian(random);
            }
            tables[f] = new Parameter(prefix + ".field." + e.name, new int[] {e.rows(), dim}, values);
        }
        List<String> names = new ArrayList<>();
        for (FieldEncoder e : fields) {
            names.add(e.name);
        }
        Attention historyAttention = null;
        if (history) {
            names.add("history");
            List<String> positions = new ArrayList<>();
            for (int i = 0; i < config.historyLength(); i++) {
                positions.add("recent-" + i);
            }
            historyAttention = ProviderRegistry.attention().get(config.historyAttention())
                    .create(TwoTowerModelProvider.parseSettings(config.historyAttentionSettings()),
                            new AttentionShape(positions, dim), random.nextLong());
            if (historyAttention.outputDim() != dim) {
                throw new IllegalArgumentException("historyAttention '" + config.historyAttention()
                        + "' pools recent items into " + historyAttention.outputDim()
                        + " components, but the history field needs dim = " + dim
                        + "; choose a pooling attention (such as mean or history-attention)");
            }
        }
        Attention attention = ProviderRegistry.attention().get(config.attention())
                .create(TwoTowerModelProvider.parseSettings(config.attentionSettings()),
                        new AttentionShape(names, dim), random.nextLong());
        var towerProvider = ProviderRegistry.towers().get(config.tower());
        Tower tower = towerProvider.create(towerSettings(towerProvider.name(), widths, config.activation()),
                attention.outputDim(), dim, random.nextLong());
        return new Side(prefix, dim, fields, tables, attention, tower, historyAttention, config.historyLength());
    }

    /**
     * The settings a side's tower plugin is created with: {@code mlp} gets the side's widths and the
     * activation from the model config; another tower plugin its defaults.
     *
     * @param tower the tower provider's name
     * @param widths the side's hidden widths
     * @param activation the config's activation
     * @return the settings
     */
    public static Map<String, String> towerSettings(String tower, List<Integer> widths, String activation) {
        return MlpTowerProvider.NAME.equals(tower)
                ? Map.of("widths", widths.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""),
                        "activation", activation)
                : Map.of();
    }

    static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** Every parameter of the model, in the stable order of the weights file. */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        out.addAll(List.of(user.tables));
        out.addAll(user.denseParameters());
        out.addAll(List.of(item.tables));
        out.addAll(item.denseParameters());
        out.add(logScale);
        return out;
    }

    /**
     * Every parameter by its qualified name in the weights file: embedding tables keep their names
     * ({@code user.field.NAME}); plugin parameters are prefixed with their place
     * ({@code user.attention/}, {@code user.tower/}, {@code user.historyAttention/}, {@code item.attention/},
     * {@code item.tower/}); and {@code temperature.logScale}. Same order as {@link #parameters()}.
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Side side : List.of(user, item)) {
            for (Parameter p : side.tables) {
                put(out, p.name(), p);
            }
            for (Parameter p : side.attention.parameters()) {
                put(out, side.prefix + ".attention/" + p.name(), p);
            }
            for (Parameter p : side.tower.parameters()) {
                put(out, side.prefix + ".tower/" + p.name(), p);
            }
            if (side.historyAttention != null) {
                for (Parameter p : side.historyAttention.parameters()) {
                    put(out, side.prefix + ".historyAttention/" + p.name(), p);
                }
            }
        }
        put(out, logScale.name(), logScale);
        return out;
    }

    private static void put(Map<String, Parameter> out, String name, Parameter p) {
        if (out.put(name, p) != null) {
            throw new IllegalStateException("Two parameters are named '" + name + "'; a plugin must name its "
                    + "parameters uniquely");
        }
    }

    /** Builds the untrained model of a dataset: vocabularies and statistics from the training data. */
    public static TwoTowerModel build(Dataset train, TwoTowerModelProvider.Config config, long seed) {
        if (train.interactions().isEmpty()) {
            throw new IllegalArgumentException("Dataset '" + train.name() + "' has no interactions to train on");
        }
        TreeSet<UserId> userSet = new TreeSet<>();
        TreeSet<ItemId> trainedItems = new TreeSet<>();
        for (Interaction i : train.interactions()) {
            userSet.add(i.user());
            trainedItems.add(i.item());
        }
        LinkedHashSet<ItemId> catalogue = new LinkedHashSet<>(trainedItems);
        catalogue.addAll(new TreeSet<>(train.items().rows().keySet()));
        ItemId[] items = catalogue.toArray(ItemId[]::new);
        UserId[] users = userSet.toArray(UserId[]::new);
        Features[] itemFeatures = new Features[items.length];
        for (int i = 0; i < items.length; i++) {
            itemFeatures[i] = train.items().get(items[i]);
        }
        Features[] userFeatures = new Features[users.length];
        for (int u = 0; u < users.length; u++) {
            userFeatures[u] = train.users().get(users[u]);
        }
        List<FieldEncoder> itemFields = new ArrayList<>();
        itemFields.add(idField("itemId", trainedItems.stream().map(ItemId::value).toList()));
        for (FieldSpec spec : train.items().schema().fields()) {
            itemFields.add(fit(spec, List.of(itemFeatures), config));
        }
        List<FieldEncoder> userFields = new ArrayList<>();
        userFields.add(idField("userId", userSet.stream().map(UserId::value).toList()));
        for (FieldSpec spec : train.users().schema().fields()) {
            if (config.context() && (spec.name().equals(HOUR) || spec.name().equals(DAY_OF_WEEK))) {
                throw new IllegalArgumentException("User field '" + spec.name()
                        + "' clashes with the context field of that name; rename it or set context=false");
            }
            userFields.add(fit(spec, List.of(userFeatures), config));
        }
        if (config.context()) {
            if (!train.hasTimestamps()) {
                throw new IllegalArgumentException("context=true needs timestamps, but dataset '" + train.name()
                        + "' has interactions without one; set context=false");
            }
            userFields.add(rangeField(HOUR, 24));
            userFields.add(rangeField(DAY_OF_WEEK, 7));
        }
        Map<UserId, Integer> uIndex = new HashMap<>();
        for (int u = 0; u < users.length; u++) {
            uIndex.put(users[u], u);
        }
        Map<ItemId, Integer> iIndex = new HashMap<>();
        for (int i = 0; i < items.length; i++) {
            iIndex.put(items[i], i);
        }
        int[][] userItems = userItemsInTimeOrder(train.interactions(), uIndex, iIndex, users.length);
        long[] counts = new long[items.length];
        for (Interaction in : train.interactions()) {
            counts[iIndex.get(in.item())]++;
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("dataset", train.name());
        provenance.put("dataFingerprint", fingerprint(train));
        provenance.put("interactions", String.valueOf(train.interactions().size()));
        provenance.put("seed", String.valueOf(seed));
        return new TwoTowerModel(config, train.users().schema(), train.items().schema(), userFields, itemFields, items,
                itemFeatures, users, userFeatures, userItems, counts, seed, provenance);
    }

    /** Interactions sorted stably by timestamp per user (input order when there is none). */
    static int[][] userItemsInTimeOrder(List<Interaction> interactions, Map<UserId, Integer> uIndex,
            Map<ItemId, Integer> iIndex, int userCount) {
        List<List<long[]>> perUser = new ArrayList<>();
        for (int u = 0; u < userCount; u++) {
            perUser.add(new ArrayList<>());
        }
        for (Interaction in : interactions) {
            long t = in.hasTimestamp() ? in.timestamp() : Long.MIN_VALUE;
            perUser.get(uIndex.get(in.user())).add(new long[] {t, iIndex.get(in.item())});
        }
        int[][] out = new int[userCount][];
        for (int u = 0; u < userCount; u++) {
            List<long[]> list = perUser.get(u);
            list.sort(Comparator.comparingLong(a -> a[0]));
            out[u] = list.stream().mapToInt(a -> (int) a[1]).toArray();
        }
        return out;
    }

    private static FieldEncoder idField(String name, List<String> ids) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String id : ids) {
            vocab.put(id, vocab.size() + 1);
        }
        return new FieldEncoder(name, FeatureType.CATEGORICAL, FieldEncoder.Kind.VOCABULARY, vocab, 0, 0, 1,
                new double[0]);
    }

    private static FieldEncoder rangeField(String name, int size) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            vocab.put(String.valueOf(i), i + 1);
        }
        return new FieldEncoder(name, FeatureType.CATEGORICAL, FieldEncoder.Kind.VOCABULARY, vocab, 0, 0, 1,
                new double[0]);
    }

    private static FieldEncoder fit(FieldSpec spec, List<Features> rows, TwoTowerModelProvider.Config config) {
        List<FeatureValue> values = new ArrayList<>();
        for (Features f : rows) {
            f.get(spec.name()).ifPresent(values::add);
        }
        return FieldEncoder.fit(spec.name(), spec.type(), values, config.maxVocabulary(), config.hashBuckets(),
                config.numericBuckets());
    }

    /**
     * A SHA-256 over the interactions and feature rows, in order: the training data's fingerprint in
     * a saved model's provenance.
     *
     * @param d the training data
     * @return 64 hex digits
     */
    public static String fingerprint(Dataset d) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder();
            for (Interaction i : d.interactions()) {
                sb.setLength(0);
                sb.append(i.user().value()).append('\t').append(i.item().value()).append('\t').append(i.timestamp())
                        .append('\t').append(i.weight()).append('\n');
                md.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            md.update(d.users().rows().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(d.items().rows().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * The item tower's fingerprint: a SHA-256 over everything that turns an item's id and features
     * into its vector — the dimension, the attention and tower plugins with their settings and the
     * item side's widths and activation, the item field encoders (vocabularies in row order, hash
     * buckets, numeric statistics and bucket edges) and every parameter of the item side (names,
     * shapes and values). Two models with one fingerprint embed every item alike, so an index of item
     * vectors that one built serves the other; retrained or changed towers differ. The user tower, the
     * catalogue and the training data do not enter it. Hashes every item parameter on each call
     * (callers keep the result; the model is read-only once trained).
     *
     * @return 64 hex digits
     */
    public String itemTowerFingerprint() {
        return ItemTowerFingerprint.of(this);
    }

    // ---- encoding -------------------------------------------------------------------------

    /** The encoded item fields of a catalogue item. */
    public FieldEncoder.Encoded encodeItem(int index) {
        return encodeItem(items[index], itemFeatures[index]);
    }

    /** Encodes an item by id (id field missing when the model never trained on it) and features. */
    public FieldEncoder.Encoded encodeItem(ItemId id, Features features) {
        List<List<int[]>> perField = new ArrayList<>();
        List<int[]> idRows = new ArrayList<>();
        Integer row = item.fields.get(0).vocabulary.get(id.value());
        if (row != null) {
            idRows.add(new int[] {row, Float.floatToIntBits(1f)});
        }
        perField.add(idRows);
        String where = "item " + id;
        for (int f = 1; f < item.fields.size(); f++) {
            FieldEncoder e = item.fields.get(f);
            List<int[]> out = new ArrayList<>();
            e.encode(features.values().get(e.name), out, where);
            perField.add(out);
        }
        checkKnown(features, itemSchema, where, Set.of());
        return FieldEncoder.Encoded.of(perField);
    }

    /**
     * Encodes the user's table fields.
     *
     * @param userIdx the known user's index, or -1
     * @param features the user's features (with context fields at serving), merged by the caller
     * @param timestamp the interaction time for context fields at training, or {@link Interaction#NO_TIMESTAMP}
     */
    public FieldEncoder.Encoded encodeUser(int userIdx, Features features, long timestamp, String where) {
        List<List<int[]>> perField = new ArrayList<>();
        List<int[]> idRows = new ArrayList<>();
        if (userIdx >= 0) {
            idRows.add(new int[] {userIdx + 1, Float.floatToIntBits(1f)});
        }
        perField.add(idRows);
        for (int f = 1; f < user.fields.size(); f++) {
            FieldEncoder e = user.fields.get(f);
            List<int[]> out = new ArrayList<>();
            if (config.context() && (e.name.equals(HOUR) || e.name.equals(DAY_OF_WEEK))) {
                String value = contextValue(e.name, features, timestamp, where);
                if (value != null) {
                    e.encode(FeatureValue.of(value), out, where);
                }
            } else {
                e.encode(features.values().get(e.name), out, where);
            }
            perField.add(out);
        }
        checkKnown(features, userSchema, where, config.context() ? Set.of(HOUR, DAY_OF_WEEK) : Set.of());
        return FieldEncoder.Encoded.of(perField);
    }

    private static String contextValue(String field, Features features, long timestamp, String where) {
        if (timestamp != Interaction.NO_TIMESTAMP) {
            long days = Math.floorDiv(timestamp, 86_400L);
            return field.equals(HOUR) ? String.valueOf(Math.floorMod(timestamp, 86_400L) / 3600)
                    : String.valueOf(Math.floorMod(days + 3, 7)); // 1970-01-01 was a Thursday; 0 = Monday
        }
        FeatureValue v = features.values().get(field);
        if (v == null) {
            return null;
        }
        int max = field.equals(HOUR) ? 23 : 6;
        long n;
        if (v instanceof FeatureValue.Numeric num && num.value() == Math.rint(num.value())) {
            n = (long) num.value();
        } else if (v instanceof FeatureValue.Categorical c && c.value().matches("\\d{1,2}")) {
            n = Long.parseLong(c.value());
        } else {
            throw new IllegalArgumentException("Context field '" + field + "' of " + where
                    + " must be an integer 0.." + max + ", got " + v);
        }
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("Context field '" + field + "' of " + where + " must be in 0.." + max
                    + ", got " + n);
        }
        return String.valueOf(n);
    }

    private static void checkKnown(Features features, FeatureSchema schema, String where, Set<String> extra) {
        for (String name : features.values().keySet()) {
            if (!extra.contains(name) && schema.field(name).isEmpty()) {
                throw new IllegalArgumentException("Unknown field '" + name + "' in " + where
                        + "; the model was trained with " + new TreeMap<>(Map.of("fields", schema.names()))
                        .get("fields") + (extra.isEmpty() ? "" : " and context fields " + new TreeSet<>(extra)));
            }
        }
    }

    /** The item-id-table rows of the most recent items (most recent first), at most historyLength. */
    public int[] historyRows(int[] catalogueIndices, int end) {
        int n = config.historyLength();
        int count = 0;
        int[] out = new int[Math.min(n, end)];
        for (int p = end - 1; p >= 0 && count < n; p--) {
            int row = itemIdRow[catalogueIndices[p]];
            if (row != 0) {
                out[count++] = row;
            }
        }
        return count == out.length ? out : java.util.Arrays.copyOf(out, count);
    }
}
