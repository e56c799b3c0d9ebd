package dev.attentive.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loader tests on small files written in the releases' formats (never the real data). */
class MovieLensTest {
    @TempDir
    Path dir;

    private void write100k(String data) throws IOException {
        Files.writeString(dir.resolve("u.data"), data);
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|94043\n");
        Files.write(dir.resolve("u.item"), ("1|Caf\u00e9 (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                + "2|GoldenEye (1995)|||http://x|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void loads100kWithFeatures() throws IOException {
        write100k("1\t1\t5\t881250949\n2\t2\t3\t881250950\n");
        Dataset d = MovieLens.ml100k(dir);
        assertThat(d.interactions()).hasSize(2);
        assertThat(d.interactions().get(0).weight()).isEqualTo(5f);
        assertThat(d.interactions().get(0).timestamp()).isEqualTo(881250949L);
        assertThat(d.users().get(UserId.of("1")).get("zip2")).contains(FeatureValue.of("85"));
        assertThat(d.items().get(ItemId.of("1")).get("genres"))
                .contains(FeatureValue.of(List.of("Animation", "Children's", "Comedy")));
        assertThat(d.items().get(ItemId.of("1")).get("year")).contains(FeatureValue.of(1995));
        assertThat(d.items().get(ItemId.of("2")).get("year")).isEmpty();
        assertThat(d.hasTimestamps()).isTrue();
    }

    @Test
    void malformedLinesNameFileLineAndField() throws IOException {
        write100k("1\t1\t5\t881250949\n2\t2\tfive\t881250950\n");
        assertThatThrownBy(() -> MovieLens.ml100k(dir)).isInstanceOf(DataFormatException.class)
                .hasMessage(dir.resolve("u.data") + ":2 field 'rating': expected a finite number, got 'five'");
        write100k("1\t1\t5\n");
        assertThatThrownBy(() -> MovieLens.ml100k(dir)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("u.data:1: expected 4 tab-separated fields: user id, item id, rating, timestamp, got 3 field(s)");
        write100k("1\t1\t9\t881250949\n");
        assertThatThrownBy(() -> MovieLens.ml100k(dir)).hasMessageContaining("expected a rating in [1.0, 5.0], got 9.0");
        write100k("1\t3\t4\t881250949\n");
        assertThatThrownBy(() -> MovieLens.ml100k(dir)).hasMessageContaining("u.item field 'movie id': 1 item(s) rated in u.data have no row here");
    }

    @Test
    void loads1mWithOrWithoutTimestamps() throws IOException {
        Files.writeString(dir.resolve("users.dat"), "1::F::1::10::48067\n");
        Files.write(dir.resolve("movies.dat"), "1::Toy Story (1995)::Animation|Children's|Comedy\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("ratings_no_timestamps.dat"), "1::1::5\n");
        Dataset noTime = MovieLens.ml1m(dir);
        assertThat(noTime.hasTimestamps()).isFalse();
        assertThat(noTime.users().get(UserId.of("1")).get("age")).contains(FeatureValue.of("1"));
        Files.writeString(dir.resolve("ratings.dat"), "1::1::5::978300760\n");
        assertThat(MovieLens.ml1m(dir).interactions().get(0).timestamp()).isEqualTo(978300760L);
        Files.writeString(dir.resolve("ratings.dat"), "1::1::5::978300760\n1::1::4\n");
        assertThatThrownBy(() -> MovieLens.ml1m(dir)).hasMessageContaining("ratings.dat:2: expected 4 fields like the first line, got 3");
        Files.writeString(dir.resolve("ratings.dat"), "1::1\n");
        assertThatThrownBy(() -> MovieLens.ml1m(dir)).hasMessageContaining("UserID::MovieID::Rating[::Timestamp] (3 or 4 fields)");
    }

    @Test
    void loadsCsvReleasesWithQuotesAndTags() throws IOException {
        Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\r\n1,1,4.5,964982703\r\n");
        Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\r\n1,\"American President, The (1995)\",Comedy|Drama|Romance\r\n");
        Files.writeString(dir.resolve("tags.csv"), "userId,movieId,tag,timestamp\r\n1,1,Funny,1\r\n");
        Dataset d = MovieLens.csvRelease("ml-latest-small", dir);
        assertThat(d.interactions().get(0).weight()).isEqualTo(4.5f);
        assertThat(d.items().get(ItemId.of("1")).get("year")).contains(FeatureValue.of(1995));
        assertThat(d.items().get(ItemId.of("1")).get("tags")).contains(FeatureValue.of(List.of("funny")));
        Files.write(dir.resolve("ratings.csv"), new byte[] {'u', 's', 'e', 'r', (byte) 0xff});
        assertThatThrownBy(() -> MovieLens.csvRelease("x", dir)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("ratings.csv:1: bytes that are not valid UTF-8");
    }
}
