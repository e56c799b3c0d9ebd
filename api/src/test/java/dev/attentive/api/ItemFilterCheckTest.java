package dev.attentive.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemFilterCheckTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.of(FieldSpec.categorical("brand"),
            FieldSpec.multiCategorical("tags"), FieldSpec.numeric("price"));

    @Test
    void wellTypedFiltersPass() {
        ItemFilter f = ItemFilter.not(ItemFilter.or(ItemFilter.and(ItemFilter.equalTo("brand", "acme"),
                ItemFilter.in("tags", Set.of("a")), ItemFilter.range("price", 0, 10)), ItemFilter.all()));
        f.checkAgainst(SCHEMA);
    }

    @Test
    void unknownFieldNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ItemFilter.equalTo("colour", "red").checkAgainst(SCHEMA));
        assertEquals("Filter equalTo names unknown item field 'colour'; the catalogue's item fields are "
                + "[brand CATEGORICAL, tags MULTI_CATEGORICAL, price NUMERIC]", e.getMessage());
    }

    @Test
    void rangeOnCategoricalAndEqualToOnNumericAreRejectedInsideCombinations() {
        var range = assertThrows(IllegalArgumentException.class, () -> new ItemFilter.And(List.of(ItemFilter.all(),
                ItemFilter.range("brand", 0, 1))).checkAgainst(SCHEMA));
        assertEquals("Filter range on item field 'brand' needs a numeric field, but 'brand' is CATEGORICAL; use "
                + "equalTo or in. The catalogue's item fields are [brand CATEGORICAL, tags MULTI_CATEGORICAL, "
                + "price NUMERIC]", range.getMessage());
        var eq = assertThrows(IllegalArgumentException.class,
                () -> ItemFilter.not(ItemFilter.equalTo("price", "3")).checkAgainst(SCHEMA));
        assertEquals("Filter equalTo on item field 'price' needs a categorical or multi-categorical field, but "
                + "'price' is NUMERIC; use range. The catalogue's item fields are [brand CATEGORICAL, "
                + "tags MULTI_CATEGORICAL, price NUMERIC]", eq.getMessage());
    }

    @Test
    void aCatalogueWithoutAttributesSaysSo() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ItemFilter.in("brand", Set.of("x")).checkAgainst(FeatureSchema.EMPTY));
        assertEquals("Filter in names unknown item field 'brand'; the catalogue's item fields are none (the items "
                + "have no attributes to filter on)", e.getMessage());
    }
}
