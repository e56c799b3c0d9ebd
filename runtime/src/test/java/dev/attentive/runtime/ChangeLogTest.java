package dev.attentive.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Features;
import dev.attentive.api.ItemId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on disk: what it writes, what it reads back, and what it does with a crash's leftovers. */
class ChangeLogTest {
    @TempDir
    Path tmp;

    private static Features shoe() {
        return Features.builder().categorical("brand", "acme").multi("tags", List.of("a", "b")).numeric("price", 12.5)
                .build();
    }

    @Test
    void writesOneJsonLinePerChangeAndReadsTheLatestPerItemBack() throws IOException {
        Path file = tmp.resolve("journal.jsonl");
        try (ChangeLog log = ChangeLog.open(file)) {
            log.record(ItemId.of("s1"), shoe());
            log.record(ItemId.of("s2"), Features.NONE);
            log.record(ItemId.of("s1"), null);
        }
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"seq\":1,\"op\":\"put\",\"item\":\"s1\",\"features\":{\"brand\":\"acme\",\"tags\":[\"a\",\"b\"],"
                        + "\"price\":12.5}}",
                "{\"seq\":2,\"op\":\"put\",\"item\":\"s2\",\"features\":{}}",
                "{\"seq\":3,\"op\":\"remove\",\"item\":\"s1\"}");
        try (ChangeLog log = ChangeLog.open(file)) {
            assertThat(log.lastSeq()).isEqualTo(3);
            assertThat(log.snapshot()).containsExactly(new ChangeLog.Change(2, ItemId.of("s2"), Features.NONE),
                    new ChangeLog.Change(3, ItemId.of("s1"), null));
            assertThat(log.since(2)).containsExactly(new ChangeLog.Change(3, ItemId.of("s1"), null));
            log.record(ItemId.of("s1"), shoe());
            assertThat(log.snapshot()).extracting(ChangeLog.Change::seq).containsExactly(2L, 4L);
            assertThat(log.snapshot().get(1).features()).isEqualTo(shoe());
        }
    }

    @Test
    void aLineCutShortByACrashIsDroppedAndOverwritten() throws IOException {
        Path file = tmp.resolve("journal.jsonl");
        try (ChangeLog log = ChangeLog.open(file)) {
            log.record(ItemId.of("s1"), shoe());
        }
        Files.writeString(file, "{\"seq\":2,\"op\":\"put\",\"item\":\"s2\",\"feat", StandardOpenOption.APPEND);
        try (ChangeLog log = ChangeLog.open(file)) {
            assertThat(log.lastSeq()).isEqualTo(1);
            log.record(ItemId.of("s3"), null);
        }
        assertThat(Files.readAllLines(file)).hasSize(2).last().asString()
                .isEqualTo("{\"seq\":2,\"op\":\"remove\",\"item\":\"s3\"}");
    }

    @Test
    void aDamagedLineInTheMiddleIsAnErrorNamingFileAndLine() throws IOException {
        Path file = tmp.resolve("journal.jsonl");
        Files.writeString(file, """
                {"seq":1,"op":"put","item":"s1","features":{}}
                {"seq":2,"op":"paint","item":"s1"}
                {"seq":3,"op":"remove","item":"s1"}
                """, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ChangeLog.open(file)).isInstanceOf(IllegalStateException.class)
                .hasMessage(file + ":2: unreadable catalogue change ('op' must be put or remove, got 'paint'); the "
                        + "journal is damaged: restore it from a backup, or delete this line to lose only this change");
        Files.writeString(file, """
                {"seq":1,"op":"put","item":"s1","features":{}}
                {"seq":1,"op":"remove","item":"s1"}
                """, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ChangeLog.open(file)).isInstanceOf(IllegalStateException.class)
                .hasMessage(file + ":2: sequence number 1 does not follow 1; the journal was edited or two files were "
                        + "joined");
    }

    @Test
    void aLongJournalIsCompactedToTheLatestChangePerItem() throws IOException {
        Path file = tmp.resolve("journal.jsonl");
        try (ChangeLog log = ChangeLog.open(file)) {
            for (int i = 0; i < 1100; i++) {
                log.record(ItemId.of("s" + i % 3), i % 2 == 0 ? shoe() : null);
            }
            assertThat(Files.readAllLines(file)).hasSize(1100);
            log.compactIfLarge();
            assertThat(Files.readAllLines(file)).hasSize(3);
            log.record(ItemId.of("s9"), null);
        }
        try (ChangeLog log = ChangeLog.open(file)) {
            assertThat(log.size()).isEqualTo(4);
            assertThat(log.lastSeq()).isEqualTo(1101);
            assertThat(log.snapshot()).extracting(c -> c.item().value()).containsExactly("s2", "s0", "s1", "s9");
        }
    }

    @Test
    void inMemoryKeepsTheSameLatestChangesWithoutAFile() throws IOException {
        try (ChangeLog log = ChangeLog.inMemory()) {
            log.record(ItemId.of("a"), shoe());
            log.record(ItemId.of("b"), null);
            log.record(ItemId.of("a"), null);
            assertThat(log.snapshot()).extracting(ChangeLog.Change::seq).containsExactly(2L, 3L);
        }
        assertThat(tmp).isEmptyDirectory();
    }
}
