package dev.attentive.model;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Test-scope ML-100K loading and the RecBole protocol (ratings >= 3, 10-core, per-user random
 * 80/10/10, full ranking with train items masked), for quality checks until the eval module lands.
 */
final class MovieLens100k {
    final Dataset train;
    final Map<UserId, Set<ItemId>> valid = new HashMap<>();
    final Map<UserId, Set<ItemId>> test = new HashMap<>();

    MovieLens100k(Path dir, long seed) throws IOException {
        List<Interaction> all = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("u.data"), StandardCharsets.ISO_8859_1)) {
            String[] p = line.split("\t");
            if (Integer.parseInt(p[2]) >= 3) {
                all.add(new Interaction(UserId.of(p[0]), ItemId.of(p[1]), Long.parseLong(p[3]), 1f));
            }
        }
        while (true) {
            Map<UserId, Integer> uc = new HashMap<>();
            Map<ItemId, Integer> ic = new HashMap<>();
            for (Interaction i : all) {
                uc.merge(i.user(), 1, Integer::sum);
                ic.merge(i.item(), 1, Integer::sum);
            }
            List<Interaction> kept = all.stream().filter(i -> uc.get(i.user()) >= 10 && ic.get(i.item()) >= 10).toList();
            if (kept.size() == all.size()) {
                break;
            }
            all = kept;
        }
        Map<UserId, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction i : all) {
            byUser.computeIfAbsent(i.user(), k -> new ArrayList<>()).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Interaction> trainList = new ArrayList<>();
        for (var e : byUser.entrySet()) {
            List<Interaction> list = new ArrayList<>(e.getValue());
            for (int i = list.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Interaction t = list.get(i);
                list.set(i, list.get(j));
                list.set(j, t);
            }
            int n = list.size();
            int nv = (int) (0.1 * n);
            int nt = (int) (0.1 * n);
            int ntr = n - nv - nt;
            trainList.addAll(list.subList(0, ntr));
            Set<ItemId> v = new HashSet<>();
            list.subList(ntr, ntr + nv).forEach(i -> v.add(i.item()));
            Set<ItemId> t = new HashSet<>();
            list.subList(ntr + nv, n).forEach(i -> t.add(i.item()));
            valid.put(e.getKey(), v);
            test.put(e.getKey(), t);
        }
        FeatureSchema userSchema = FeatureSchema.of(FieldSpec.numeric("age"), FieldSpec.categorical("gender"),
                FieldSpec.categorical("occupation"), FieldSpec.categorical("zip3"));
        Map<UserId, Features> users = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("u.user"), StandardCharsets.ISO_8859_1)) {
            String[] p = line.split("\\|");
            users.put(UserId.of(p[0]), Features.builder().numeric("age", Double.parseDouble(p[1]))
                    .categorical("gender", p[2]).categorical("occupation", p[3])
                    .categorical("zip3", p[4].substring(0, Math.min(3, p[4].length()))).build());
        }
        FeatureSchema itemSchema = FeatureSchema.of(FieldSpec.numeric("year"), FieldSpec.multiCategorical("genres"));
        Map<ItemId, Features> items = new LinkedHashMap<>();
        Set<ItemId> present = new HashSet<>();
        all.forEach(i -> present.add(i.item()));
        for (String line : Files.readAllLines(dir.resolve("u.item"), StandardCharsets.ISO_8859_1)) {
            String[] p = line.split("\\|", -1);
            ItemId id = ItemId.of(p[0]);
            if (!present.contains(id)) {
                continue;
            }
            var b = Features.builder();
            if (p[2].length() >= 4) {
                b.numeric("year", Double.parseDouble(p[2].substring(p[2].length() - 4)));
            }
            List<String> genres = new ArrayList<>();
            for (int g = 5; g < p.length; g++) {
                if ("1".equals(p[g])) {
                    genres.add("g" + (g - 5));
                }
            }
            b.multi("genres", genres);
            items.put(id, b.build());
        }
        train = new Dataset("ml-100k", trainList, new FeatureTable<>(userSchema, users),
                new FeatureTable<>(itemSchema, items));
    }

    /** Mean NDCG@10 on validation (train items masked). */
    double validationNdcg(Recommender r) {
        return valid.entrySet().parallelStream().filter(e -> !e.getValue().isEmpty()).mapToDouble(e -> {
            var recs = r.recommend(RecommendationRequest.forUser(e.getKey()).k(10).build());
            double dcg = 0;
            for (int i = 0; i < recs.size(); i++) {
                if (e.getValue().contains(recs.get(i).item())) {
                    dcg += 1 / (Math.log(i + 2) / Math.log(2));
                }
            }
            double idcg = 0;
            for (int i = 0; i < Math.min(10, e.getValue().size()); i++) {
                idcg += 1 / (Math.log(i + 2) / Math.log(2));
            }
            return dcg / idcg;
        }).average().orElse(Double.NaN);
    }

    /** Mean Recall@10 on test (train and validation items masked). */
    double testRecall(Recommender r) {
        return test.entrySet().parallelStream().filter(e -> !e.getValue().isEmpty()).mapToDouble(e -> {
            var recs = r.recommend(RecommendationRequest.forUser(e.getKey()).k(10)
                    .exclude(valid.get(e.getKey())).build());
            long hits = recs.stream().filter(x -> e.getValue().contains(x.item())).count();
            return (double) hits / e.getValue().size();
        }).average().orElse(Double.NaN);
    }
}
