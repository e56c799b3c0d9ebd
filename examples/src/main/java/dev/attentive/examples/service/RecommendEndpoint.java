package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import dev.attentive.api.Features;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.RecommendationResponse;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /recommend}: recommendations for a user, a described visitor or a session. Parameters:
 * {@code user}, {@code k} (1 to {@value RecommendationService#MAX_K}, default 10), {@code recent}
 * (item ids, most recent first, comma-separated), {@code features.NAME=VALUE} (the user's features
 * and request context), {@code exclude} (item ids), {@code excludeSeen} (default true),
 * {@code explain} (default false) and the filter of {@link FilterParameters}.
 *
 * <p>A request feature's type follows from how its value is written, because the model's user
 * schema is not part of the API: a decimal number is numeric ({@code features.age=31}); a value with
 * commas is multi-valued ({@code features.interests=jazz,film}); anything else is categorical
 * ({@code features.region=north}). A feature of the wrong type is a 400 naming the field and the type
 * the model declares.
 */
final class RecommendEndpoint extends JsonEndpoint {
    private static final String ENDPOINT = "GET /recommend";
    private static final Set<String> NAMES;
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    static {
        Set<String> names = new HashSet<>(Set.of("user", "k", "recent", "exclude", "excludeSeen", "explain"));
        names.addAll(FilterParameters.NAMES);
        NAMES = Set.copyOf(names);
    }

    private final Recommender recommender;

    RecommendEndpoint(Recommender recommender) {
        super("/recommend", false, Set.of("GET"));
        this.recommender = recommender;
    }

    @Override
    Reply answer(String method, HttpExchange exchange) {
        QueryParameters query = QueryParameters.parse(ENDPOINT, exchange.getRequestURI().getRawQuery());
        query.requireKnown(NAMES, Set.of("features."));
        UserId user = query.single("user").map(u -> {
            if (u.isBlank()) {
                throw HttpError.badRequest("Query parameter 'user' of " + ENDPOINT + " is empty; give a user id or leave it out");
            }
            return UserId.of(u.strip());
        }).orElse(null);
        Features features = requestFeatures(query.withPrefix("features."));
        List<ItemId> recent = query.list("recent").stream().map(ItemId::of).toList();
        if (user == null && features.values().isEmpty() && recent.isEmpty()) {
            throw HttpError.badRequest(ENDPOINT + " needs user=ID, features.NAME=VALUE or recent=ID,ID (most recent first), "
                    + "e.g. /recommend?user=42&k=10");
        }
        ItemFilter filter = FilterParameters.parse(query);
        // A filter on a field the items lack could only ever answer nothing: say so instead.
        Catalogues.of(recommender).ifPresent(c -> filter.checkAgainst(c.schema()));
        Set<ItemId> exclude = new LinkedHashSet<>();
        query.list("exclude").forEach(i -> exclude.add(ItemId.of(i)));
        RecommendationRequest request = RecommendationRequest.builder()
                .user(user)
                .features(features)
                .recentItems(recent)
                .k(query.integer("k", 10, 1, RecommendationService.MAX_K))
                .filter(filter)
                .exclude(exclude)
                .excludeSeen(query.flag("excludeSeen", true))
                .explain(query.flag("explain", false))
                .build();
        RecommendationResponse response = recommender.respond(request);
        ObjectNode body = Json.object();
        if (user == null) {
            body.putNull("user");
        } else {
            body.put("user", user.value());
        }
        body.put("basis", response.basis().name())
                .put("fallback", response.fallback())
                .set("unknownRecentItems", Json.ids(response.unknownRecentItems()));
        body.set("items", Json.recommendations(response.items()));
        return Reply.ok(body);
    }

    static Features requestFeatures(Map<String, String> given) {
        Features.Builder out = Features.builder();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey();
            String value = e.getValue().strip();
            if (name.isEmpty() || value.isEmpty()) {
                throw HttpError.badRequest("Request feature 'features." + name + "=" + e.getValue() + "' of " + ENDPOINT
                        + " needs a name and a value, e.g. features.region=north, features.age=31 or features.tags=a,b");
            }
            if (value.contains(",")) {
                out.multi(name, List.of(value.split(",")).stream().map(String::strip).filter(v -> !v.isEmpty()).toList());
            } else if (NUMBER.matcher(value).matches()) {
                out.numeric(name, Double.parseDouble(value));
            } else {
                out.categorical(name, value);
            }
        }
        return out.build();
    }
}
