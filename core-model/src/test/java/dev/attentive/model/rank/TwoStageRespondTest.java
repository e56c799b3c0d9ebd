package dev.attentive.model.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Features;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.RecommendationResponse.Basis;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.serve.TwoTowerModelTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two-stage model says what its answers were based on, checks filters against the item schema,
 * and refuses a living catalogue with the reason and the alternative.
 */
class TwoStageRespondTest {
    private static Recommender model;

    @BeforeAll
    static void train() {
        model = ProviderRegistry.models().get("two-stage").train(TwoTowerModelTest.planted(11),
                Map.of("ranker", "test-linear", "candidates", "10", "epochs", "2", "lambda", "10",
                        "retrieval.epochs", "2", "retrieval.dim", "8", "retrieval.userWidths", "16",
                        "retrieval.itemWidths", "16", "retrieval.batch", "64", "retrieval.historyLength", "5"),
                TrainingContext.of(11));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theCatalogueIsRefusedWithTheReasonAndTheAlternative() {
        assertThatThrownBy(model::catalogue)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("The two-stage model's catalogue cannot change yet: its ranker and item regression score "
                        + "only the 30 items of the trained catalogue and cannot take new items. Serve the retrieval "
                        + "model ('two-tower') when the catalogue must change.");
    }

    @Test
    void respondSaysItsBasisAndTheRecentItemsOutsideTheCatalogue() {
        RecommendationRequest knownRequest = RecommendationRequest.forUser(UserId.of("u0")).k(5).build();
        var known = model.respond(knownRequest);
        assertThat(known.basis()).isEqualTo(Basis.KNOWN_USER);
        assertThat(known.items()).hasSize(5).isEqualTo(model.recommend(knownRequest));
        var recent = model.respond(RecommendationRequest.forUser(UserId.of("stranger"))
                .recentItems(List.of(ItemId.of("i1"), ItemId.of("nope"))).k(5).build());
        assertThat(recent.basis()).isEqualTo(Basis.REQUEST_CONTEXT);
        assertThat(recent.unknownRecentItems()).containsExactly(ItemId.of("nope"));
        var unusable = model.respond(RecommendationRequest.forUser(UserId.of("stranger"))
                .recentItems(List.of(ItemId.of("nope"))).k(5).build());
        assertThat(unusable.basis()).isEqualTo(Basis.FALLBACK);
        assertThat(unusable.unknownRecentItems()).containsExactly(ItemId.of("nope"));
        var features = model.respond(RecommendationRequest.forUser(UserId.of("stranger"))
                .features(Features.builder().categorical("taste", "b").build()).k(5).build());
        assertThat(features.basis()).isEqualTo(Basis.REQUEST_CONTEXT);
        var nothing = model.respond(RecommendationRequest.forUser(UserId.of("stranger")).k(5).build());
        assertThat(nothing.basis()).isEqualTo(Basis.FALLBACK);
        assertThat(nothing.items()).hasSize(5);
    }

    @Test
    void filtersAreCheckedAgainstTheItemSchema() {
        assertThatThrownBy(() -> model.recommend(RecommendationRequest.forUser(UserId.of("u0"))
                .filter(ItemFilter.in("colour", java.util.Set.of("red"))).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Filter in names unknown item field 'colour'; the catalogue's item fields are "
                        + "[kind CATEGORICAL, year NUMERIC]");
        assertThatThrownBy(() -> model.similarItems(ItemId.of("i0"), 3, ItemFilter.range("kind", 1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Filter range on item field 'kind' needs a numeric field");
        assertThat(model.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(3)
                .filter(ItemFilter.equalTo("kind", "a")).build())).hasSize(3);
    }
}
