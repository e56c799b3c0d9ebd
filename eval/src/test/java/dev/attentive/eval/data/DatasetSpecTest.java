package dev.attentive.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.eval.fixtures.ShopSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void loadsInteractionsAndFeatureTablesFromAYamlSpec() throws IOException {
        Dataset d = DatasetSpec.load(ShopSpec.write(dir));
        assertThat(d.name()).isEqualTo("shop");
        assertThat(d.interactions()).containsExactly(
                new Interaction(UserId.of("u1"), ItemId.of("s1"), 1_704_164_645L, 2),
                new Interaction(UserId.of("u2"), ItemId.of("s2"), 1_704_067_200L, 1));
        assertThat(d.users().schema().fields()).containsExactly(FieldSpec.numeric("age"), FieldSpec.categorical("city"));
        assertThat(d.users().get(UserId.of("u1")).values()).containsEntry("age", FeatureValue.of(31.0))
                .containsEntry("city", FeatureValue.of("Paris"));
        assertThat(d.users().get(UserId.of("u2")).values()).isEmpty();
        assertThat(d.items().get(ItemId.of("s1")).get("tags")).contains(FeatureValue.of(List.of("a", "b")));
        assertThat(d.items().get(ItemId.of("s2")).values()).isEmpty();
    }

    @Test
    void jsonSpecWithEpochTimestampsAndNoFeatureTables() throws IOException {
        write("r.tsv", "7\t9\t1700000000000\n8\t9\t1700000001000\n");
        Path spec = write("mine.json", """
                {"interactions": {"file": "r.tsv", "separator": "\\t", "header": false,
                  "columns": [{"name": "u", "type": "user"}, {"name": "i", "type": "item"},
                              {"name": "t", "type": "timestamp", "format": "epoch-millis"}]}}
                """);
        Dataset d = DatasetSpec.load(spec);
        assertThat(d.name()).isEqualTo("mine");
        assertThat(d.interactions()).extracting(Interaction::timestamp).containsExactly(1_700_000_000L, 1_700_000_001L);
        assertThat(d.interactions()).extracting(Interaction::weight).containsOnly(1f);
    }

    @Test
    void unknownKeysAndBadDeclarationsAreErrorsWithThePlace() throws IOException {
        Path typo = write("typo.yaml", ShopSpec.YAML.replace("separator: tab", "sepparator: tab"));
        assertThatThrownBy(() -> DatasetSpec.read(typo)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("typo.yaml field 'users.sepparator': unknown key 'sepparator'; valid keys: [columns, encoding, file,"
                        + " header, separator]");
        Path bad = write("bad.yaml", """
                interactions:
                  file: e.csv
                  columns:
                    - {name: a, type: user}
                    - {name: b, type: product}
                items:
                  file: i.csv
                  columns:
                    - {name: tags, type: multi_categorical}
                """);
        assertThatThrownBy(() -> DatasetSpec.read(bad)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("invalid spec: interactions column 'b' has type 'product'; valid types: [user, item, weight,"
                        + " timestamp, ignore]")
                .hasMessageContaining("interactions need exactly one column of type 'item', found 0")
                .hasMessageContaining("items column 'tags' is multi_categorical and needs a 'delimiter'")
                .hasMessageContaining("items need exactly one column of type 'id', found 0");
    }

    @Test
    void headerMismatchAndMalformedLinesNameFileLineAndField() throws IOException {
        Path spec = ShopSpec.write(dir);
        write("events.csv", "user_id,sku,quantity,ts,channel\nu1,s1,2,2024-01-02 03:04:05,web\n");
        assertThatThrownBy(() -> DatasetSpec.load(spec)).hasMessageContaining("events.csv:1: the header [user_id, sku, quantity,"
                + " ts, channel] does not match the spec's columns [user_id, sku, qty, ts, channel]; unknown column(s) [quantity]"
                + " (declare them, with type ignore to skip); missing column(s) [qty]");
        write("events.csv", "user_id,sku,qty,ts,channel\nu1,s1,2,2024-01-02 03:04:05,web\nu2,s2,lots,2024-01-01 00:00:00,app\n");
        assertThatThrownBy(() -> DatasetSpec.load(spec)).isInstanceOf(DataFormatException.class)
                .hasMessageEndingWith("events.csv:3 field 'qty': expected a finite number, got 'lots'");
        write("events.csv", "user_id,sku,qty,ts,channel\nu1,s1,2,02/01/2024,web\n");
        assertThatThrownBy(() -> DatasetSpec.load(spec))
                .hasMessageEndingWith("events.csv:2 field 'ts': expected a timestamp in format 'yyyy-MM-dd HH:mm:ss', got '02/01/2024'");
        write("events.csv", "user_id,sku,qty,ts,channel\nu1,s1,2,2024-01-02 03:04:05\n");
        assertThatThrownBy(() -> DatasetSpec.load(spec)).hasMessageContaining("events.csv:2: expected 5 fields separated by ','"
                + " (user_id, sku, qty, ts, channel), got 4");
        write("events.csv", "user_id,sku,qty,ts,channel\nu1,s1,2,2024-01-02 03:04:05,web\n");
        write("users.tsv", "id\tage\tcity\nu1\t31\tParis\nu1\t32\tLyon\n");
        assertThatThrownBy(() -> DatasetSpec.load(spec)).hasMessageEndingWith("users.tsv:3 field 'id': duplicate id u1; each id must appear once");
    }
}
