package dev.attentive.runtime;

import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalogue changes made while serving: the latest change of each item, in the order made, so
 * that a new model (after a swap, or after a restart) can be brought to the same catalogue by
 * replaying them — puts and removes are idempotent, so the latest change per item is all a replay
 * needs. With a file, every change is appended to it as one JSON line and fsync'd before
 * {@link #record} returns:
 * <pre>
 * {"seq":7,"op":"put","item":"sku-1","features":{"brand":"acme","tags":["a","b"],"price":12.5}}
 * {"seq":8,"op":"remove","item":"sku-2"}
 * </pre>
 * A string is a categorical value, a number numeric, a list of strings multi-categorical. On open,
 * a last line cut short by a crash (it was never acknowledged) is dropped; any other unreadable line
 * is an error naming the file and line. The file is compacted (rewritten atomically with the latest
 * change per item) when it has grown to more than twice that. Not thread safe: the serving
 * recommender calls it under its catalogue write lock.
 */
final class ChangeLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChangeLog.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int COMPACT_SLACK = 1024;

    /** One change: a put (features given) or a remove (features null). */
    record Change(long seq, ItemId item, Features features) {
        boolean isRemove() {
            return features == null;
        }
    }

    private final Path file;
    private final LinkedHashMap<ItemId, Change> latest = new LinkedHashMap<>();
    private FileChannel channel;
    private long lastSeq;
    private long lines;

    private ChangeLog(Path file) {
        this.file = file;
    }

    /**
     * A log kept in memory only: the changes since the recommender was built.
     *
     * @return the empty log
     */
    static ChangeLog inMemory() {
        return new ChangeLog(null);
    }

    /**
     * Opens a journal file, creating it when absent, and reads every change in it.
     *
     * @param file the journal
     * @return the log with the file's changes
     * @throws IllegalStateException naming the line when a line other than a torn last one is unreadable
     * @throws IOException when the file cannot be read or written
     */
    static ChangeLog open(Path file) throws IOException {
        ChangeLog log = new ChangeLog(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            bytes = new byte[0];
        }
        int start = 0;
        long lineNumber = 0;
        long goodEnd = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            boolean last = end >= bytes.length - 1;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            if (end == bytes.length) {
                // No newline: the process died while appending; the change was never acknowledged.
                LOG.log(System.Logger.Level.WARNING, "{0}:{1}: dropping a change cut short by a crash (it was never "
                        + "acknowledged): {2}", file, lineNumber, text);
                break;
            }
            Change change;
            try {
                change = parse(text);
            } catch (IllegalArgumentException | JacksonException e) {
                if (last) {
                    LOG.log(System.Logger.Level.WARNING, "{0}:{1}: dropping an unreadable last line (a change cut "
                            + "short by a crash): {2}", file, lineNumber, text);
                    break;
                }
                throw new IllegalStateException(file + ":" + lineNumber + ": unreadable catalogue change ("
                        + e.getMessage() + "); the journal is damaged: restore it from a backup, or delete this line "
                        + "to lose only this change");
            }
            if (change.seq() <= log.lastSeq) {
                throw new IllegalStateException(file + ":" + lineNumber + ": sequence number " + change.seq()
                        + " does not follow " + log.lastSeq + "; the journal was edited or two files were joined");
            }
            log.apply(change);
            log.lines++;
            goodEnd = end + 1;
            start = end + 1;
        }
        boolean created = !Files.exists(file);
        log.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (goodEnd < log.channel.size()) {
            log.channel.truncate(goodEnd);
            log.channel.force(false);
        }
        log.channel.position(goodEnd);
        if (created) {
            ServingDirectory.syncDirectory(file.getParent());
        }
        if (log.lines > 2L * log.latest.size() + COMPACT_SLACK) {
            log.compact();
        }
        return log;
    }

    private void apply(Change change) {
        latest.remove(change.item()); // re-inserted at the end: the map stays in the order of the latest changes
        latest.put(change.item(), change);
        lastSeq = change.seq();
    }

    /**
     * Records a change: appends and fsyncs it when there is a file, so that it is durable when this
     * returns.
     *
     * @param item the item
     * @param features its features for a put, null for a remove
     * @return the change
     * @throws IOException when the journal cannot be written (the change is then not recorded)
     */
    Change record(ItemId item, Features features) throws IOException {
        Change change = new Change(lastSeq + 1, item, features);
        if (channel != null) {
            long position = channel.position();
            try {
                write(channel, line(change));
                channel.force(false);
            } catch (IOException e) {
                // Leave no partial line behind for the next append to run into.
                try {
                    channel.truncate(position);
                    channel.position(position);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            lines++;
        }
        apply(change);
        return change;
    }

    /**
     * The latest change of every item, oldest first.
     *
     * @return a copy
     */
    List<Change> snapshot() {
        return new ArrayList<>(latest.values());
    }

    /**
     * The latest changes made after a sequence number, oldest first.
     *
     * @param seq a sequence number from {@link #lastSeq()}
     * @return a copy
     */
    List<Change> since(long seq) {
        List<Change> out = new ArrayList<>();
        for (Change c : latest.values()) {
            if (c.seq() > seq) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The sequence number of the latest change.
     *
     * @return it, or 0 before any change
     */
    long lastSeq() {
        return lastSeq;
    }

    /**
     * The number of items changed.
     *
     * @return the count
     */
    int size() {
        return latest.size();
    }

    /**
     * Rewrites the file with the latest change per item, when it has grown to more than twice that.
     *
     * @throws IOException when the rewrite fails (the old file then stays in place)
     */
    void compactIfLarge() throws IOException {
        if (channel != null && lines > 2L * latest.size() + COMPACT_SLACK) {
            compact();
        }
    }

    private void compact() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Change c : latest.values()) {
                write(out, line(c));
            }
            out.force(true);
        }
        channel.close();
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ServingDirectory.syncDirectory(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        channel.position(channel.size());
        LOG.log(System.Logger.Level.INFO, "Compacted {0} from {1} to {2} lines", file, lines, latest.size());
        lines = latest.size();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    private static void write(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
    }

    private static byte[] line(Change c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", c.seq());
        node.put("op", c.isRemove() ? "remove" : "put");
        node.put("item", c.item().value());
        if (!c.isRemove()) {
            ObjectNode features = node.putObject("features");
            for (Map.Entry<String, FeatureValue> e : c.features().values().entrySet()) {
                switch (e.getValue()) {
                    case FeatureValue.Categorical v -> features.put(e.getKey(), v.value());
                    case FeatureValue.Numeric v -> features.put(e.getKey(), v.value());
                    case FeatureValue.MultiCategorical v -> {
                        ArrayNode values = features.putArray(e.getKey());
                        v.values().forEach(values::add);
                    }
                }
            }
        }
        return (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Change parse(String text) {
        JsonNode node = JSON.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode seq = node.get("seq");
        if (seq == null || !seq.isIntegralNumber() || seq.asLong() < 1) {
            throw new IllegalArgumentException("'seq' must be a positive integer");
        }
        JsonNode item = node.get("item");
        if (item == null || !item.isString() || item.asString().isBlank()) {
            throw new IllegalArgumentException("'item' must be a non-blank string");
        }
        String op = node.path("op").asString("");
        return switch (op) {
            case "remove" -> new Change(seq.asLong(), ItemId.of(item.asString()), null);
            case "put" -> new Change(seq.asLong(), ItemId.of(item.asString()), features(node.get("features")));
            default -> throw new IllegalArgumentException("'op' must be put or remove, got '" + op + "'");
        };
    }

    private static Features features(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a put needs 'features', an object");
        }
        Map<String, FeatureValue> values = new LinkedHashMap<>();
        for (var e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isString()) {
                values.put(e.getKey(), FeatureValue.of(v.asString()));
            } else if (v.isNumber()) {
                values.put(e.getKey(), FeatureValue.of(v.asDouble()));
            } else if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode part : v) {
                    if (!part.isString()) {
                        throw new IllegalArgumentException("feature '" + e.getKey() + "' lists a non-string");
                    }
                    parts.add(part.asString());
                }
                values.put(e.getKey(), FeatureValue.of(parts));
            } else {
                throw new IllegalArgumentException("feature '" + e.getKey() + "' is neither a string, a number nor a "
                        + "list of strings");
            }
        }
        return new Features(values);
    }

    /** Replays recorded changes onto a model's catalogue. */
    static void replay(List<Change> changes, Recommender model, String what) {
        if (changes.isEmpty()) {
            return;
        }
        ItemCatalogue target;
        try {
            target = model.catalogue();
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException(what + " holds " + changes.size() + " catalogue changes, but the model to "
                    + "serve has no living catalogue to apply them to (" + e.getMessage() + ")", e);
        }
        for (Change c : changes) {
            try {
                if (c.isRemove()) {
                    target.remove(c.item());
                } else {
                    target.put(c.item(), c.features());
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Cannot apply catalogue change " + c.seq() + " from " + what + " ("
                        + (c.isRemove() ? "remove" : "put") + " item " + c.item() + ") to the model to serve: "
                        + e.getMessage() + ". The item's features must fit the model's item schema; remove the item "
                        + "from the catalogue, or serve a model trained with these fields", e);
            }
        }
    }
}
