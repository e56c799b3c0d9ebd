package dev.attentive.model.rank;

import dev.attentive.api.Dataset;
import dev.attentive.api.Gradients;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Parameter;
import dev.attentive.api.Ranker;
import dev.attentive.api.RankerBatch;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RankerProvider;
import dev.attentive.api.spi.RankerShape;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.kernels.ParallelFor;
import dev.attentive.model.TwoStageModelProvider;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.nn.Optimizer;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.model.train.Trainer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains the two-stage pipeline without leakage; the scheme is documented on
 * {@link TwoStageModelProvider}. Not thread safe; one instance per training.
 *
 * <p>Logging ({@link System.Logger} {@code dev.attentive.model.rank.TwoStageTrainer}): details at
 * DEBUG, one INFO summary when training ends; the retrieval fits inside log their own summaries at
 * DEBUG (see {@link Trainer#asPartOf}).
 */
public final class TwoStageTrainer {
    private static final System.Logger LOG = System.getLogger(TwoStageTrainer.class.getName());

    /**
     * What ranker training saw, for tests: the interactions the inner sources were fitted on, each
     * user's inner held-out items, and the ranker's targets and candidates per user.
     */
    record Trace(List<Interaction> innerFit, Map<UserId, Set<ItemId>> heldOut, Map<UserId, Set<ItemId>> targets,
            Map<UserId, Set<ItemId>> lists) {
    }

    /** Receives the trace of every training (tests only). */
    static volatile Consumer<Trace> observer;

    private final Dataset train;
    private final TwoStageModelProvider.Config config;
    private final TrainingContext context;
    /** Ranker epochs started and the validation of the kept ranker, for the summary line. */
    private int rankerEpochs;
    private double rankerValidation = Double.NaN;

    /**
     * A trainer of one model.
     *
     * @param train the training set
     * @param config the pipeline's config
     * @param context seed, threads, validation and progress
     */
    public TwoStageTrainer(Dataset train, TwoStageModelProvider.Config config, TrainingContext context) {
        this.train = train;
        this.config = config;
        this.context = context;
    }

    /** The nested split: each user's held-out items (the latest or a seeded random share). */
    Map<UserId, Set<ItemId>> holdOut(Catalogue catalogue) {
        boolean latest = switch (config.holdoutOrder()) {
            case LATEST -> true;
            case RANDOM -> false;
            case AUTO -> train.hasTimestamps();
        };
        Map<UserId, int[]> items = catalogue.userItems(train.interactions());
        Map<UserId, Set<ItemId>> out = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(context.seed());
        for (var e : items.entrySet()) {
            int[] mine = e.getValue().clone();
            int n = mine.length;
            int h = n < 3 ? 0 : Math.max(1, (int) Math.round(config.holdout() * n));
            if (!latest) {
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = mine[i];
                    mine[i] = mine[j];
                    mine[j] = t;
                }
            }
            Set<ItemId> held = new LinkedHashSet<>();
            for (int i = 0; i < h; i++) {
                held.add(catalogue.items.get(mine[i]));
            }
            if (!held.isEmpty()) {
                out.put(e.getKey(), held);
            }
        }
        return out;
    }

    /**
     * The system property that lets two-stage trainings in one JVM share their source fits when
     * the training set, the retrieval settings, lambda, the source scales, the nested split and the
     * seed are the same (as for several rankers evaluated on one split). The fits are deterministic
     * given those, so sharing changes no result, only the time; shared fits stay open until the JVM
     * exits. For experiments only; off unless set to {@code true}.
     */
    static final String SHARE_FITS = "attentive.twoStage.shareFits";

    /** The served (full) and inner source fits, and the retrieval epoch count the full fit chose. */
    private record Fits(Sources full, Sources inner) {
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Fits> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    private String fitKey(Map<String, String> retrievalSettings, float[] scale) {
        return context.seed() + "|" + train.interactions().size() + "|" + train.interactions().hashCode() + "|"
                + retrievalSettings + "|" + config.lambda() + "|" + java.util.Arrays.toString(scale) + "|" + config.holdout()
                + "|" + config.holdoutOrder();
    }

    /**
     * Full fit first: the sources that serve see the whole training set, the retrieval stopping
     * early on the validation callback. The inner fit then runs for the epoch count that won, and
     * gets no validation callback (its models have not seen the held-out training items, which a
     * validation of the outer split would rightly flag as seen).
     */
    private Fits fitSources(Catalogue catalogue, Map<String, String> retrievalSettings, float[] scale, List<Interaction> innerFit) {
        double[] bestValidation = {Double.NEGATIVE_INFINITY};
        int[] bestEpoch = {0};
        Sources full = Trainer.asPartOf("two-stage retrieval, full fit", () -> Sources.fit(catalogue, train,
                retrievalSettings, config.lambda(), scale,
                new TrainingContext(context.seed(), context.threads(), context.validation(), s -> {
                    if (s.validation() > bestValidation[0]) {
                        bestValidation[0] = s.validation();
                        bestEpoch[0] = s.epoch();
                    }
                })));
        Map<String, String> innerSettings = new LinkedHashMap<>(retrievalSettings);
        if (bestEpoch[0] > 0) {
            innerSettings.put("epochs", Integer.toString(bestEpoch[0]));
        }
        TrainingContext quiet = new TrainingContext(context.seed() + 7919, context.threads(), r -> Double.NaN, s -> { });
        Sources inner = Trainer.asPartOf("two-stage retrieval, inner fit", () -> Sources.fit(catalogue,
                train.withInteractions(innerFit), innerSettings, config.lambda(), scale, quiet));
        return new Fits(Boolean.getBoolean(SHARE_FITS) ? full.keptOpen() : full, inner);
    }

    /**
     * Trains the pipeline.
     *
     * @return the model, serving the sources fitted on the whole training set
     */
    public TwoStageRecommender run() {
        long start = System.nanoTime();
        Catalogue catalogue = new Catalogue(train);
        Map<String, String> retrievalSettings = TwoTowerModelProvider.parseSettings(config.retrievalSettings());
        float[] scale = new float[Sources.NAMES.size()];
        for (int j = 0; j < scale.length; j++) {
            scale[j] = config.sourceScale().get(j).floatValue();
        }
        // 1. The nested split; the inner sources will see each user's training items minus the held-out ones.
        Map<UserId, Set<ItemId>> heldOut = holdOut(catalogue);
        List<Interaction> innerFit = new ArrayList<>();
        for (Interaction i : train.interactions()) {
            Set<ItemId> held = heldOut.get(i.user());
            if (held == null || !held.contains(i.item())) {
                innerFit.add(i);
            }
        }
        // 2. The full fit, then the inner fit (see fitSources); shared between trainings only when asked.
        boolean share = Boolean.getBoolean(SHARE_FITS);
        Fits fits = share
                ? SHARED.computeIfAbsent(fitKey(retrievalSettings, scale), k -> fitSources(catalogue, retrievalSettings, scale, innerFit))
                : fitSources(catalogue, retrievalSettings, scale, innerFit);
        Sources full = fits.full();
        List<Sources.Candidates> lists = new ArrayList<>();
        List<boolean[]> labels = new ArrayList<>();
        Map<UserId, Set<ItemId>> targets = new LinkedHashMap<>();
        Map<UserId, Set<ItemId>> listItems = new LinkedHashMap<>();
        float[][] innerItemVectors = null;
        try (Sources inner = share ? fits.inner().keptOpen() : fits.inner()) {
            SplittableRandom random = new SplittableRandom(context.seed() + 1);
            for (var e : heldOut.entrySet()) {
                UserId user = e.getKey();
                Set<Integer> fitted = new HashSet<>();
                for (int c : inner.userItems.getOrDefault(user, new int[0])) {
                    fitted.add(c);
                }
                // Each of the user's lists draws its own random negatives; the sources' candidates
                // and the targets are the same in every one.
                for (int draw = 0; draw < config.listsPerUser(); draw++) {
                    int[] extra = new int[config.negatives()];
                    int found = 0;
                    for (int tries = 0; found < extra.length && tries < 20 * extra.length; tries++) {
                        int c = random.nextInt(catalogue.size());
                        if (!fitted.contains(c)) {
                            extra[found++] = c;
                        }
                    }
                    Sources.Candidates c = inner.candidates(RecommendationRequest.forUser(user).k(1).build(),
                            config.candidates(), config.historyLength(), java.util.Arrays.copyOf(extra, found));
                    boolean[] label = new boolean[c.items().length];
                    Set<ItemId> positives = new LinkedHashSet<>();
                    Set<ItemId> all = new LinkedHashSet<>();
                    for (int k = 0; k < label.length; k++) {
                        ItemId item = catalogue.items.get(c.items()[k]);
                        all.add(item);
                        label[k] = e.getValue().contains(item);
                        if (label[k]) {
                            positives.add(item);
                        }
                    }
                    if (!positives.isEmpty()) {
                        lists.add(c);
                        labels.add(label);
                        targets.computeIfAbsent(user, u -> new LinkedHashSet<>()).addAll(positives);
                        listItems.computeIfAbsent(user, u -> new LinkedHashSet<>()).addAll(all);
                    }
                }
            }
            if (config.itemInit() == TwoStageModelProvider.ItemInit.RETRIEVAL) {
                innerItemVectors = innerItemVectors(catalogue, inner);
            }
        }
        Consumer<Trace> o = observer;
        if (o != null) {
            o.accept(new Trace(List.copyOf(innerFit), heldOut, targets, listItems));
        }
        int heldCount = heldOut.values().stream().mapToInt(Set::size).sum();
        int targetCount = targets.values().stream().mapToInt(Set::size).sum();
        LOG.log(System.Logger.Level.DEBUG, () -> "two-stage: " + lists.size() + " training lists, candidate recall of the held-out items "
                + String.format("%.4f", heldCount == 0 ? Double.NaN : targetCount / (double) heldCount)
                + " (" + (System.nanoTime() - start) / 1_000_000 + " ms so far)");
        RankerShape shape = new RankerShape(catalogue.size(), Math.max(catalogue.slots.valueCount(), 0),
                catalogue.userSlots(), catalogue.itemSlots(), Sources.NAMES);
        RankerProvider<?> rankers = ProviderRegistry.rankers().get(config.ranker());
        // The resolved settings are saved with the model, so that a later change of a ranker default
        // does not change a loaded model.
        Map<String, String> rankerConfig = Configs.settings(
                rankers.configure(TwoTowerModelProvider.parseSettings(config.rankerSettings())));
        Ranker ranker = rankers.create(rankerConfig, shape, context.seed() + 31);
        if (innerItemVectors != null) {
            startFrom(ranker, innerItemVectors);
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("dataset", train.name());
        provenance.put("dataFingerprint", TwoTowerModel.fingerprint(train));
        provenance.put("interactions", String.valueOf(train.interactions().size()));
        provenance.put("seed", String.valueOf(context.seed()));
        TwoStageRecommender model = new TwoStageRecommender(full, ranker, config, rankerConfig, provenance);
        int rankerEpoch = lists.isEmpty() ? 0 : fitRanker(model, ranker, catalogue, lists, labels);
        provenance.put("trainedAt", java.time.Instant.now().toString());
        provenance.put("trainingSeconds", String.valueOf((System.nanoTime() - start) / 1e9));
        provenance.put("rankerLists", String.valueOf(lists.size()));
        provenance.put("rankerEpoch", String.valueOf(rankerEpoch));
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.log(System.Logger.Level.INFO, () -> String.format(Locale.ROOT,
                "two-stage: trained in %.1f s: retrieval, then the ranker on %,d lists for %d of %d epochs%s", seconds,
                lists.size(), rankerEpochs, config.epochs(), rankerEpoch > 0 && !Double.isNaN(rankerValidation)
                        ? String.format(Locale.ROOT, ", best epoch %d with validation %.4f", rankerEpoch, rankerValidation)
                        : ""));
        return model;
    }


    /**
     * The inner-fit retrieval's item vectors by catalogue index ({@code [0]} holds {@code dim}
     * values per item, {@code [1][0]} the dimension); items it does not know stay all-zero and are
     * left at the ranker's own initialisation.
     */
    private static float[][] innerItemVectors(Catalogue catalogue, Sources inner) {
        TwoTowerModels.Embeddings e = TwoTowerModels.embeddings(inner.retrieval);
        int dim = e.dim();
        float[] out = new float[catalogue.size() * dim];
        float[] known = new float[catalogue.size()];
        for (int i = 0; i < e.items().size(); i++) {
            Integer c = catalogue.index.get(e.items().get(i));
            if (c != null) {
                System.arraycopy(e.itemVectors(), i * dim, out, c * dim, dim);
                known[c] = 1;
            }
        }
        return new float[][] {out, {dim}, known};
    }

    /** Copies the inner fit's item vectors into the ranker's {@code item.embedding}. */
    private void startFrom(Ranker ranker, float[][] vectors) {
        int dim = (int) vectors[1][0];
        Parameter table = ranker.parameters().stream().filter(p -> p.name().equals("item.embedding")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("two-stage: itemInit=retrieval needs a ranker with an "
                        + "item.embedding parameter; ranker " + config.ranker() + " has none: use itemInit=random"));
        if (table.size() != vectors[0].length) {
            throw new IllegalArgumentException("two-stage: itemInit=retrieval needs the ranker's item.embedding to be ["
                    + vectors[2].length + ", " + dim + "] (the retrieval's dim), got " + table.size() + " values: set ranker.dim="
                    + dim + " or retrieval.dim to the ranker's dim");
        }
        float[] w = table.values();
        for (int c = 0; c < vectors[2].length; c++) {
            if (vectors[2][c] != 0) {
                System.arraycopy(vectors[0], c * dim, w, c * dim, dim);
            }
        }
    }

    /** Listwise softmax training with early stopping on the validation callback; returns the epoch kept. */
    private int fitRanker(TwoStageRecommender model, Ranker ranker, Catalogue catalogue, List<Sources.Candidates> lists,
            List<boolean[]> labels) {
        List<Parameter> params = ranker.parameters();
        // The wide part (wide.*) and the deep part have their own learning rates, and the wide part may
        // stay frozen for the first wideFreeze epochs; each optimiser counts only its own steps.
        Optimizer wideOptimizer = new Optimizer(TwoTowerModelProvider.Optimiser.ADAM, (float) config.lr(), (float) config.weightDecay());
        Optimizer deepOptimizer = new Optimizer(TwoTowerModelProvider.Optimiser.ADAM, (float) (config.lr() * config.deepLrScale()),
                (float) config.weightDecay());
        Optimizer embeddingOptimizer = new Optimizer(TwoTowerModelProvider.Optimiser.ADAM,
                (float) (config.lr() * config.deepLrScale() * Math.max(config.embeddingLrScale(), 1e-30)), (float) config.weightDecay());
        boolean[] wide = new boolean[params.size()];
        boolean[] table = new boolean[params.size()];
        for (int i = 0; i < params.size(); i++) {
            wide[i] = params.get(i).name().startsWith("wide.");
            table[i] = !wide[i] && params.get(i).name().endsWith(".embedding");
            (wide[i] ? wideOptimizer : table[i] ? embeddingOptimizer : deepOptimizer).register(params.get(i));
        }
        boolean tablesLearn = config.embeddingLrScale() > 0;
        double best = context.validation().applyAsDouble(model);
        double untrained = best;
        LOG.log(System.Logger.Level.DEBUG, () -> Double.isNaN(untrained) ? "two-stage: no validation before ranker training"
                : String.format(Locale.ROOT, "two-stage: validation before ranker training %.4f", untrained));
        List<float[]> bestValues = snapshot(params);
        int bestEpoch = 0;
        int threads = Math.max(1, Math.min(context.threads(), 8));
        Gradients[] grads = new Gradients[threads];
        for (int t = 0; t < threads; t++) {
            grads[t] = new Gradients(params);
        }
        SplittableRandom random = new SplittableRandom(context.seed() + 2);
        int[] order = new int[lists.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int steps = (order.length + config.batch() - 1) / config.batch();
        int checks = Math.min(config.checksPerEpoch(), steps);
        int check = 0;
        int bestCheck = 0;
        int epochsRun = 0;
        try (ParallelFor pool = new ParallelFor(threads, "attentive-rank")) {
            training:
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                epochsRun = epoch;
                long t0 = System.nanoTime();
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                boolean wideLearns = epoch > config.wideFreeze();
                double[] lossSum = new double[threads];
                int done = 0;
                int nextCheck = 1;
                for (int step = 0; step < steps; step++) {
                    int from = step * config.batch();
                    int to = Math.min(order.length, from + config.batch());
                    int size = to - from;
                    int begin = from;
                    pool.forEach(threads, t -> {
                        grads[t].zero();
                        int lo = begin + t * size / threads;
                        int hi = begin + (t + 1) * size / threads;
                        if (lo < hi) {
                            lossSum[t] += step(ranker, catalogue, lists, labels, order, lo, hi, size, grads[t]);
                        }
                    });
                    done += size;
                    deepOptimizer.nextStep();
                    embeddingOptimizer.nextStep();
                    if (wideLearns) {
                        wideOptimizer.nextStep();
                    }
                    for (int pi = 0; pi < params.size(); pi++) {
                        Parameter p = params.get(pi);
                        if (wide[pi] && !wideLearns || table[pi] && !tablesLearn) {
                            continue;
                        }
                        float[] g = grads[0].of(p);
                        for (int t = 1; t < threads; t++) {
                            float[] h = grads[t].of(p);
                            for (int i = 0; i < g.length; i++) {
                                g[i] += h[i];
                            }
                        }
                        (wide[pi] ? wideOptimizer : table[pi] ? embeddingOptimizer : deepOptimizer).updateDense(p, g);
                    }
                    if (step + 1 < nextCheck * steps / checks) {
                        continue;
                    }
                    nextCheck++;
                    check++;
                    double validation = context.validation().applyAsDouble(model);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double loss = java.util.Arrays.stream(lossSum).sum() / done;
                    context.progress().accept(new EpochStats(epoch, loss, done / seconds, validation));
                    if (Double.isNaN(validation) || validation > best || Double.isNaN(best)) {
                        best = validation;
                        bestValues = snapshot(params);
                        bestEpoch = epoch;
                        bestCheck = check;
                    } else if (check - bestCheck >= config.patience() * checks) {
                        break training;
                    }
                }
            }
        }
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(bestValues.get(i), 0, params.get(i).values(), 0, params.get(i).size());
        }
        int chosen = bestEpoch;
        int chosenCheck = bestCheck;
        double score = best;
        LOG.log(System.Logger.Level.DEBUG, () -> "two-stage: ranker kept after epoch " + chosen + " (validation check "
                + chosenCheck + " of " + checks + " per epoch" + (Double.isNaN(score) ? ")"
                : String.format(Locale.ROOT, "; validation %.4f)", score)));
        rankerEpochs = epochsRun;
        rankerValidation = score;
        return chosen;
    }

    /** Forward and backward of lists {@code order[lo..hi)}; returns their summed loss. */
    private double step(Ranker ranker, Catalogue catalogue, List<Sources.Candidates> lists, List<boolean[]> labels,
            int[] order, int lo, int hi, int batchSize, Gradients gradients) {
        List<Sources.Candidates> chunk = new ArrayList<>();
        for (int i = lo; i < hi; i++) {
            chunk.add(lists.get(order[i]));
        }
        RankerBatch batch = TwoStageRecommender.batch(catalogue, chunk, config.historyLength());
        Ranker.Pass pass = ranker.forward(batch, true, null);
        float[] scores = pass.scores();
        float[] grad = new float[scores.length];
        double loss = 0;
        int size = batch.listSize();
        for (int l = 0; l < chunk.size(); l++) {
            boolean[] label = labels.get(order[lo + l]);
            int n = label.length;
            double max = Double.NEGATIVE_INFINITY;
            int positives = 0;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, scores[l * size + k]);
                positives += label[k] ? 1 : 0;
            }
            double z = 0;
            for (int k = 0; k < n; k++) {
                z += Math.exp(scores[l * size + k] - max);
            }
            double logZ = max + Math.log(z);
            for (int k = 0; k < n; k++) {
                double p = Math.exp(scores[l * size + k] - logZ);
                double target = label[k] ? 1.0 / positives : 0;
                if (label[k]) {
                    loss -= (scores[l * size + k] - logZ) / positives;
                }
                grad[l * size + k] = (float) ((p - target) / batchSize);
            }
        }
        ranker.backward(pass, grad, gradients);
        return loss;
    }

    private static List<float[]> snapshot(List<Parameter> params) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : params) {
            out.add(p.values().clone());
        }
        return out;
    }
}
