package dev.attentive.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The serving directory ({@code indexDirectory}): everything a serving recommender needs to come
 * back after a crash, laid out as
 * <pre>
 * serving.json     the committed generation: which model and index serve (replaced atomically)
 * journal.jsonl    catalogue changes, one JSON line each, fsync'd before the change is acknowledged
 * models/N/        the model of generation N, as TwoTowerModels.save writes it
 * index/N/         the retriever's persistent index for generation N
 * lock             held (OS file lock) while a process serves from the directory
 * </pre>
 * A generation is committed by the atomic replacement of {@code serving.json}; a model directory or
 * index that no committed state names (an interrupted save or swap, a temporary sibling that
 * {@code TwoTowerModels.save} left) is deleted when the directory is opened, so nothing half-written
 * is ever loaded. Not thread safe: the serving recommender calls it under its swap lock.
 */
final class ServingDirectory implements AutoCloseable {
    /** The committed state's file name. */
    static final String STATE = "serving.json";
    /** The journal's file name. */
    static final String JOURNAL = "journal.jsonl";
    /** The state format name. */
    static final String FORMAT = "attentive-serving";
    /** The state format version this library writes and reads. */
    static final int FORMAT_VERSION = 1;
    private static final String MODELS = "models";
    private static final String INDEX = "index";
    static final String LOCK = "lock";
    private static final System.Logger LOG = System.getLogger(ServingDirectory.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile State state; // read by the thread that closes a replaced generation

    /**
     * What {@code serving.json} records.
     *
     * @param generation the committed generation, from 1
     * @param configFingerprint the fingerprint of the config that first trained or loaded a model here
     */
    record State(long generation, String configFingerprint) {
    }

    private ServingDirectory(Path root, FileChannel lockChannel, FileLock lock, State state) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.state = state;
    }

    /**
     * Whether a directory holds serving state (so it may be reused although it is not empty).
     *
     * @param dir an existing directory
     * @return true when it has {@code serving.json}, {@code journal.jsonl} or the {@code lock} file (a
     *     first start that died before it wrote anything else)
     */
    static boolean isServingDirectory(Path dir) {
        return Files.exists(dir.resolve(STATE)) || Files.exists(dir.resolve(JOURNAL)) || Files.exists(dir.resolve(LOCK));
    }

    /**
     * Opens (creating when absent) and locks a serving directory, reads its committed state and
     * deletes every model and index directory that the state does not name.
     *
     * @param root the directory
     * @return the opened directory
     * @throws IllegalStateException when another process (or another recommender in this JVM) serves
     *     from it
     * @throws IOException when it cannot be read or written
     */
    static ServingDirectory open(Path root) throws IOException {
        Files.createDirectories(root);
        FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("The index directory " + root + " is in use by another serving recommender "
                    + "(its lock file is held); close that one first, or give this one another indexDirectory");
        }
        try {
            ServingDirectory dir = new ServingDirectory(root, channel, lock, readState(root));
            dir.deleteUncommitted();
            return dir;
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    private static State readState(Path root) throws IOException {
        Path file = root.resolve(STATE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalStateException(file + ": not valid JSON (" + e.getOriginalMessage() + "); it is written "
                    + "atomically, so it was edited by hand: restore it or delete the directory to start anew");
        }
        if (!FORMAT.equals(node.path("format").asString("")) || node.path("formatVersion").asInt(0) < 1) {
            throw new IllegalStateException(file + ": not an Attentive serving state (format '"
                    + node.path("format").asString("") + "', expected '" + FORMAT + "')");
        }
        int version = node.path("formatVersion").asInt();
        if (version > FORMAT_VERSION) {
            throw new IllegalStateException(file + ": format version " + version + " is newer than this library reads ("
                    + FORMAT_VERSION + "); serve it with the library version that wrote it");
        }
        long generation = node.path("generation").asLong(0);
        if (generation < 1) {
            throw new IllegalStateException(file + ": 'generation' must be at least 1, got "
                    + node.path("generation"));
        }
        return new State(generation, node.path("configFingerprint").asString(""));
    }

    /** Deletes what no committed state names: interrupted saves, temporary siblings, replaced generations. */
    private void deleteUncommitted() throws IOException {
        for (String area : new String[] {MODELS, INDEX}) {
            Path dir = root.resolve(area);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    if (state == null || !p.getFileName().toString().equals(Long.toString(state.generation()))) {
                        LOG.log(System.Logger.Level.INFO, "Deleting {0}: no committed generation uses it", p);
                        deleteTree(p);
                    }
                }
            }
        }
        Files.deleteIfExists(root.resolve(STATE + ".tmp"));
    }

    /**
     * The committed state.
     *
     * @return the state, or empty when no model was committed yet
     */
    Optional<State> state() {
        return Optional.ofNullable(state);
    }

    /**
     * The generation the next commit will have.
     *
     * @return the committed generation plus one, or 1
     */
    long nextGeneration() {
        return state == null ? 1 : state.generation() + 1;
    }

    Path root() {
        return root;
    }

    Path journal() {
        return root.resolve(JOURNAL);
    }

    Path model(long generation) {
        return root.resolve(MODELS).resolve(Long.toString(generation));
    }

    Path index(long generation) {
        return root.resolve(INDEX).resolve(Long.toString(generation));
    }

    /**
     * Copies a saved model into the directory of a generation: into a temporary sibling first, fsync'd,
     * then moved into place, so the target is complete or absent.
     *
     * @param source a saved model directory
     * @param generation the generation it will serve as
     * @return the copy
     */
    Path copyModel(Path source, long generation) throws IOException {
        Path target = model(generation);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), "." + generation + ".tmp-");
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(tmp.resolve(source.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, tmp.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
            syncTree(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
        } finally {
            if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(tmp);
            }
        }
        return target;
    }

    /**
     * Makes a model directory that {@code TwoTowerModels.save} wrote durable (it writes without fsync).
     *
     * @param dir the saved model
     */
    void syncModel(Path dir) throws IOException {
        syncTree(dir);
        syncDirectory(dir.getParent());
    }

    /**
     * Commits a generation: {@code serving.json} is written to a temporary file, fsync'd and moved over
     * the old one atomically. From here on, opening the directory serves this generation.
     *
     * @param generation the generation, whose model directory is complete and durable
     * @param configFingerprint the fingerprint to record (the old one is kept when null)
     */
    void commit(long generation, String configFingerprint) throws IOException {
        String fingerprint = configFingerprint != null ? configFingerprint
                : state == null ? "" : state.configFingerprint();
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("formatVersion", FORMAT_VERSION);
        node.put("generation", generation);
        node.put("model", MODELS + "/" + generation);
        node.put("index", INDEX + "/" + generation);
        node.put("configFingerprint", fingerprint);
        node.put("committedAt", Instant.now().toString());
        Path tmp = root.resolve(STATE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)
                    .getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, root.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(root);
        state = new State(generation, fingerprint);
    }

    /**
     * Deletes the model and index of a generation that no longer serves (best effort: a failure is
     * logged, and the next open deletes what is left).
     *
     * @param generation the replaced generation
     */
    void deleteGeneration(long generation) {
        if (state != null && state.generation() == generation) {
            return;
        }
        for (Path p : new Path[] {model(generation), index(generation)}) {
            try {
                deleteTree(p);
            } catch (IOException | UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot delete " + p + " of a replaced generation; the next "
                        + "open deletes it", e);
            }
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void syncTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                syncDirectory(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Makes a directory's entries (a created, renamed or deleted file) durable. Where the platform cannot
     * open a directory for this (Windows), the rename's own durability is all there is.
     *
     * @param dir the directory
     */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not supported on every platform; see the method comment.
        }
    }
}
