package dev.attentive.examples.service;

import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import java.util.Optional;

/** The served recommender's living catalogue, where it has one. */
final class Catalogues {
    private Catalogues() {
    }

    /** The catalogue, or empty when the recommender's catalogue is fixed at training. */
    static Optional<ItemCatalogue> of(Recommender recommender) {
        try {
            return Optional.of(recommender.catalogue());
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The catalogue, or a 501 saying why there is none. */
    static ItemCatalogue required(Recommender recommender, String endpoint) {
        try {
            return recommender.catalogue();
        } catch (UnsupportedOperationException e) {
            throw HttpError.notImplemented(endpoint + " needs a living catalogue, and the served model has none: "
                    + e.getMessage());
        }
    }

    /** A 404 for an item the catalogue does not hold. */
    static HttpError unknownItem(ItemId item, ItemCatalogue catalogue) {
        return HttpError.notFound("Unknown item '" + item + "': the catalogue holds " + catalogue.size()
                + " items and not this one; add it with PUT /items/" + item + " and its features");
    }
}
