package dev.attentive.model.store;

import dev.attentive.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The model directory as a whole: written atomically (every file into a temporary sibling directory,
 * which is then renamed into place, so the target never holds a half-written model) and read back
 * with each data file's size and SHA-256 checked against the manifest. Stateless.
 */
final class ModelDirectory {
    private ModelDirectory() {
    }

    /**
     * The directory a model may be saved to: absent, or an empty directory.
     *
     * @return {@code dir}, absolute and normalised
     * @throws IllegalArgumentException when it is a file or a non-empty directory
     */
    static Path checkWritable(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new IllegalArgumentException("Cannot save the model to " + target + ": it is a file; "
                        + "name a new directory");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                if (entries.iterator().hasNext()) {
                    throw new IllegalArgumentException("Cannot save the model to " + target + ": the directory is "
                            + "not empty; name a new directory or delete it first");
                }
            }
        }
        return target;
    }

    /**
     * Writes the files into a temporary sibling of {@code target} and moves it into place.
     *
     * @param target a directory checked by {@link #checkWritable}
     * @param files file name to content, written in this order; a name may hold {@code /}-separated
     *     sub-directories (such as {@code retrieval/model.json}), which are created
     */
    static void writeAtomically(Path target, Map<String, byte[]> files) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            for (var f : files.entrySet()) {
                Path file = tmp.resolve(f.getKey()).normalize();
                if (!file.startsWith(tmp) || file.equals(tmp)) {
                    throw new IllegalArgumentException("The model file name '" + f.getKey() + "' leaves the directory");
                }
                Files.createDirectories(file.getParent());
                Files.write(file, f.getValue());
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // createTempDirectory makes it owner-only; a model directory is ordinary data.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (Files.exists(target)) {
                Files.delete(target); // checked empty above
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.deleteIfExists(dir);
    }

    /**
     * Reads data files and checks each against its entry ({@code bytes}, {@code sha256}) in the
     * manifest's {@code files} object.
     *
     * @param dir the model directory
     * @param manifestFile the manifest, for error messages
     * @param list the manifest's {@code files} object
     * @param names the data files to read, in order
     * @return file name to content, in the order of {@code names}
     * @throws ModelFormatException naming the file that is unlisted, missing, truncated or corrupt
     */
    static Map<String, byte[]> readVerified(Path dir, Path manifestFile, JsonNode list, List<String> names)
            throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : names) {
            JsonNode entry = list.get(name);
            if (entry == null || !entry.isObject()) {
                throw new ModelFormatException(manifestFile, "lists no checksum for " + name);
            }
            Path file = dir.resolve(name);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new ModelFormatException(file, "missing; the model directory is incomplete");
            }
            long expected = entry.path("bytes").asLong(-1);
            if (bytes.length < expected) {
                throw new ModelFormatException(file, "truncated: " + bytes.length + " bytes, expected " + expected);
            }
            if (bytes.length != expected) {
                throw new ModelFormatException(file, "has " + bytes.length + " bytes, expected " + expected);
            }
            String sha = sha256(bytes);
            String expectedSha = entry.path("sha256").asString("");
            if (!sha.equals(expectedSha)) {
                throw new ModelFormatException(file, "checksum mismatch: SHA-256 is " + sha + " but model.json "
                        + "records " + expectedSha + "; the file is corrupt or was modified");
            }
            files.put(name, bytes);
        }
        return files;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
