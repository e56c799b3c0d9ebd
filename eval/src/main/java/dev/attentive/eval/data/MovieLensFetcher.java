package dev.attentive.eval.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Downloads a MovieLens release from GroupLens into a folder, safely:
 * <ol>
 *   <li>reads the MD5 checksum GroupLens publishes next to each zip ({@code <base><name>.zip.md5});</li>
 *   <li>streams {@code <base><name>.zip} into a temporary file in the target folder, hashing it on the way;</li>
 *   <li>refuses a checksum mismatch, deleting the download;</li>
 *   <li>unzips into a temporary folder, refusing any entry whose path would escape it (zip-slip) or is absolute;</li>
 *   <li>moves the release folder into place ({@code <target>/<name>/}) only when everything succeeded.</li>
 * </ol>
 * A failure at any step leaves nothing behind but the target folder itself. MD5 detects damaged
 * downloads; it is not a defence against a deliberate forgery (HTTPS is). Thread safe; concurrent
 * fetches of the same release into one folder are not supported.
 */
public final class MovieLensFetcher {
    /** The releases this fetcher knows. */
    public static final List<String> RELEASES = List.of("ml-100k", "ml-1m", "ml-latest-small", "ml-20m", "ml-25m");
    /** The official GroupLens address. */
    public static final URI OFFICIAL = URI.create("https://files.grouplens.org/datasets/movielens/");

    private static final System.Logger LOG = System.getLogger(MovieLensFetcher.class.getName());
    private static final Pattern MD5 = Pattern.compile("\\b([0-9a-fA-F]{32})\\b");

    private final URI base;
    private final HttpClient client;

    /**
     * A fetcher from a base address.
     *
     * @param base the folder URI holding {@code <name>.zip} and {@code <name>.zip.md5}, ending in {@code /}
     *     ({@link #OFFICIAL} in production; a loopback server in tests)
     */
    public MovieLensFetcher(URI base) {
        Objects.requireNonNull(base, "base");
        String s = base.toString();
        this.base = s.endsWith("/") ? base : URI.create(s + "/");
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Downloads, verifies and unzips a release.
     *
     * @param release one of {@link #RELEASES}
     * @param target the folder to put {@code <release>/} into (created if needed)
     * @param replace whether an existing {@code <target>/<release>/} is replaced
     * @return the release folder
     * @throws IllegalArgumentException for an unknown release, an existing folder (without
     *     {@code replace}), an HTTP error, a checksum mismatch or an unsafe zip entry
     * @throws UncheckedIOException when the network or the disk fails
     */
    public Path fetch(String release, Path target, boolean replace) {
        if (!RELEASES.contains(release)) {
            throw new IllegalArgumentException("Unknown MovieLens release '" + release + "'; valid: " + String.join(", ", RELEASES));
        }
        Path dest = target.resolve(release);
        if (Files.exists(dest) && !replace) {
            throw new IllegalArgumentException(dest + " already exists; delete it or fetch with --force to replace it");
        }
        URI zipUri = base.resolve(release + ".zip");
        URI md5Uri = base.resolve(release + ".zip.md5");
        Path download = null;
        Path unpack = null;
        try {
            Files.createDirectories(target);
            String expected = expectedMd5(md5Uri);
            download = Files.createTempFile(target, "." + release + "-", ".zip.part");
            String actual = download(zipUri, download);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new IllegalArgumentException("Checksum mismatch for " + zipUri + ": expected MD5 " + expected + " (from "
                        + md5Uri + "), got " + actual + "; the download is damaged or was tampered with. Nothing was written;"
                        + " try again later or check the address");
            }
            unpack = Files.createTempDirectory(target, "." + release + "-unzip-");
            unzip(download, unpack, zipUri);
            Path inner = unpack.resolve(release);
            Path source = Files.isDirectory(inner) ? inner : unpack;
            if (replace && Files.exists(dest)) {
                deleteTree(dest);
            }
            try {
                Files.move(source, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(dest + " appeared while fetching; delete it and try again", e);
            }
            LOG.log(System.Logger.Level.INFO, "Fetched {0} into {1} (MD5 {2} verified)", zipUri, dest, actual);
            return dest;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot fetch " + zipUri + " into " + target + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fetching " + zipUri, e);
        } finally {
            try {
                if (download != null) {
                    Files.deleteIfExists(download);
                }
                if (unpack != null && Files.exists(unpack)) {
                    deleteTree(unpack);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not remove temporary files in " + target, e);
            }
        }
    }

    private String expectedMd5(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException("Cannot read the published checksum " + uri + ": HTTP " + response.statusCode());
        }
        Matcher m = MD5.matcher(response.body());
        if (!m.find()) {
            throw new IllegalArgumentException("The published checksum " + uri + " holds no MD5 (32 hex digits): '"
                    + TextFiles.abbreviate(response.body().strip()) + "'");
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    private String download(URI uri, Path to) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("Cannot download " + uri + ": HTTP " + response.statusCode());
            }
            MessageDigest md5 = md5();
            try (InputStream in = new DigestInputStream(body, md5); OutputStream out = Files.newOutputStream(to)) {
                in.transferTo(out);
            }
            return HexFormat.of().formatHex(md5.digest());
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no MD5 digest", e);
        }
    }

    /** Unzips, refusing entries that are absolute or escape {@code into} after normalisation. */
    static void unzip(Path zip, Path into, URI source) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                Path resolved = root.resolve(name).normalize();
                if (name.startsWith("/") || name.startsWith("\\") || Path.of(name).isAbsolute() || !resolved.startsWith(root)
                        || resolved.equals(root)) {
                    throw new IllegalArgumentException("Unsafe entry '" + name + "' in " + source
                            + ": it would be written outside the target folder (zip-slip); refusing the archive, nothing was written");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(resolved);
                } else {
                    Files.createDirectories(resolved.getParent());
                    Files.copy(in, resolved);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
