package dev.attentive.index.lucene;

import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Opens the index directory and its writer only for the spec the index was built for: the commit
 * data records the format version, dimension, similarity and model fingerprint, and an index built
 * for anything else — or a Lucene index this retriever did not write — is refused with a message
 * that names both sides and the fix. Stateless.
 */
final class IndexCompatibility {
    static final String META_FORMAT = "attentive.format";
    static final String META_DIMENSION = "attentive.dimension";
    static final String META_SIMILARITY = "attentive.similarity";
    static final String META_MODEL = "attentive.modelFingerprint";
    static final String FORMAT_VERSION = "1";
    private static final System.Logger LOG = System.getLogger(IndexCompatibility.class.getName());

    private IndexCompatibility() {
    }

    /** The in-memory directory, or the on-disk one at {@code config.path()}, created when absent. */
    static Directory openDirectory(Config config) throws IOException {
        if (config.path().isEmpty()) {
            return new ByteBuffersDirectory();
        }
        Path path = Path.of(config.path());
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new IllegalArgumentException("lucene-hnsw setting 'path' = '" + path
                    + "' is a file; it must be a directory (created when absent)");
        }
        Files.createDirectories(path);
        return FSDirectory.open(path);
    }

    /**
     * The writer over {@code directory}, after checking that an existing index was built for
     * {@code spec}; a new index gets its first commit right away, so that it records the model
     * fingerprint before any item arrives.
     */
    static IndexWriter openWriter(Directory directory, Config config, RetrieverSpec spec, String location,
            ExecutorService mergeExecutor, AtomicBoolean graphlessFlush) throws IOException {
        boolean exists = DirectoryReader.indexExists(directory);
        if (exists) {
            checkCompatible(SegmentInfos.readLatestCommit(directory).getUserData(), spec, location);
        }
        IndexWriterConfig iwc = new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setCodec(HnswCodec.of(config, mergeExecutor, graphlessFlush))
                .setRAMBufferSizeMB(config.ramBufferMb())
                .setCommitOnClose(true);
        IndexWriter writer = new IndexWriter(directory, iwc);
        writer.setLiveCommitData(metadata(spec).entrySet());
        if (!exists) {
            writer.commit();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> (exists ? "Reopened" : "Created") + " lucene-hnsw index at "
                + location + " for " + spec);
        return writer;
    }

    static Map<String, String> metadata(RetrieverSpec spec) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_FORMAT, FORMAT_VERSION);
        meta.put(META_DIMENSION, Integer.toString(spec.dimension()));
        meta.put(META_SIMILARITY, spec.similarity().name());
        meta.put(META_MODEL, spec.modelFingerprint());
        return meta;
    }

    static void checkCompatible(Map<String, String> stored, RetrieverSpec spec, String location) {
        if (!stored.containsKey(META_FORMAT)) {
            throw new IllegalArgumentException("The directory " + location + " holds a Lucene index that the "
                    + "lucene-hnsw retriever did not write (its commit data has no '" + META_FORMAT
                    + "'); set 'path' to an empty directory or to a lucene-hnsw index");
        }
        if (!FORMAT_VERSION.equals(stored.get(META_FORMAT))) {
            throw new IllegalArgumentException("The lucene-hnsw index at " + location + " has format version "
                    + stored.get(META_FORMAT) + ", this library reads version " + FORMAT_VERSION
                    + "; rebuild the index with this version");
        }
        String dimension = stored.get(META_DIMENSION);
        String similarity = stored.get(META_SIMILARITY);
        String model = stored.get(META_MODEL);
        if (!Integer.toString(spec.dimension()).equals(dimension) || !spec.similarity().name().equals(similarity)
                || !spec.modelFingerprint().equals(model)) {
            throw new IllegalArgumentException("The lucene-hnsw index at " + location
                    + " was built for model fingerprint '" + model + "' (dimension " + dimension + ", " + similarity
                    + ") and refuses to open for model fingerprint '" + spec.modelFingerprint() + "' (dimension "
                    + spec.dimension() + ", " + spec.similarity() + "); delete the directory to build the index "
                    + "again for this model, or set 'path' to another directory");
        }
    }
}
