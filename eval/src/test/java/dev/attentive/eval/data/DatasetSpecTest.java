package dev.attentive.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.eval.cli.EvalMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecTest {
    @TempDir
    Path dir;

    private static final String YAML = """
            name: shop
            interactions:
              file: events.csv
              columns:
                - {name: user_id, type: user}
                - {name: sku, type: item}
                - {name: qty, type: weight}
                - {name: ts, type: timestamp, format: "yyyy-MM-dd HH:mm:ss"}
                - {name: channel, type: ignore}
            users:
              file: users.tsv
              separator: tab
              columns:
                - {name: id, type: id}
                - {name: age, type: numeric, missing: ["NA"]}
                - {name: city, type: categorical}
            items:
              file: items.txt
              separator: "::"
              header: false
              columns:
                - {name: sku, type: id}
                - {name: tags, type: multi_categorical, delimiter: "|"}
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private Path shop() throws IOException {
        write("events.csv", "user_id,sku,qty,ts,channel\nu1,s1,2,2024-01-02 03:04:05,web\nu2,\"s2\",1,2024-01-01 00:00:00,app\n");
        write("users.tsv", "id\tage\tcity\nu1\t31\tParis\nu2\tNA\t\n");
        write("items.txt", "s1::a|b| b\ns2::\n");
        return write("shop.yaml", YAML);
    }

    @Test
    void loadsInteractionsAndFeatureTablesFromAYamlSpec() throws IOException {
        Dataset d = DatasetSpec.load(shop());
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
        Path typo = write("typo.yaml", YAML.replace("separator: tab", "sepparator: tab"));
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
        Path spec = shop();
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

    @Test
    void evaluateAndProfileAcceptASpec() throws IOException {
        StringBuilder events = new StringBuilder("user_id,sku,qty,ts,channel\n");
        StringBuilder users = new StringBuilder("id\tage\tcity\n");
        StringBuilder items = new StringBuilder();
        for (int u = 0; u < 40; u++) {
            users.append("u").append(u).append('\t').append(20 + u).append("\tc").append(u % 3).append('\n');
            for (int k = 0; k < 12; k++) {
                int item = (u * 7 + k * 3) % 60;
                events.append("u").append(u).append(",s").append(item).append(",1,2024-01-01 00:00:").append(String.format("%02d", k))
                        .append(",web\n");
            }
        }
        for (int i = 0; i < 60; i++) {
            items.append("s").append(i).append("::t").append(i % 4).append('\n');
        }
        write("events.csv", events.toString());
        write("users.tsv", users.toString());
        write("items.txt", items.toString());
        Path spec = write("shop.yaml", YAML);
        Path out = dir.resolve("out");
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int evaluate;
        int profile;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            evaluate = EvalMain.run("evaluate", "--dataset", "spec:" + spec, "--models", "pop,fm[epochs=1]", "--k-core", "1",
                    "--out", out.toString(), "--threads", "1");
            profile = EvalMain.run("profile", "--dataset", "spec:" + spec, "--out", out.resolve("profile").toString());
        } finally {
            System.setOut(old);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(evaluate).as(text).isZero();
        assertThat(profile).as(text).isZero();
        assertThat(text).contains("cleaning: 480 interactions in, 480 out", "| item | tags | multi_categorical | 4 |");
        assertThat(out.resolve("results.json")).isNotEmptyFile();
        assertThat(out.resolve("cleaning.json")).isNotEmptyFile();
    }
}
