package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random filter trees over random attributes: the Lucene translation keeps exactly what {@link ItemFilter#matches} keeps. */
class FilterTranslationTest {
    private static final String[] FIELDS = {"color", "tags", "price", "mixed"};

    @Test
    void translationAgreesWithTheReferenceSemantics() {
        Seeds.forEach(6, 606, (random, seed) -> {
            int dim = 8;
            List<IndexedItem> items = randomItems(random, 300, dim);
            try (var r = TestItems.open(TestItems.config(""), RetrieverSpec.of(dim))) {
                r.index(items);
                // some churn, so that deleted documents are present in the segments
                for (int i = 0; i < 20; i++) {
                    IndexedItem old = items.get(random.nextInt(items.size()));
                    IndexedItem fresh = new IndexedItem(old.id(), Seeds.unitVector(random, dim), attributes(random));
                    r.update(fresh);
                    items.set(Integer.parseInt(old.id().value().substring(1)), fresh);
                }
                for (int f = 0; f < 60; f++) {
                    ItemFilter filter = randomFilter(random, 3);
                    Set<ItemId> want = new HashSet<>();
                    for (IndexedItem item : items) {
                        if (filter.matches(item.attributes())) {
                            want.add(item.id());
                        }
                    }
                    assertThat(r.matchingIds(filter)).as("filter %s", filter).isEqualTo(want);
                    // and through search: asking for everything returns exactly the eligible items
                    List<ScoredItem> all = r.search(Seeds.unitVector(random, dim), items.size(), filter, Set.of());
                    assertThat(all).extracting(ScoredItem::id).as("search under %s", filter)
                            .containsExactlyInAnyOrderElementsOf(want);
                }
            }
        });
    }

    private static List<IndexedItem> randomItems(SplittableRandom random, int n, int dim) {
        List<IndexedItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new IndexedItem(ItemId.of("i" + i), Seeds.unitVector(random, dim), attributes(random)));
        }
        return items;
    }

    /** Fields go missing, multi-valued lists can be empty or repeat values, zero comes signed, and
     * "mixed" is categorical on some items and numeric on others. */
    private static Features attributes(SplittableRandom random) {
        Features.Builder b = Features.builder();
        if (random.nextInt(5) > 0) {
            b.categorical("color", "c" + random.nextInt(4));
        }
        if (random.nextInt(5) > 0) {
            List<String> tags = new ArrayList<>();
            int n = random.nextInt(4);
            for (int t = 0; t < n; t++) {
                tags.add("t" + random.nextInt(5));
            }
            b.multi("tags", tags);
        }
        if (random.nextInt(5) > 0) {
            b.numeric("price", random.nextInt(7) == 0 ? (random.nextBoolean() ? -0.0 : 0.0) : random.nextInt(21) - 10);
        }
        switch (random.nextInt(3)) {
            case 0 -> b.categorical("mixed", "m" + random.nextInt(2));
            case 1 -> b.numeric("mixed", random.nextInt(3));
            default -> { }
        }
        return b.build();
    }

    private static ItemFilter randomFilter(SplittableRandom random, int depth) {
        int kind = depth == 0 ? random.nextInt(4) : random.nextInt(8);
        String field = FIELDS[random.nextInt(FIELDS.length)];
        return switch (kind) {
            case 0 -> ItemFilter.equalTo(field, value(random, field));
            case 1 -> {
                Set<String> values = new HashSet<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    values.add(value(random, field));
                }
                yield ItemFilter.in(field, values);
            }
            case 2 -> {
                double a = random.nextInt(7) == 0 ? -0.0 : random.nextInt(25) - 12;
                double b = random.nextInt(7) == 0 ? 0.0 : random.nextInt(25) - 12;
                yield ItemFilter.range(field, Math.min(a, b), Math.max(a, b));
            }
            case 3 -> ItemFilter.all();
            case 4 -> ItemFilter.not(randomFilter(random, depth - 1));
            case 5, 6 -> {
                int n = random.nextInt(4); // including the empty conjunction / disjunction
                ItemFilter[] parts = new ItemFilter[n];
                for (int i = 0; i < n; i++) {
                    parts[i] = randomFilter(random, depth - 1);
                }
                yield kind == 5 ? ItemFilter.and(parts) : ItemFilter.or(parts);
            }
            default -> ItemFilter.equalTo("absent", "x");
        };
    }

    private static String value(SplittableRandom random, String field) {
        return switch (field) {
            case "color" -> "c" + random.nextInt(5);
            case "tags" -> "t" + random.nextInt(6);
            case "mixed" -> random.nextBoolean() ? "m" + random.nextInt(2) : Integer.toString(random.nextInt(3));
            default -> Integer.toString(random.nextInt(3));
        };
    }
}
